package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bugs the soak found that show on a host (its memory account), each as the smallest run that shows it. */
class SoakFindingsHostTest {
    static final long MS = 1_000_000L;

    /**
     * Soak seeds 2 and 7: a connection reset by its peer with data still unread, then abort()ed by its application
     * (SO_LINGER 0 and close, or a timeout's abort), kept its receive buffer charged to tcp_mem forever: abort() of a
     * CLOSED connection returned at once, where close() gives the unread data back (Linux's tcp_close purges the
     * receive queue either way).
     */
    @Test
    void abortingAResetConnectionWithUnreadDataGivesItsBufferBack() {
        try (Network net = new Network(5)) {
            Pair p = Pair.connect(net);
            Stack a = p.a(), b = p.b();
            TcpConnection client = p.client(), server = p.server();
            server.write(new byte[5000], 0, 5000, net.now());
            b.userCallDone();
            assertTrue(net.sim().runUntil(() -> client.readable() == 5000, net.now() + 1000 * MS));
            assertTrue(a.tcpMemory().allocatedBytes() > 0, "the unread data is charged");
            server.abort(net.now());
            b.userCallDone();
            assertTrue(net.sim().runUntil(() -> client.state() == TcpState.CLOSED, net.now() + 1000 * MS), "reset");
            client.abort(net.now());
            a.userCallDone();
            assertEquals(0, a.tcpMemory().allocatedBytes(), "nothing charged once the application let go");
        }
    }

    /**
     * Soak seeds 1, 2, 3 and 7: a client shut down its sending side, the server answered and closed, and the answer
     * was still unread when the client's connection entered TIME-WAIT, which kept the receive buffer for the
     * application. The application read it and closed: the close compacted the TIME-WAIT and dropped the buffer
     * without giving its bytes back to tcp_mem, so the stack's account grew with every such connection.
     */
    @Test
    void closingInTimeWaitAfterReadingGivesTheBufferBack() {
        try (Network net = new Network(6)) {
            Pair p = Pair.connect(net);
            Stack a = p.a(), b = p.b();
            TcpConnection client = p.client(), server = p.server();
            client.shutdownOutput(net.now());
            a.userCallDone();
            server.write(new byte[5000], 0, 5000, net.now());
            server.close(net.now());
            b.userCallDone();
            assertTrue(net.sim().runUntil(() -> client.state() == TcpState.TIME_WAIT, net.now() + 1000 * MS));
            assertEquals(5000, client.readable(), "the answer waits in TIME-WAIT");
            byte[] buf = new byte[8192];
            assertEquals(5000, client.read(buf, 0, buf.length, net.now()));
            client.close(net.now());
            a.userCallDone();
            assertEquals(0, a.tcpMemory().allocatedBytes(), "nothing charged once the application let go");
        }
    }

    /** Host a (198.18.0.1) connected to a listener on host b (198.18.0.2:80) over a 5 ms link, and the accepted end. */
    private record Pair(Stack a, Stack b, TcpConnection client, TcpConnection server) {
        static Pair connect(Network net) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            net.link(a, "198.18.0.1", b, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = b.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
            TcpConnection client = a.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
            assertTrue(net.sim().runUntil(() -> l.acceptQueueLength() > 0, 1000 * MS));
            return new Pair(a, b, client, l.accept());
        }
    }
}
