package io.threeway.lab.record;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;

/** Reads one connection's figures for the series. */
final class Sampler {
    /** Linux's TCP_INFINITE_SSTHRESH: no threshold yet. */
    private static final int INFINITE_SSTHRESH = 0x7fffffff;

    private Sampler() {}

    static SeriesPoint sample(TcpConnection c, int endpoint, long now) {
        TcpInfo i = c.info(now);
        int ssthresh = i.ssthreshBytes();
        return new SeriesPoint(now, endpoint, i.state(), i.cwndBytes(),
                ssthresh >= INFINITE_SSTHRESH || ssthresh <= 0 ? -1 : ssthresh, Math.max(0, i.unacked()),
                i.srtt(), i.rto(), Math.max(0, i.rcvWnd()), Math.max(0, i.sndWnd()), i.readable(),
                i.sendQueue());
    }
}
