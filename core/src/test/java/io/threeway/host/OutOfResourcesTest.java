package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linux's tcp_out_of_resources on an orphan's retransmission timer: three closed connections whose data cannot get
 * through linger as orphans; when the stack then holds more orphans than tcp_max_orphans, or more memory than
 * tcp_mem[2], each one whose timer fires is reset and dropped at once (TCPAbortOnMemory) instead of retrying.
 */
class OutOfResourcesTest {
    static final long MS = 1_000_000L;

    /** Three orphans with 10,000 bytes each stuck behind a black hole; {@code limit} is applied after the closes. */
    private static List<TcpConnection> strand(Network net, Stack a, Stack b, String sysctl, String value) {
        LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(5)).build();
        Link link = net.link(a, "198.18.0.1", b, "198.18.0.2", path);
        Listener l = b.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        List<TcpConnection> cs = new ArrayList<>();
        for (int i = 0; i < 3; i++) cs.add(a.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0));
        assertTrue(net.sim().runUntil(() -> l.acceptQueueLength() == 3, 1000 * MS));
        link.aToB().reconfigure(path.toBuilder().loss(1).build()); // nothing from a arrives any more
        for (TcpConnection c : cs) {
            assertEquals(10_000, c.write(new byte[10_000], 0, 10_000, net.now()));
            c.close(net.now());
        }
        a.userCallDone();
        assertEquals(3, a.tcpMemory().orphans(), "all three linger");
        a.sysctls().set(sysctl, value);
        return cs;
    }

    @Test
    void tooManyOrphansAtTheRetransmissionTimeoutAreResetAndDropped() {
        try (Network net = new Network(3)) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            List<TcpConnection> cs = strand(net, a, b, "net.ipv4.tcp_max_orphans", "1");
            long rsts = a.counters().get(Counter.OUT_RSTS);
            net.sim().runUntil(net.now() + 5_000 * MS); // a few retransmission timeouts
            assertEquals(2, a.counters().get(Counter.TCP_ABORT_ON_MEMORY), "3 > 1, then 2 > 1: two dropped, then 1 is allowed");
            assertEquals(2, a.counters().get(Counter.OUT_RSTS) - rsts, "each with a reset: it sent recently");
            assertEquals(1, a.tcpMemory().orphans());
            assertEquals(2, cs.stream().filter(c -> c.state() == TcpState.CLOSED).count());
        }
    }

    @Test
    void anOrphanQueuingDataOverTcpMemAtTheRetransmissionTimeoutIsDropped() {
        try (Network net = new Network(4)) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            strand(net, a, b, "net.ipv4.tcp_mem", "1 1 1");
            net.sim().runUntil(net.now() + 5_000 * MS);
            assertEquals(3, a.counters().get(Counter.TCP_ABORT_ON_MEMORY), "each queues more than SOCK_MIN_SNDBUF over tcp_mem[2]");
            assertEquals(0, a.tcpMemory().orphans());
            assertEquals(0, a.tcpMemory().allocatedBytes(), "their buffers given back");
        }
    }

    @Test
    void withinTheLimitsOrphansKeepRetrying() {
        try (Network net = new Network(5)) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            strand(net, a, b, "net.ipv4.tcp_max_orphans", "3");
            net.sim().runUntil(net.now() + 5_000 * MS);
            assertEquals(0, a.counters().get(Counter.TCP_ABORT_ON_MEMORY));
            assertEquals(3, a.tcpMemory().orphans());
            assertTrue(a.counters().get(Counter.RETRANS_SEGS) >= 3, "they retransmit");
        }
    }
}
