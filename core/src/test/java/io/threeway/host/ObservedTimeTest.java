package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What observers see (pcap, tcpdump lines, the web lab's live mode) runs forward in time: a FIN sent by close(),
 * a user call made later than the stack's last event, is stamped with the call's time, never older than the
 * transition close() reported just before it (seen on a TUN stack: the FIN came 50 ms "before" its LAST-ACK).
 */
class ObservedTimeTest {
    static final long MS = 1_000_000L;

    @Test
    void aFinFromCloseIsStampedWithTheCallsTimeNotTheStacksLastEvent() {
        try (Network net = new Network(8)) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            net.link(a, "198.18.0.1", b, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = b.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
            TcpConnection c = a.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
            assertTrue(net.sim().runUntil(() -> l.acceptQueueLength() > 0, 1000 * MS));
            net.sim().runUntil(net.now() + 5_000 * MS); // idle: the stack's last event is 5 s old
            List<Long> seen = new ArrayList<>();
            a.addObserver(new StackObserver() {
                @Override
                public void packet(Stack s, boolean outbound, byte[] p, int off, int len, long now) { seen.add(now); }

                @Override
                public void transition(Stack s, FourTuple t, TcpConnection conn, TcpState from, TcpState to, String cause, long now) {
                    seen.add(now);
                }
            });
            long closeAt = net.now();
            c.close(closeAt);
            a.userCallDone();
            assertEquals(List.of(closeAt, closeAt), seen, "the FIN-WAIT-1 transition, then the FIN, both at the call's time");
        }
    }
}
