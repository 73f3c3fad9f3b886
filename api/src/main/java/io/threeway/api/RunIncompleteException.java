package io.threeway.api;

/**
 * A run reached its time limit while application threads were still running (or its condition still did not
 * hold); the message lists the threads and what each is doing.
 */
public final class RunIncompleteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A run that did not finish.
     *
     * @param message what was still going on
     */
    public RunIncompleteException(String message) {
        super(message);
    }
}
