package io.threeway.tcp;

/**
 * What a connection does about ICMP errors the host has matched to it (RFC 1122 §4.2.3.9, RFC 5927; Linux's
 * tcp_v4_err and tcp_v6_err): hard errors while connecting, soft errors once synchronized, and path MTU
 * reductions (RFC 1191, RFC 8201).
 */
final class IcmpReactions {
    private IcmpReactions() {}

    /**
     * An ICMP or ICMPv6 error about a segment we sent, already mapped to its errno and checked against our
     * sequence space by the host. While connecting it is a hard error: connect() fails with it at once. On a
     * synchronized connection it is soft (RFC 1122 §4.2.3.9: only "protocol unreachable" and "port
     * unreachable" may be hard, and Linux treats even those as soft once established): remembered, and reported
     * in place of ETIMEDOUT if the connection later times out.
     */
    static void error(TcpConnection c, Errno err, long now) {
        Tcb t = c.tcb;
        switch (t.state) {
            case SYN_SENT -> {
                t.error = err;
                c.closeNow("ICMP error: " + err.message(), now);
            }
            case SYN_RECEIVED -> {
                if (t.passive) {
                    // Linux's tcp_req_err: the half-open connection is dropped quietly, the listener stays.
                    c.dropHalfOpen("ICMP error: " + err.message(), now);
                    return;
                }
                t.error = err;
                c.closeNow("ICMP error: " + err.message(), now);
            }
            case CLOSED, LISTEN, TIME_WAIT -> { }
            default -> t.softError = err;
        }
        c.afterEvent(now);
    }

    /**
     * The path MTU to the peer fell to {@code mtu}; the host's path MTU cache already holds it. As Linux's
     * tcp_v4_mtu_reduced: tcp_sync_mss lowers the sending MSS, and tcp_simple_retransmit resends what is in
     * flight in segments of the new size at once, without treating the loss as congestion.
     */
    static void pathMtuChanged(TcpConnection c, int mtu, long now) {
        Tcb t = c.tcb;
        if (t.state == TcpState.SYN_SENT) {
            c.handshake().pathMtuReduced(now);
            c.afterEvent(now);
            return;
        }
        if (!t.open()) return;
        int m = MssPolicy.sending(t, mtu);
        if (m >= t.mss) return;
        t.mss = m;
        if (t.sndUna != t.sndMax) c.sender.resendFromUna(now);
        c.afterEvent(now);
    }
}
