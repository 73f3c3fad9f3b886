package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;

/**
 * One row of the socket table, as ss reads it from the kernel: a snapshot, so tools can print it after the
 * stack has moved on.
 *
 * <p>For a listener, {@code recvQ} is the accept queue's length and {@code sendQ} its limit (ss's meaning);
 * for a connection, they are bytes received but not read and bytes sent but not acknowledged.
 *
 * @param timer       ss -o's timer name ({@code on}, {@code persist}, {@code keepalive}, {@code timewait}) or null
 * @param timerLeft   nanoseconds until that timer fires
 * @param retransmits consecutive timeouts so far (ss's third timer field)
 * @param connection  the live connection for the -i details, or null for a listener or a compact TIME-WAIT
 * @param timerAt     when that timer fires (ns), or Long.MAX_VALUE without one
 */
public record SocketInfo(TcpState state, int recvQ, int sendQ, IpAddress localAddress, int localPort,
                         IpAddress peerAddress, int peerPort, String timer, long timerLeft, int retransmits,
                         TcpConnection connection, long timerAt) {

    static SocketInfo of(Listener l) {
        IpAddress any = l.address().v6() ? IpAddress.ANY6 : IpAddress.ANY4;
        return new SocketInfo(TcpState.LISTEN, l.acceptQueueLength(), l.acceptQueueLimit(), l.address(), l.port(),
                any, 0, null, 0, 0, null, Long.MAX_VALUE);
    }

    /** A compact TIME-WAIT's row: nothing queued, the timewait timer, no details. */
    static SocketInfo of(TimeWaitEntry tw, long now) {
        long left = Math.max(0, tw.timeWaitDeadline() - now);
        return new SocketInfo(TcpState.TIME_WAIT, 0, 0, tw.local(), tw.localPort(), tw.remote(), tw.remotePort(),
                "timewait", left, 0, null, tw.timeWaitDeadline());
    }

    static SocketInfo of(TcpConnection c, long now) {
        TcpInfo i = c.info(now);
        String timer = i.timer();
        long left = timer == null ? 0 : Math.max(0, i.timerDeadline() - now);
        int retrans = "keepalive".equals(timer) ? i.probes() : i.retransmits();
        return new SocketInfo(i.state(), i.readable(), i.sendQueue(), c.tuple().localAddress(), c.tuple().localPort(),
                c.tuple().remoteAddress(), c.tuple().remotePort(), timer, left, retrans, c,
                timer == null ? Long.MAX_VALUE : i.timerDeadline());
    }
}
