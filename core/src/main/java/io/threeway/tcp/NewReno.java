package io.threeway.tcp;

/**
 * NewReno's window arithmetic (RFC 5681 §3.1, RFC 6582): slow start below ssthresh, congestion avoidance
 * above it with about one MSS per RTT, halving on loss. Byte counting as RFC 3465 with L = 2·SMSS.
 */
final class NewReno implements CongestionControl {
    /** RFC 6928's initial window, as Linux's TCP_INIT_CWND. */
    static final int INITIAL_WINDOW_SEGMENTS = 10;

    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance. */
    private int bytesAcked;

    @Override public String name() { return "reno"; }

    @Override
    public void init(int mss, long now) {
        cwnd = INITIAL_WINDOW_SEGMENTS * mss;
    }

    @Override public int cwnd() { return cwnd; }
    @Override public int ssthresh() { return ssthresh; }
    @Override public void setCwnd(int c) { cwnd = Math.max(c, 1); }

    @Override
    public void onAck(int acked, int mss, long rtt, long now) {
        if (cwnd < ssthresh) {
            // RFC 5681 eq. 2 with RFC 3465's limit L = 2*SMSS per ACK.
            cwnd = grow(cwnd, Math.min(acked, 2 * mss));
        } else {
            // RFC 5681 eq. 3: roughly one SMSS per RTT, counted in bytes.
            bytesAcked += acked;
            if (bytesAcked >= cwnd) {
                bytesAcked -= cwnd;
                cwnd = grow(cwnd, mss);
            }
        }
    }

    /**
     * Grows the window without wrapping: on a path with no loss (a zero-delay link) cwnd grows with every ACK
     * and would pass Integer.MAX_VALUE after about a gigabyte, turning negative and stalling the sender.
     * Linux bounds it with snd_cwnd_clamp and grows only when cwnd-limited; this is the minimal guard.
     */
    private static int grow(int cwnd, int by) {
        return (int) Math.min((long) cwnd + by, MAX_CWND);
    }

    /** The largest window kept: far above any send buffer, far below overflow. */
    static final int MAX_CWND = Integer.MAX_VALUE / 2;

    @Override
    public void onFastRetransmit(int flightSize, int mss, long now) {
        // RFC 5681 eq. 4: ssthresh = max(FlightSize / 2, 2*SMSS); cwnd = ssthresh + 3*SMSS.
        ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = ssthresh + 3 * mss;
        bytesAcked = 0;
    }

    @Override
    public void onRecoveryExit(int flightSize, int mss) {
        // RFC 6582 §3.2 step 3, option (1): deflate to ssthresh.
        cwnd = ssthresh;
        bytesAcked = 0;
    }

    @Override
    public void onRetransmitTimeout(int flightSize, int mss, long now) {
        ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = mss; // RFC 5681 §3.1: loss window, one segment
        bytesAcked = 0;
    }

    @Override
    public void onIdleRestart(int mss) {
        cwnd = Math.min(cwnd, INITIAL_WINDOW_SEGMENTS * mss);
    }
}
