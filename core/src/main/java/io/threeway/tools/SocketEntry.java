package io.threeway.tools;

import io.threeway.host.SocketInfo;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;

/**
 * One row of a socket table as ss prints it, copied at one moment.
 *
 * @param recvQ     a listener's accept-queue length, or a connection's bytes received and not yet read
 * @param sendQ     a listener's accept-queue limit (the backlog), or a connection's bytes not yet acknowledged
 * @param timer     ss -o's timer name ({@code on}, {@code persist}, {@code keepalive}, {@code timewait}) or null
 * @param timerLeft nanoseconds until that timer fires
 * @param timerCount ss -o's third field: retransmissions, or keepalive probes, sent so far
 * @param orphaned  the application has closed the socket and the stack finishes it alone
 * @param info      the {@code -i} details, or null for a listener
 */
public record SocketEntry(TcpState state, int recvQ, int sendQ, IpAddress localAddress, int localPort,
                          IpAddress peerAddress, int peerPort, String timer, long timerLeft, int timerCount,
                          boolean orphaned, TcpInfo info) {

    /** A copy of {@code s} at {@code now}: the timer's remaining time is counted from {@code now}. */
    public static SocketEntry of(SocketInfo s, long now) {
        var c = s.connection();
        if (c == null) {
            // A listener (no timer), or a compact TIME-WAIT (its timewait timer, no details, as ss shows it).
            long left = s.timer() == null ? 0 : Math.max(0, s.timerAt() - now);
            return new SocketEntry(s.state(), s.recvQ(), s.sendQ(), s.localAddress(), s.localPort(), s.peerAddress(),
                    s.peerPort(), s.timer(), left, s.retransmits(), false, null);
        }
        TcpInfo i = c.info(now);
        String timer = i.timer();
        long left = timer == null ? 0 : Math.max(0, i.timerDeadline() - now);
        return new SocketEntry(s.state(), s.recvQ(), s.sendQ(), s.localAddress(), s.localPort(), s.peerAddress(),
                s.peerPort(), timer, left, s.retransmits(), i.orphaned(), i);
    }
}
