package io.threeway.socket;

/**
 * Unwinds a thread whose {@link SocketRuntime} can no longer run it: the simulation was closed (or gave up on the
 * thread) while the thread still had work in it. It is an {@code Error}, so that library code catching
 * {@code Exception} in a loop (a dispatcher's {@code while (!finished) { try { select(); ... } catch (Exception e)
 * {} }}) ends instead of spinning; closing a channel or selector from such a thread does not throw it.
 */
public class RuntimeClosedError extends Error {
    private static final long serialVersionUID = 1L;

    /** With {@code message}, and no stack trace (it unwinds, it reports nothing). */
    public RuntimeClosedError(String message) {
        super(message, null, false, false);
    }
}
