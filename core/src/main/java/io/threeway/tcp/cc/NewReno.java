package io.threeway.tcp.cc;

/**
 * NewReno's window arithmetic (RFC 5681 §3.1, RFC 6582): slow start below ssthresh, congestion avoidance
 * above it with about one SMSS per RTT, halving on loss. Byte counting as RFC 3465 in congestion avoidance; in
 * slow start every segment acknowledged counts, with no limit L, as in Linux's tcp_slow_start.
 *
 * <p>The window grows only while it limits the sender (Linux's tcp_is_cwnd_limited): an application that
 * sends less than cwnd allows has not shown the network can carry more, and a window grown on such ACKs
 * would be released later as one burst (RFC 7661 §1). It is therefore also bounded: it can exceed what
 * was in flight by at most what one window of ACKs can add.
 */
public final class NewReno implements CongestionControl {
    /** The congestion window, bytes. */
    private int cwnd;
    /** The slow-start threshold, bytes. */
    private int ssthresh = Integer.MAX_VALUE;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance (RFC 3465 §2.1's bytes_acked). */
    private int bytesAcked;

    @Override public String name() { return "reno"; }

    @Override
    public void init(int mss, long now) {
        cwnd = CongestionControl.INITIAL_WINDOW_SEGMENTS * mss;
        ssthresh = Integer.MAX_VALUE;
        bytesAcked = 0;
    }

    @Override public int cwnd() { return cwnd; }
    @Override public int ssthresh() { return ssthresh; }
    @Override public void setCwnd(int c) { cwnd = WindowMath.bound(c); }
    @Override public void raiseSsthresh(int s) { ssthresh = Math.max(ssthresh, s); }

    @Override
    public void onAck(int acked, int mss, boolean cwndLimited, long rttSample, long now) {
        if (!cwndLimited || acked <= 0) return;
        if (cwnd < ssthresh) {
            int before = cwnd;
            cwnd = WindowMath.slowStart(cwnd, ssthresh, acked, mss);
            acked = WindowMath.leftOverAfterSlowStart(before, cwnd, acked);
            if (cwnd < ssthresh || acked == 0) return;
        }
        // RFC 5681 §3.1 equation 3 by RFC 3465 §2.1: "When bytes_acked becomes greater than or equal to the
        // value of the congestion window, bytes_acked is reduced by the value of cwnd. Next, cwnd is
        // incremented by a full-sized segment (SMSS)."
        // A stretch ACK covering more than a window earns one SMSS per window it covers (Linux's
        // tcp_cong_avoid_ai); the remainder stays below cwnd, so the sum cannot overflow.
        long counted = (long) bytesAcked + acked;
        long windows = counted / cwnd;
        bytesAcked = (int) (counted - windows * cwnd);
        cwnd = WindowMath.bound(cwnd + windows * mss);
    }

    @Override
    public void onLossDetected(int flightSize, int mss, long now) {
        // RFC 5681 §3.1 equation 4: ssthresh = max(FlightSize / 2, 2*SMSS).
        ssthresh = WindowMath.atLeastTwoSegments(flightSize / 2, mss);
        cwnd = ssthresh;
        bytesAcked = 0;
    }

    /** Linux's tcp_reno_ssthresh: {@code max(snd_cwnd >> 1, 2)}. */
    @Override
    public void onCongestion(int mss, long now) {
        ssthresh = WindowMath.atLeastTwoSegments(cwnd / 2, mss);
        bytesAcked = 0;
    }

    @Override
    public void onRecoveryExit(int flightSize, int mss) {
        // RFC 6582 §3.2 step 3, option (1): "Set cwnd to ssthresh".
        cwnd = ssthresh;
        bytesAcked = 0;
    }

    @Override
    public void onRetransmitTimeout(int flightSize, int mss, long now) {
        ssthresh = WindowMath.atLeastTwoSegments(flightSize / 2, mss);
        cwnd = mss; // RFC 5681 §3.1: "the loss window, LW, which equals 1 full-sized segment"
        bytesAcked = 0;
    }

    @Override
    public void onIdleRestart(int mss, long now) {
        ssthresh = WindowMath.currentSsthresh(cwnd, ssthresh);
        cwnd = WindowMath.restartWindow(cwnd, mss);
        bytesAcked = 0;
    }

    @Override
    public void onTransmitStart(long lastSendTime, long now) {
        // Reno's growth counts bytes, not time: an idle gap changes nothing.
    }
}
