package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Impairment;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segmentation offload on a simulated link (issue 15's second point): a link that says it carries super-segments
 * gets a bulk transfer's data in packets of several MSS, built once by the sender and taken whole by the receiver,
 * every byte arriving in order; a link that does not (the default, which the lab's scenarios use) sees nothing
 * larger than its MTU.
 */
class SegmentationOffloadTest {
    static final long MS = 1_000_000L;
    static final int BYTES = 4 << 20;

    /** What one transfer showed on the wire. */
    record Transfer(List<Integer> lengths, long received, long outSegs, long packetsSent, List<String> lines, Link link) {
        int largest() {
            return lengths.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    @Test
    void anOffloadingLinkCarriesSuperSegmentsAndEveryByteArrivesInOrder() {
        Transfer t = transfer(LinkConfig.builder().delay(Duration.ofMillis(1)).offload().build());
        assertEquals(BYTES, t.received(), "every byte arrived, in order (checked byte by byte)");
        assertTrue(t.largest() > 1500, "super-segments on the wire: the largest packet was " + t.largest());
        assertTrue(t.largest() <= LinkConfig.GSO_MAX_SIZE, "no packet above gso_max_size: " + t.largest());
        assertTrue(t.outSegs() > t.packetsSent(), "OutSegs counts the segments a super-segment stands for ("
                + t.outSegs() + " segments in " + t.packetsSent() + " packets)");
        assertTrue(t.lines().stream().anyMatch(l -> l.matches(".*length (\\d{4,5})$") && !l.endsWith("length 1448")),
                "tcpdump shows a super-segment as one packet, as on Linux's lo: " + t.lines().subList(0, 8));
        assertEquals(0, t.link().aToB().stats().droppedByMtu());
    }

    @Test
    void aLinkWithoutOffloadSeesOnlyPacketsOfItsMtu() {
        Transfer t = transfer(LinkConfig.builder().delay(Duration.ofMillis(1)).build());
        assertEquals(BYTES, t.received());
        assertEquals(1500, t.largest(), "one MSS per packet");
        assertEquals(t.outSegs(), t.packetsSent(), "one segment per packet");
    }

    @Test
    void theMtuAppliesToEachSegmentASuperSegmentStandsFor() {
        byte[] p = new byte[20 + 32 + 5 * 1448];
        p[0] = 0x45;
        p[20 + 12] = (byte) (8 << 4); // a 32-byte TCP header
        assertEquals(20 + 32 + 1448, Impairment.segmentLength(p, p.length, 1448));
        assertEquals(p.length, Impairment.segmentLength(p, p.length, 0), "no super-segment: its own length");
        Impairment tooSmall = new Impairment(LinkConfig.builder().mtu(1400).offload().build(),
                new java.util.SplittableRandom(1), new io.threeway.sim.LinkStats());
        assertEquals(Impairment.DROPPED, tooSmall.arrival(p.length, 1500, 0, 0), "its 1500-byte segments exceed 1400");
    }

    /** 4 MiB from a to b over {@code config}, both ways the same; the receiver checks every byte. */
    private static Transfer transfer(LinkConfig config) {
        try (Network net = new Network(7)) {
            Stack a = net.host("sender");
            Stack b = net.host("receiver");
            Link link = net.link(a, "198.18.0.1", b, "198.18.0.2", 15, config, config);
            List<Integer> lengths = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            TcpdumpFormatter fmt = new TcpdumpFormatter();
            link.aToB().tapTransmit((pkt, len, now) -> {
                lengths.add(len);
                if (lines.size() < 200) lines.add(fmt.format(pkt, 0, len, now));
            });
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, new ConnectionOptions(), 0);
            byte[] out = new byte[64 * 1024];
            byte[] in = new byte[64 * 1024];
            long[] written = {0};
            long[] received = {0};
            TcpConnection[] rcv = {null};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                if (rcv[0] == null) rcv[0] = l.accept();
                while (written[0] < BYTES) {
                    int n = (int) Math.min(out.length, BYTES - written[0]);
                    for (int i = 0; i < n; i++) out[i] = (byte) ((written[0] + i) * 31 >>> 3);
                    int w = snd.write(out, 0, n, now);
                    written[0] += w;
                    if (w < n) break;
                }
                int r;
                while (rcv[0] != null && (r = rcv[0].read(in, 0, in.length, now)) > 0) {
                    for (int i = 0; i < r; i++) {
                        assertEquals((byte) ((received[0] + i) * 31 >>> 3), in[i], "byte " + (received[0] + i));
                    }
                    received[0] += r;
                }
                a.userCallDone();
                b.userCallDone();
                if (received[0] < BYTES && now < 20_000 * MS) net.sim().scheduleIn(MS / 4, tick[0]);
            };
            net.sim().schedule(0, tick[0]);
            net.sim().runUntil(20_000 * MS);
            return new Transfer(lengths, received[0], a.counters().get(Counter.OUT_SEGS), link.aToB().stats().sent(), lines, link);
        }
    }
}
