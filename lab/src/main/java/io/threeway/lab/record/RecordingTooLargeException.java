package io.threeway.lab.record;

/**
 * A recorded run went past one of its {@link RecordLimits}: the run is stopped and the message says which
 * limit, at what virtual time, and what to change (fewer requests, a shorter duration).
 */
public final class RecordingTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordingTooLargeException(String message) {
        super(message);
    }
}
