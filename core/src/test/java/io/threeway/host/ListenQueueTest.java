package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accept queue when the application does not accept, and what the socket table shows. */
class ListenQueueTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Setup(Network net, Stack client, Stack server) {}

    static Setup setup(long seed) {
        Network net = new Network(seed);
        Stack c = net.host("client");
        Stack s = net.host("server");
        net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(10)).build());
        return new Setup(net, c, s);
    }

    private static List<TcpConnection> connectMany(Setup e, int n) {
        List<TcpConnection> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) cs.add(e.client.connect(SERVER, 80, 0, new ConnectionOptions(), e.net.now()));
        return cs;
    }

    /**
     * Backlog 2: the accept queue holds three (Linux's sk_acceptq_is_full is "more than the backlog") and the
     * SYN queue two. Two connections wait unaccepted; then two more SYNs arrive at once. Both are admitted
     * (the accept queue is not yet full), but only the first final ACK fits: the second overflows.
     */
    private static List<TcpConnection> overflowOnce(Setup e, Listener l) {
        List<TcpConnection> cs = new ArrayList<>(connectMany(e, 2));
        e.net.sim().runFor(Duration.ofSeconds(1));
        assertEquals(2, l.acceptQueueLength());
        cs.addAll(connectMany(e, 2));
        e.net.sim().runFor(Duration.ofMillis(500));
        return cs;
    }

    @Test
    void fullAcceptQueueDropsTheFinalAckWhileTheClientBelievesItIsConnected() {
        Setup e = setup(1);
        Listener l = e.server.listen(IpAddress.ANY4, 80, 2, new ConnectionOptions(), false);
        List<TcpConnection> cs = overflowOnce(e, l);
        assertEquals(3, l.acceptQueueLength());
        assertEquals(l.acceptQueueLength(), e.server.sockets().get(0).recvQ(), "ss Recv-Q on the listener");
        assertEquals(2, e.server.sockets().get(0).sendQ(), "ss Send-Q on the listener: the backlog");
        assertTrue(cs.stream().allMatch(c -> c.state() == TcpState.ESTABLISHED), "every client believes it is connected");
        long halfOpen = e.server.connections().stream().filter(c -> c.state() == TcpState.SYN_RECEIVED).count();
        assertEquals(1, halfOpen, "the server kept the last one in SYN-RECV, dropping its final ACK");
        long overflows = e.server.counters().get(Counter.LISTEN_OVERFLOWS);
        assertTrue(overflows >= 1, "ListenOverflows " + overflows);
        assertTrue(e.server.counters().get(Counter.LISTEN_DROPS) >= overflows, "every overflow is also a drop");

        // Once the application accepts, a SYN-ACK retransmission draws a fresh ACK that now fits.
        assertNotNull(l.accept());
        e.net.sim().runFor(Duration.ofSeconds(10));
        assertEquals(3, l.acceptQueueLength(), "the waiting connection completed after accept() made room");
        assertEquals(0, e.server.connections().stream().filter(c -> c.state() == TcpState.SYN_RECEIVED).count());
    }

    @Test
    void abortOnOverflowResetsTheClient() {
        Setup e = setup(2);
        e.server.sysctls().set("net.ipv4.tcp_abort_on_overflow", "1");
        Listener l = e.server.listen(IpAddress.ANY4, 80, 2, new ConnectionOptions(), false);
        List<TcpConnection> cs = overflowOnce(e, l);
        assertEquals(3, l.acceptQueueLength());
        long reset = cs.stream().filter(c -> c.state() == TcpState.CLOSED && c.error() == Errno.ECONNRESET).count();
        assertEquals(1, reset, "the client whose ACK overflowed the queue was reset");
        assertEquals(1, e.server.counters().get(Counter.LISTEN_OVERFLOWS));
    }

    @Test
    void withCookiesTheOverflowingClientsStillBelieveTheyAreConnected() {
        Setup e = setup(4);
        Listener l = e.server.listen(IpAddress.ANY4, 80, 1, new ConnectionOptions(), false);
        List<TcpConnection> cs = connectMany(e, 4);
        e.net.sim().runFor(Duration.ofSeconds(2));
        assertEquals(2, l.acceptQueueLength());
        assertTrue(cs.stream().allMatch(c -> c.state() == TcpState.ESTABLISHED));
        assertTrue(e.server.counters().get(Counter.SYNCOOKIES_SENT) >= 2, "the SYN queue (limited by the backlog) overflowed");
        assertTrue(e.server.counters().get(Counter.LISTEN_OVERFLOWS) >= 2, "their cookie ACKs found the accept queue full");
        assertEquals(2, e.server.connectionCount(), "and nothing is kept for them: no SYN-RECV entries");
    }

    @Test
    void ignoredFinLeavesCloseWaitInTheSocketTable() {
        Setup e = setup(3);
        Listener l = e.server.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        e.net.sim().runUntil(() -> l.acceptQueueLength() == 1, 1_000_000_000L);
        TcpConnection s = l.accept();
        c.close(e.net.now());
        e.client.userCallDone();
        e.net.sim().runFor(Duration.ofMinutes(10));
        // The application never reads EOF and never closes: the leak the seeds describe.
        SocketInfo row = e.server.sockets().stream().filter(r -> r.state() != TcpState.LISTEN).findFirst().orElseThrow();
        assertEquals(TcpState.CLOSE_WAIT, row.state());
        assertEquals(c.tuple().localPort(), row.peerPort());
        assertEquals(TcpState.CLOSE_WAIT, s.state());
        assertEquals(0, e.client.connectionCount(), "the client's side timed out of FIN-WAIT-2 (tcp_fin_timeout)");
    }
}
