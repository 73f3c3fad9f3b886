package io.threeway.soak;

/**
 * An invariant of the soak did not hold: the message says which, at what virtual time, for which seed, so the run
 * can be replayed ({@code threeway soak --seed N} with the same options gives the same run, event for event).
 */
public final class SoakFailure extends RuntimeException {
    public SoakFailure(String message) {
        super(message);
    }
}
