package io.threeway.conformance.script;

/** A place in a script: file, 1-based line and 1-based column, printed as {@code file:line:column}. */
public record SourcePos(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
