package io.threeway.conformance.python;

/**
 * An error Python itself would raise running the block (a failed assert, a name that is not defined, a bad
 * operand): packetdrill's run would fail on it, and so does the runner's.
 */
public final class PyError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The line within the block where it was raised, from 1. */
    private final int line;

    PyError(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
