package io.threeway.tcp;

/**
 * The retransmission timeout (RFC 6298), with Linux's floor: Linux keeps RTTVAR at least tcp_rto_min, so
 * RTO = SRTT + max(4·RTTVAR, rto_min) rather than max(SRTT + 4·RTTVAR, 1 s) (tcp_rtt_estimator,
 * tcp_set_rto). Times in nanoseconds.
 */
final class RttEstimator {
    /** RFC 6298 §2.1: before any measurement, RTO = 1 s (Linux's TCP_TIMEOUT_INIT). */
    static final long INITIAL_RTO = 1_000_000_000L;

    /** SRTT, ns; -1 before the first measurement. */
    private long srtt = -1;
    /** RTTVAR, ns (kept at least rto_min, as Linux's mdev_max). */
    private long rttvar;
    /** RTO without backoff, ns. */
    private long rto = INITIAL_RTO;
    /** The smallest RTT measured, ns (tcpi_min_rtt). */
    private long minRtt = Long.MAX_VALUE;
    /** tcp_rto_min, in microseconds (as the setting is given). */
    private final int rtoMinUs;
    /** tcp_rto_max, in milliseconds (as the setting is given). */
    private final int rtoMaxMs;
    /**
     * Karn's timing without timestamps: the sequence number whose acknowledgment ends the round trip the sender
     * times (its {@link Sender} keeps when, and whether, one is timed). Here because the object had room for it.
     */
    int timedSeq;

    /** An estimator with Linux's floor {@code rtoMinUs} (µs) and cap {@code rtoMaxMs} (ms). */
    RttEstimator(int rtoMinUs, int rtoMaxMs) {
        this.rtoMinUs = rtoMinUs;
        this.rtoMaxMs = rtoMaxMs;
    }

    /** Folds in one measurement R (RFC 6298 §2.2 and §2.3, alpha = 1/8, beta = 1/4). */
    void sample(long r) {
        if (r < 0) return;
        if (r == 0) r = 1000; // a measurement below the clock's grain still counts as 1 us
        minRtt = Math.min(minRtt, r);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = clamp(srtt + Math.max(4 * rttvar, rtoMin()));
    }

    private long clamp(long v) {
        return Math.min(Math.max(v, rtoMin()), rtoMax());
    }

    /** The current RTO without backoff. */
    long rto() { return rto; }

    /** The RTO after {@code backoff} doublings (RFC 6298 §5.5), capped at the maximum. */
    long rto(int backoff) {
        long v = rto;
        for (int i = 0; i < backoff && v < rtoMax(); i++) v <<= 1;
        return Math.min(v, rtoMax());
    }

    long srtt() { return srtt; }
    long rttvar() { return rttvar; }
    long minRtt() { return minRtt; }
    boolean hasSample() { return srtt >= 0; }
    /** The floor, in ns. */
    long rtoMin() { return rtoMinUs * 1000L; }
    /** The cap, in ns. */
    long rtoMax() { return rtoMaxMs * 1_000_000L; }
}
