package io.threeway.tools;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.cc.CongestionControls;

/**
 * What {@code ss -i} shows about one connection, copied at one moment (Linux's {@code struct tcp_info}).
 * {@code ecn}: ECN was agreed in the handshake (TCPI_OPT_ECN). Times are nanoseconds, {@code cwnd} and {@code ssthresh} segments; the {@code last*} fields are how long ago the event happened, or -1 if never.
 */
public record TcpInfo(boolean timestamps, boolean sack, boolean ecn, String congestionControl, boolean windowScaling,
                      int sndWscale, int rcvWscale, long rto, int backoff, long srtt, long rttvar, int mss,
                      int rcvMss, int advMss, int cwnd, int ssthresh, long bytesSent, long bytesRetrans,
                      long bytesAcked, long bytesReceived, long segsOut, long segsIn, long dataSegsOut,
                      long dataSegsIn, long lastSend, long lastReceive, long lastAck, int unacked,
                      int retransmits, int totalRetrans, int rcvSpace, int notSent, long minRtt) {

    /**
     * The figures of {@code c} as they stand at {@code now}. A connection still in SYN-RECV has no congestion
     * control yet (the engine starts it when the handshake completes); like Linux's request socket, whose
     * tcp_info names the algorithm the child will use (tcp_ca_openreq_child), it shows TCP_CONGESTION's choice, else
     * the stack's {@code stackCc}.
     */
    public static TcpInfo of(TcpConnection c, long now, String stackCc) {
        int mss = Math.max(1, c.mss()); // the engine keeps cwnd and ssthresh in bytes; ss shows segments
        String cc = c.cwnd() > 0 ? c.congestionControl()
                : c.options() != null && CongestionControls.isAvailable(c.options().congestion) ? c.options().congestion.trim()
                : stackCc;
        return new TcpInfo(c.timestamps(), c.sack(), c.ecn(), cc, c.windowScaling(), c.sndWscale(),
                c.rcvWscale(), c.rto(), c.backoff(), c.srtt(), c.rttvar(), c.mss(), c.rcvMss(), c.advMss(), c.cwnd() / mss,
                c.ssthresh() / mss, c.bytesSent(), c.bytesRetrans(), c.bytesAcked(), c.bytesReceived(), c.segsOut(),
                c.segsIn(), c.dataSegsOut(), c.dataSegsIn(), ago(c.lastDataSendTime(), c.bytesSent(), now),
                ago(c.lastDataRecvTime(), c.bytesReceived(), now), ago(c.lastAckRecvTime(), c.bytesAcked(), now),
                c.unacked(), c.retransmits(), c.totalRetrans(), c.rcvSpace(), c.notSent(), c.minRtt());
    }

    private static long ago(long at, long happened, long now) {
        return happened > 0 && at > 0 && at <= now ? now - at : -1;
    }
}
