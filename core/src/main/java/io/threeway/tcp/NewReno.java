package io.threeway.tcp;

/**
 * A bridge to {@link io.threeway.tcp.cc.NewReno} until TcpConnection uses the {@code tcp.cc} package directly
 * (see {@link io.threeway.tcp.cc.CongestionControls}); it keeps the engine's present behaviour: every ACK may
 * grow the window, and fast retransmit sets cwnd = ssthresh + 3*SMSS (RFC 5681 §3.2 step 2). Remove it, and
 * {@link CongestionControl}, once the engine is integrated.
 */
final class NewReno implements CongestionControl {
    static final int INITIAL_WINDOW_SEGMENTS = io.threeway.tcp.cc.CongestionControl.INITIAL_WINDOW_SEGMENTS;

    private final io.threeway.tcp.cc.NewReno reno = new io.threeway.tcp.cc.NewReno();

    @Override public String name() { return reno.name(); }
    @Override public void init(int mss, long now) { reno.init(mss, now); }
    @Override public int cwnd() { return reno.cwnd(); }
    @Override public int ssthresh() { return reno.ssthresh(); }
    @Override public void setCwnd(int c) { reno.setCwnd(c); }
    @Override public void onAck(int acked, int mss, long rtt, long now) { reno.onAck(acked, mss, true, rtt, now); }
    @Override public void onRecoveryExit(int flightSize, int mss) { reno.onRecoveryExit(flightSize, mss); }
    @Override public void onRetransmitTimeout(int flightSize, int mss, long now) { reno.onRetransmitTimeout(flightSize, mss, now); }

    @Override
    public void onFastRetransmit(int flightSize, int mss, long now) {
        reno.onLossDetected(flightSize, mss, now);
        reno.setCwnd(reno.ssthresh() + 3 * mss);
    }

    @Override
    public void onIdleRestart(int mss) {
        reno.onIdleRestart(mss, 0);
    }
}
