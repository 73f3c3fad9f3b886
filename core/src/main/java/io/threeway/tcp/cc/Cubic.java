package io.threeway.tcp.cc;

/**
 * CUBIC (RFC 9438), as Linux's tcp_cubic runs it: after a congestion event the window follows a cubic
 * function of the time since the event, concave up to the window where the loss happened (W_max), flat
 * around it, then convex as it probes for more; never slower than Reno would be (the Reno-friendly region).
 *
 * <p>The curve is computed in segments, as the RFC writes it; the window itself is kept in bytes like the
 * engine's, with the fractional growth of each ACK carried to the next. The clock is the {@code now} the
 * engine passes; floating point is Java's, which is deterministic, and the cube root is StrictMath's.
 *
 * <p>Where Linux and the RFC differ, the choice is noted: the RTT added to t is the minimum RTT observed
 * (Linux's delay_min), and an epoch that starts above W_max starts with K = 0 from the current window
 * (Linux's bic_origin_point; the RFC's formula would give a negative K).
 */
public final class Cubic implements CongestionControl {
    /** RFC 9438 §4.6: "β_cubic SHOULD be set to 0.7". Linux: beta = 717/1024. */
    static final double BETA = 0.7;
    /** RFC 9438 §4.2: "C SHOULD be set to 0.4". */
    static final double C = 0.4;
    /** RFC 9438 §4.3: α_cubic = 3 (1 - β_cubic) / (1 + β_cubic), Reno's growth rate for CUBIC's β. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    /** RFC 9438 §4.2: the target is at most 1.5 cwnd, so growth never outruns slow start. */
    private static final double MAX_TARGET_RATIO = 1.5;
    /** No epoch started (epoch_start unset). */
    private static final long NO_TIME = Long.MIN_VALUE;
    /** Nanoseconds in a second, for K and t in seconds. */
    private static final double NANOS_PER_SECOND = 1e9;

    /** RFC 9438 §4.7's fast convergence (Linux's fast_convergence parameter). */
    private final boolean fastConvergence;
    /** RFC 9438 §4.3's Reno-friendly region (Linux's tcp_friendliness). */
    private final boolean renoFriendly;

    /** The congestion window, bytes. */
    private int cwnd;
    /** The slow-start threshold, bytes. */
    private int ssthresh = Integer.MAX_VALUE;

    /** W_max: the window, in segments, just before the last reduction (after fast convergence). */
    private double wMax;
    /** cwnd_prior: the window, in segments, when ssthresh was last set (§4.3's switch to α = 1). */
    private double cwndPrior;
    /** t_epoch: when the current congestion-avoidance stage began, or NO_TIME before it has. */
    private long epochStart = NO_TIME;
    /** K, in seconds: when the curve reaches its plateau. */
    private double k;
    /** The curve's plateau, in segments: W_max, or the window at the epoch's start if that is above it. */
    private double origin;
    /** W_est: the window, in segments, Reno would have now (§4.3). */
    private double wEst;
    /** Growth earned but below a whole byte, carried to the next ACK. */
    private double carry;
    /** The smallest RTT seen, in nanoseconds (Linux's delay_min), or NO_TIME. */
    private long minRtt = NO_TIME;

    /** CUBIC as Linux's defaults have it: fast convergence and the Reno-friendly region on. */
    public Cubic() {
        this(true, true);
    }

    /**
     * @param fastConvergence RFC 9438 §4.7 (Linux's fast_convergence)
     * @param renoFriendly    RFC 9438 §4.3 (Linux's tcp_friendliness)
     */
    public Cubic(boolean fastConvergence, boolean renoFriendly) {
        this.fastConvergence = fastConvergence;
        this.renoFriendly = renoFriendly;
    }

    @Override public String name() { return "cubic"; }

    @Override
    public void init(int mss, long now) {
        cwnd = CongestionControl.INITIAL_WINDOW_SEGMENTS * mss;
        ssthresh = Integer.MAX_VALUE;
        wMax = 0;
        cwndPrior = 0;
        epochStart = NO_TIME;
        carry = 0;
        minRtt = NO_TIME;
    }

    @Override public int cwnd() { return cwnd; }
    @Override public int ssthresh() { return ssthresh; }
    @Override public void setCwnd(int c) { cwnd = WindowMath.bound(c); }
    @Override public void raiseSsthresh(int s) { ssthresh = Math.max(ssthresh, s); }

    @Override
    public void onAck(int acked, int mss, boolean cwndLimited, long rttSample, long now) {
        if (rttSample > 0 && (minRtt == NO_TIME || rttSample < minRtt)) minRtt = rttSample;
        if (!cwndLimited || acked <= 0) return;
        if (cwnd < ssthresh) {
            int before = cwnd;
            cwnd = WindowMath.slowStart(cwnd, ssthresh, acked, mss);
            acked = WindowMath.leftOverAfterSlowStart(before, cwnd, acked);
            if (cwnd < ssthresh || acked == 0) return;
        }
        congestionAvoidance(acked, mss, now);
    }

    /** RFC 9438 §4.2 to §4.5: one ACK's growth in congestion avoidance. */
    private void congestionAvoidance(int acked, int mss, long now) {
        double window = (double) cwnd / mss;
        if (epochStart == NO_TIME) startEpoch(window, now);
        double t = (now - epochStart) / NANOS_PER_SECOND;
        double rtt = minRtt == NO_TIME ? 0 : minRtt / NANOS_PER_SECOND;
        double ackedSegments = (double) acked / mss;

        // §4.2: "target = W_cubic(t + RTT)", bounded by [cwnd, 1.5 cwnd]; then §4.4 and §4.5: "cwnd SHOULD
        // be incremented by (target - cwnd) / cwnd for each received new ACK" (per segment acknowledged).
        double target = Math.min(Math.max(wCubic(t + rtt), window), MAX_TARGET_RATIO * window);
        double next = window + (target - window) / window * ackedSegments;

        if (renoFriendly) {
            // §4.3: W_est = W_est + α_cubic * segments_acked / cwnd; "Once W_est has grown to reach the cwnd at
            // the time of most recently setting ssthresh ... the sender SHOULD set α_cubic to 1".
            double alpha = wEst >= cwndPrior ? 1.0 : ALPHA;
            wEst += alpha * ackedSegments / window;
            // "If W_cubic(t) is less than W_est, then the protocol is in the Reno-friendly region and cwnd
            // SHOULD be set to W_est at each reception of a new ACK."
            if (wCubic(t) < wEst) next = Math.max(next, wEst);
        }
        carry += (next - window) * mss;
        long whole = (long) carry;
        carry -= whole;
        cwnd = WindowMath.bound(cwnd + whole);
    }

    /**
     * §4.2: a new epoch begins with the first ACK of congestion avoidance. "K = cubic_root((W_max -
     * cwnd_epoch) / C)", and W_est starts at cwnd_epoch (§4.3).
     */
    private void startEpoch(double window, long now) {
        epochStart = now;
        carry = 0;
        wEst = window;
        if (window < wMax) {
            k = StrictMath.cbrt((wMax - window) / C);
            origin = wMax;
        } else {
            k = 0;
            origin = window;
        }
    }

    /** §4.2, Figure 1: W_cubic(t) = C * (t - K)^3 + W_max, in segments, t in seconds since the epoch. */
    double wCubic(double t) {
        double d = t - k;
        return C * d * d * d + origin;
    }

    @Override
    public void onLossDetected(int flightSize, int mss, long now) {
        reduce(flightSize, mss);
        cwnd = ssthresh; // §4.6: cwnd = max(ssthresh, 2), the floor applied to ssthresh
    }

    /**
     * §4.6 multiplicative decrease and §4.7 fast convergence. ssthresh = flight_size * β_cubic as the RFC
     * writes it (Linux uses cwnd; the two agree when growth is limited to cwnd-limited periods, which the RFC
     * requires of implementations that use cwnd).
     */
    private void reduce(int flightSize, int mss) {
        double window = (double) cwnd / mss;
        // §4.7: "if (cwnd < W_max and fast convergence enabled) W_max = cwnd * (1 + β_cubic) / 2 ... else
        // W_max = cwnd" (a flow that lost below its last W_max releases bandwidth to newer flows).
        wMax = fastConvergence && window < wMax ? window * (1 + BETA) / 2 : window;
        cwndPrior = window;
        ssthresh = WindowMath.atLeastTwoSegments((long) (flightSize * BETA), mss);
        epochStart = NO_TIME;
    }

    /**
     * Linux's bictcp_recalc_ssthresh: {@code max(snd_cwnd * beta / BICTCP_BETA_SCALE, 2)}, from cwnd (the window
     * in use when the congestion is signalled), with W_max and fast convergence as on a loss; cwnd stays for
     * {@link Prr} to bring down.
     */
    @Override
    public void onCongestion(int mss, long now) {
        reduce(cwnd, mss);
    }

    @Override
    public void onRecoveryExit(int flightSize, int mss) {
        cwnd = ssthresh;
    }

    /**
     * §4.8: "In the case of a timeout, CUBIC follows Reno to reduce cwnd but sets ssthresh using β_cubic";
     * afterwards "K is set to 0, and W_max is set to the congestion window size at the beginning of the
     * current congestion avoidance stage" (Linux: bictcp_reset on entering TCP_CA_Loss).
     */
    @Override
    public void onRetransmitTimeout(int flightSize, int mss, long now) {
        reduce(flightSize, mss);
        wMax = 0;
        cwnd = mss;
    }

    @Override
    public void onIdleRestart(int mss, long now) {
        ssthresh = WindowMath.currentSsthresh(cwnd, ssthresh);
        cwnd = WindowMath.restartWindow(cwnd, mss);
        epochStart = NO_TIME;
    }

    /**
     * Linux's cubictcp_cwnd_event(CA_EVENT_TX_START): "We were application limited (idle) for a while. Shift
     * epoch_start to keep cwnd growth to cubic curve."
     */
    @Override
    public void onTransmitStart(long lastSendTime, long now) {
        long idle = now - lastSendTime;
        if (epochStart == NO_TIME || idle <= 0) return;
        epochStart = Math.min(epochStart + idle, now);
    }

    // For tests and ss -i: the curve's parameters.
    double k() { return k; }
    double wMax() { return wMax; }
    double wEst() { return wEst; }
    boolean inEpoch() { return epochStart != NO_TIME; }
}
