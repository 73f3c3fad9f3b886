package io.threeway.cli;

/**
 * The control socket's request rate: a token bucket of {@link #BURST} requests refilled at {@link #PER_SECOND} a
 * second, shared by all clients, so a flood of requests (each one a snapshot of the stack under its lock) cannot
 * starve the stack's driver. A request over the rate gets an error line instead of an answer.
 */
final class ControlRateLimit {
    /** Requests a second, sustained. */
    static final int PER_SECOND = 50;
    /** Requests at once after a quiet spell. */
    static final int BURST = 100;

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    ControlRateLimit(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one request's token at time {@code now} (ns); false when the bucket is empty. */
    synchronized boolean tryAcquire(long now) {
        if (last != Long.MIN_VALUE) tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
