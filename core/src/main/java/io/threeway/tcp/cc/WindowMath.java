package io.threeway.tcp.cc;

/**
 * The window arithmetic loss-based algorithms share (RFC 5681): slow start with appropriate byte counting,
 * the restart window, and bounds that keep a window a valid, positive int.
 */
final class WindowMath {
    private WindowMath() {}

    /**
     * Slow start as Linux's tcp_slow_start: "cwnd = min(cwnd + acked, ssthresh)", every segment the ACK delivered
     * counted, with no RFC 3465 limit L (Linux dropped tcp_abc in 3.8; a stretch ACK's burst is bounded instead by
     * tcp_is_cwnd_limited, {@link CwndValidation}, and by pacing). RFC 5681 §3.1 equation 2 allows it ("MAY").
     *
     * @param acked the segments acknowledged, in bytes (whole segments times the MSS, as the engine counts them)
     * @return the new window, at most {@code max(cwnd, ssthresh)}
     */
    static int slowStart(int cwnd, int ssthresh, int acked, int mss) {
        long grown = (long) cwnd + acked;
        return (int) Math.min(grown, Math.max(cwnd, Math.min(ssthresh, CongestionControl.MAX_CWND)));
    }

    /** The part of {@code acked} slow start did not use on reaching ssthresh: congestion avoidance gets it. */
    static int leftOverAfterSlowStart(int before, int after, int acked) {
        return Math.max(0, acked - (after - before));
    }

    /** A window kept within [1 byte, MAX_CWND]: never zero or negative, never near overflow. */
    static int bound(long cwnd) {
        return (int) Math.max(1, Math.min(cwnd, CongestionControl.MAX_CWND));
    }

    /** RFC 5681 §3.1 equation 4's floor: {@code max(x, 2*SMSS)}. */
    static int atLeastTwoSegments(long x, int mss) {
        return (int) Math.min(Math.max(x, 2L * mss), CongestionControl.MAX_CWND);
    }

    /** RFC 5681 §4.1: the restart window, RW = min(IW, cwnd). */
    static int restartWindow(int cwnd, int mss) {
        return Math.min(cwnd, CongestionControl.INITIAL_WINDOW_SEGMENTS * mss);
    }

    /**
     * Linux's tcp_current_ssthresh, applied on restart after idle (RFC 2861 §3's spirit): remember three
     * quarters of the window being given up, so slow start climbs back to it quickly.
     */
    static int currentSsthresh(int cwnd, int ssthresh) {
        return Math.max(ssthresh, (cwnd >> 1) + (cwnd >> 2));
    }
}
