package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctls;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Packet;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What SACK buys (RFC 2018, RFC 6675) under 1% random loss, and two congestion controls sharing one bottleneck.
 */
class LossRecoveryTest {
    static final long MS = 1_000_000L;

    record Transfer(double seconds, long retransmittedBytes, long lostBytes, long timeouts) {}

    /** Sends {@code size} bytes one way over a 100 Mbit/s, 40 ms RTT path losing 1% of packets; measures it. */
    static Transfer transfer(boolean sack, int size, long seed) {
        try (Network net = new Network(seed)) {
            Sysctls settings = new Sysctls();
            settings.set("net.ipv4.tcp_sack", sack ? "1" : "0");
            Stack a = net.host("sender", new Sysctls(settings));
            Stack b = net.host("receiver", new Sysctls(settings));
            LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(20)).bandwidth(100_000_000L)
                    .queueLimit(1_000_000).loss(0.01).build();
            Link link = net.link(a, "198.18.0.1", b, "198.18.0.2", path);
            // The bytes lost on the wire: TCP payload sent into the link less what came out of it.
            long[] payload = {0, 0};
            link.aToB().tapTransmit((p, len, now) -> payload[0] += Packet.of(p, len).tcpPayloadLength());
            link.aToB().tapDeliver((p, len, now) -> payload[1] += Packet.of(p, len).tcpPayloadLength());
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, new ConnectionOptions(), 0);
            net.sim().runUntil(() -> l.acceptQueueLength() == 1, 10_000_000_000L);
            TcpConnection rcv = l.accept();
            long start = net.now();
            byte[] chunk = new byte[64 * 1024];
            byte[] sink = new byte[64 * 1024];
            long[] written = {0};
            long[] got = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                while (written[0] < size) {
                    int w = snd.write(chunk, 0, (int) Math.min(chunk.length, size - written[0]), now);
                    if (w == 0) break;
                    written[0] += w;
                }
                for (int n; (n = rcv.read(sink, 0, sink.length, now)) > 0; ) got[0] += n;
                a.userCallDone();
                b.userCallDone();
                if (got[0] < size) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(net.now(), tick[0]);
            net.sim().runUntil(() -> got[0] >= size, 3600_000_000_000L);
            assertEquals(size, got[0], "the transfer completed");
            return new Transfer((net.now() - start) / 1e9, snd.info(0).bytesRetrans(), payload[0] - payload[1],
                    a.counters().get(Counter.TCP_TIMEOUTS));
        }
    }

    @Test
    void sackRetransmitsOnlyWhatWasLostAndFinishesSooner() {
        int size = 20 * 1024 * 1024;
        Transfer withSack = transfer(true, size, 1);
        Transfer without = transfer(false, size, 1);
        System.out.printf("1%% loss, 20 MB: SACK %.2f s, %d B retransmitted for %d B lost (%d RTOs); "
                        + "no SACK %.2f s, %d B retransmitted for %d B lost (%d RTOs)%n",
                withSack.seconds, withSack.retransmittedBytes, withSack.lostBytes, withSack.timeouts,
                without.seconds, without.retransmittedBytes, without.lostBytes, without.timeouts);
        assertTrue(withSack.lostBytes > 100_000, "the loss was real: " + withSack.lostBytes);
        assertTrue(withSack.retransmittedBytes <= 1.2 * withSack.lostBytes,
                "SACK retransmitted " + withSack.retransmittedBytes + " B for " + withSack.lostBytes + " B lost");
        assertTrue(withSack.seconds < without.seconds,
                "SACK " + withSack.seconds + " s against " + without.seconds + " s without");
    }

    /** Two connections, one per congestion control, sharing one 100 Mbit/s bottleneck for 60 s. */
    @Test
    void cubicAndNewRenoShareABottleneckWithoutCollapse() {
        try (Network net = new Network(9)) {
            Stack a = net.host("senders");
            Stack b = net.host("receivers");
            LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(20)).bandwidth(100_000_000L)
                    .queueLimit(500_000).build(); // one bandwidth-delay product of queue, drop-tail
            net.link(a, "198.18.0.1", b, "198.18.0.2", path);
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            List<TcpConnection> senders = new ArrayList<>();
            List<TcpConnection> receivers = new ArrayList<>();
            for (String algo : new String[] {"cubic", "reno"}) {
                ConnectionOptions o = new ConnectionOptions();
                o.congestion = algo;
                senders.add(a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, o, net.now()));
                net.sim().runUntil(() -> l.acceptQueueLength() == 1, net.now() + 10_000_000_000L);
                receivers.add(l.accept());
            }
            byte[] chunk = new byte[64 * 1024];
            byte[] sink = new byte[64 * 1024];
            long[] got = new long[2];
            long[] atWarm = new long[2];
            long warm = net.now() + 10_000_000_000L;
            long end = net.now() + 60_000_000_000L;
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                for (int i = 0; i < 2; i++) {
                    while (senders.get(i).write(chunk, 0, chunk.length, now) > 0) { }
                    for (int n; (n = receivers.get(i).read(sink, 0, sink.length, now)) > 0; ) got[i] += n;
                    if (now < warm) atWarm[i] = got[i];
                }
                a.userCallDone();
                b.userCallDone();
                if (now < end) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(net.now(), tick[0]);
            net.sim().runUntil(end + MS);
            double seconds = (end - warm) / 1e9;
            double cubic = (got[0] - atWarm[0]) * 8 / seconds;
            double reno = (got[1] - atWarm[1]) * 8 / seconds;
            System.out.printf("shared 100 Mbit/s bottleneck: CUBIC %.1f Mbit/s, NewReno %.1f Mbit/s, together %.1f%n",
                    cubic / 1e6, reno / 1e6, (cubic + reno) / 1e6);
            assertEquals("cubic", senders.get(0).info(0).congestionControl());
            assertEquals("reno", senders.get(1).info(0).congestionControl());
            assertTrue(cubic + reno >= 0.85e8, "the bottleneck stays busy: " + (cubic + reno) / 1e6 + " Mbit/s");
            assertTrue(cubic >= 0.1e8 && reno >= 0.1e8, "neither flow starves");
            assertTrue(cubic > reno, "CUBIC's faster window growth takes the larger share");
        }
    }
}
