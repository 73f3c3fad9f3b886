package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpMemory;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * net.ipv4.tcp_mem and tcp_max_orphans as Linux applies them: receivers that stop reading push the stack into
 * memory pressure (TCPMemoryPressures) and past the hard limit, where data that would grow a buffer is dropped
 * (TCPRcvQDrop, TCPOFODrop) and the buffers stop near the limit; once read and closed, every byte is given back.
 * Closing with too many orphans resets at once (TCPAbortOnMemory).
 */
class TcpMemoryTest {
    static final long MS = 1_000_000L;
    static final IpAddress B = IpAddress.parse("198.18.0.2");

    @Test
    void readersThatStopPushIntoPressureTheHardLimitHoldsAndEverythingIsGivenBack() {
        try (Network net = new Network(11)) {
            Stack a = net.host("sender");
            Stack b = net.host("receiver");
            b.sysctls().set("net.ipv4.tcp_mem", "16 32 64"); // pages: 64 KiB, 128 KiB, 256 KiB
            net.link(a, "198.18.0.1", b, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = b.listen(IpAddress.ANY4, 5001, 64, new ConnectionOptions(), false);
            List<TcpConnection> senders = new ArrayList<>();
            for (int i = 0; i < 16; i++) senders.add(a.connect(B, 5001, 0, new ConnectionOptions(), 0));
            List<TcpConnection> receivers = new ArrayList<>();
            byte[] buf = new byte[64 * 1024];
            long[] peak = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                for (TcpConnection c; (c = l.accept()) != null; ) receivers.add(c);
                if (now < 2000 * MS) for (TcpConnection s : senders) s.write(buf, 0, buf.length, now);
                else if (now < 2100 * MS) for (TcpConnection s : senders) s.close(now);
                if (now >= 3000 * MS) { // the readers come back, read everything and close
                    for (TcpConnection r : receivers) {
                        while (r.read(buf, 0, buf.length, now) > 0) { }
                        if (r.atEof() && r.state() == TcpState.CLOSE_WAIT) r.close(now);
                    }
                }
                peak[0] = Math.max(peak[0], b.tcpMemory().allocatedPages());
                a.userCallDone();
                b.userCallDone();
                net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(0, tick[0]);
            net.sim().runUntil(2000 * MS);
            TcpMemory m = b.tcpMemory();
            assertTrue(b.counters().get(Counter.TCP_MEMORY_PRESSURES) >= 1, "entered memory pressure");
            assertTrue(m.underPressure(), "still under pressure while nobody reads");
            long dropped = b.counters().get(Counter.TCP_RCV_Q_DROP) + b.counters().get(Counter.TCP_OFO_DROP);
            assertTrue(dropped > 0, "data that would have grown a buffer past tcp_mem[2] was dropped");
            // A buffer past the limit no longer grows; one may double once on the way (arrays grow in powers of two).
            assertTrue(peak[0] <= 2 * 64 + 16, "buffers stopped near tcp_mem[2]: peak " + peak[0] + " pages");
            net.sim().runUntil(200_000 * MS);
            assertEquals(16, receivers.size());
            for (TcpConnection r : receivers) assertEquals(TcpState.CLOSED, r.state(), r.debugState());
            assertEquals(0, m.allocatedBytes(), "every buffer was given back to the account");
            assertEquals(0, a.tcpMemory().allocatedBytes(), "the sender's too");
            assertFalse(m.underPressure(), "pressure left below tcp_mem[0]");
            assertEquals(0, a.tcpMemory().orphans(), "no orphan left");
            assertEquals(0, a.internalErrors() + b.internalErrors());
        }
    }

    @Test
    void closingWithTooManyOrphansResetsAtOnce() {
        try (Network net = new Network(12)) {
            Stack a = net.host("client");
            Stack b = net.host("server");
            a.sysctls().set("net.ipv4.tcp_max_orphans", "2");
            net.link(a, "198.18.0.1", b, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = b.listen(IpAddress.ANY4, 80, 64, new ConnectionOptions(), false);
            List<TcpConnection> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) clients.add(a.connect(B, 80, 0, new ConnectionOptions(), 0));
            net.sim().runUntil(100 * MS);
            byte[] big = new byte[1 << 20];
            long now = net.now();
            // The server never reads: each client's data fills the window, so its FIN cannot go and it lingers.
            for (TcpConnection c : clients) c.write(big, 0, big.length, now);
            a.userCallDone();
            net.sim().runUntil(1000 * MS);
            now = net.now();
            for (TcpConnection c : clients) c.close(now);
            a.userCallDone();
            assertEquals(3, a.counters().get(Counter.TCP_ABORT_ON_MEMORY), "the third orphan on exceeds tcp_max_orphans 2");
            assertEquals(2, a.tcpMemory().orphans());
            long reset = clients.stream().filter(c -> c.state() == TcpState.CLOSED).count();
            assertEquals(3, reset);
            assertEquals(5, l.acceptQueueLength(), "the server's connections wait unaccepted");
        }
    }
}
