package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bottleneck queue that marks instead of dropping ({@link LinkConfig#ceThreshold}, as sch_fq_codel's ce_threshold
 * or sch_red's ecn): with ECN agreed (net.ipv4.tcp_ecn = 1), the sender's window is held below the drop-tail limit by
 * CE marks, echoed as ECE and answered with CWR (RFC 3168 §6.1.2); without ECN the same path drops.
 */
class CeMarkingTest {
    record Run(long ceMarked, long queueDrops, long deliveredCe, boolean receiverSawEcn, long retransmitted) {}

    /** 4 MB over a 10 Mbit/s, 20 ms RTT path whose queue holds 100 packets and marks from {@code threshold}. */
    static Run transfer(boolean ecn, int threshold) {
        try (Network net = new Network(5)) {
            Sysctls settings = new Sysctls();
            settings.set("net.ipv4.tcp_ecn", ecn ? "1" : "0");
            Stack a = net.host("sender", new Sysctls(settings));
            Stack b = net.host("receiver", new Sysctls(settings));
            LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(10)).bandwidth(10_000_000L)
                    .queueLimit(1_000_000).queuePackets(100).ceThreshold(threshold).build();
            Link link = net.link(a, "198.18.0.1", b, "198.18.0.2", path);
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, new ConnectionOptions(), 0);
            net.sim().runUntil(() -> l.acceptQueueLength() == 1, 10_000_000_000L);
            TcpConnection rcv = l.accept();
            int size = 4 << 20;
            byte[] chunk = new byte[64 * 1024];
            long[] moved = {0, 0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                for (int w; moved[0] < size && (w = snd.write(chunk, 0, (int) Math.min(chunk.length, size - moved[0]), now)) > 0; ) moved[0] += w;
                for (int n; (n = rcv.read(chunk, 0, chunk.length, now)) > 0; ) moved[1] += n;
                a.userCallDone();
                b.userCallDone();
                if (moved[1] < size) net.sim().scheduleIn(1_000_000L, tick[0]);
            };
            net.sim().schedule(net.now(), tick[0]);
            net.sim().runUntil(() -> moved[1] >= size, 600_000_000_000L);
            assertEquals(size, moved[1], "the transfer completed");
            return new Run(link.aToB().stats().ceMarked(), link.aToB().stats().droppedByQueue(),
                    a.counters().get(Counter.TCP_DELIVERED_CE), rcv.info(net.now()).ecnSeen(), snd.info(net.now()).bytesRetrans());
        }
    }

    @Test
    void marksTakeThePlaceOfDrops() {
        Run marked = transfer(true, 20);
        Run plain = transfer(false, 20);
        System.out.println("ce_threshold 20 with ECN: " + marked + "; without ECN: " + plain);
        assertTrue(plain.queueDrops() > 0, "without ECN the 100-packet queue overflows: " + plain);
        assertEquals(0, plain.ceMarked(), "Not-ECT packets are never marked");
        assertTrue(marked.ceMarked() > 0, "the queue marked: " + marked);
        assertEquals(0, marked.queueDrops(), "ECN held the window below the drop-tail limit: " + marked);
        assertTrue(marked.deliveredCe() > 0, "the sender saw ECE (TcpExtTCPDeliveredCE)");
        assertTrue(marked.receiverSawEcn(), "ss -i: ecnseen");
        assertEquals(0, marked.retransmitted(), "nothing lost, nothing resent");
    }

    @Test
    void markingSetsCeOnEctOnlyAndKeepsTheIpv4ChecksumRight() {
        byte[] ect0 = {0x45, 0x02, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, (byte) 198, 18, 0, 1, (byte) 198, 18, 0, 2};
        assertTrue(CeMarking.mark(ect0, ect0.length));
        assertEquals(3, ect0[1] & 3, "ECT(0) becomes CE");
        assertEquals(0, io.threeway.wire.Checksum.compute(ect0, 0, 20) & 0xFFFF, "the header checksum still verifies");
        byte[] notEct = ect0.clone();
        notEct[1] = 0;
        assertFalse(CeMarking.mark(notEct, notEct.length), "Not-ECT is left alone");
        byte[] v6 = new byte[40];
        v6[0] = 0x60;
        v6[1] = 0x10;                                  // traffic class 0x01: ECT(1)
        assertTrue(CeMarking.mark(v6, 40));
        assertEquals(0x30, v6[1] & 0x30, "IPv6: CE in the traffic class's low bits");
    }
}
