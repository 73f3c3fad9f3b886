package io.threeway.api;

/** An application thread ended with a checked exception, which is the cause; the message names the thread. */
public final class ThreadFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure of thread {@code thread}.
     *
     * @param thread the thread's name
     * @param cause  what it threw
     */
    public ThreadFailedException(String thread, Throwable cause) {
        super("thread '" + thread + "' failed: " + cause, cause);
    }
}
