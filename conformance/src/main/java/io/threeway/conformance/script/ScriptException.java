package io.threeway.conformance.script;

/** A script that packetdrill's language does not allow, with where: {@code file:line:column: message}. */
public final class ScriptException extends RuntimeException {
    private final SourcePos pos;

    public ScriptException(SourcePos pos, String message) {
        super(pos + ": " + message);
        this.pos = pos;
    }

    public SourcePos pos() { return pos; }
}
