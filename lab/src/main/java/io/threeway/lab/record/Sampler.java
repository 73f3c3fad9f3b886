package io.threeway.lab.record;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/** Reads one connection's figures for the series. */
final class Sampler {
    /** Linux's TCP_INFINITE_SSTHRESH: no threshold yet. */
    private static final int INFINITE_SSTHRESH = 0x7fffffff;

    private Sampler() {}

    static SeriesPoint sample(TcpConnection c, int endpoint, long now) {
        TcpState state = c.state();
        int ssthresh = c.ssthresh();
        return new SeriesPoint(now, endpoint, state, c.cwnd(),
                ssthresh >= INFINITE_SSTHRESH || ssthresh <= 0 ? -1 : ssthresh, Math.max(0, c.unacked()),
                c.srtt(), c.rto(), Math.max(0, c.rcvWindow()), Math.max(0, c.sndWnd()), c.readable(),
                c.sendQueue());
    }
}
