package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinkTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    /** Two hosts on one link; host a sends {@code n} tagged packets at times drawn from the simulation's random. */
    private static final class Net {
        final Simulator sim;
        final FakeHost a = new FakeHost("a");
        final FakeHost b = new FakeHost("b");
        final Link link;

        Net(long seed, LinkConfig config) {
            sim = new Simulator(seed);
            link = sim.link(a, b, config);
            a.sink = link.sinkAtoB();
            b.sink = link.sinkBtoA();
        }

        void sendTagged(int n, int size, long gapNanos) {
            SplittableRandom r = sim.newRandom();
            long t = 0;
            for (int i = 0; i < n; i++) {
                int tag = i;
                t += gapNanos > 0 ? 1 + r.nextLong(2 * gapNanos) : 0;
                long at = t;
                sim.schedule(at, () -> a.send(TestPackets.raw4(size, tag), at));
            }
        }

        List<Integer> tagsReceived() {
            List<Integer> out = new ArrayList<>();
            for (FakeHost.Received p : b.received) out.add(TestPackets.tag(p.bytes()));
            return out;
        }

        LinkStats stats() {
            return link.aToB().stats();
        }
    }

    private static final LinkConfig ROUGH = LinkConfig.builder().delay(Duration.ofMillis(20)).jitter(Duration.ofMillis(5))
            .loss(0.05).duplicate(0.02).reorder(0.03).bandwidth(10_000_000).build();

    private static String deliveryLog(long seed) {
        Net net = new Net(seed, ROUGH);
        net.sendTagged(3000, 500, MS / 2);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        StringBuilder b = new StringBuilder();
        for (FakeHost.Received p : net.b.received) b.append(p.time()).append(' ').append(TestPackets.tag(p.bytes())).append('\n');
        return b.toString();
    }

    @Test
    void sameSeedSameDeliveriesDifferentSeedDifferent() {
        String one = deliveryLog(42);
        assertEquals(one, deliveryLog(42));
        assertNotEquals(one, deliveryLog(43));
    }

    @Test
    void lossMatchesItsProbability() {
        Net net = new Net(1, LinkConfig.builder().delay(Duration.ofMillis(10)).loss(0.1).build());
        int n = 100_000;
        net.sendTagged(n, 100, 10_000);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        double lossRate = net.stats().lost() / (double) n;
        assertEquals(0.1, lossRate, 0.005);
        assertEquals(n - net.stats().lost(), net.stats().delivered());
    }

    @Test
    void duplicationMatchesItsProbability() {
        Net net = new Net(2, LinkConfig.builder().delay(Duration.ofMillis(10)).duplicate(0.05).build());
        int n = 100_000;
        net.sendTagged(n, 100, 10_000);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(0.05, net.stats().duplicated() / (double) n, 0.004);
        assertEquals(n + net.stats().duplicated(), net.stats().delivered());
        List<Integer> tags = net.tagsReceived();
        int backToBack = 0;
        for (int i = 1; i < tags.size(); i++) if (tags.get(i).equals(tags.get(i - 1))) backToBack++;
        assertEquals(net.stats().duplicated(), backToBack, "a duplicate arrives right after its original");
    }

    @Test
    void reorderingMatchesItsProbabilityAndOtherwiseOrderIsKept() {
        Net net = new Net(3, LinkConfig.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(2))
                .reorder(0.02, Duration.ofMillis(5)).build());
        int n = 50_000;
        net.sendTagged(n, 100, 100_000);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(0.02, net.stats().reordered() / (double) n, 0.003);
        // Every packet that arrives after a higher tag was one picked for reordering.
        List<Integer> tags = net.tagsReceived();
        int late = 0;
        int highest = -1;
        for (int t : tags) {
            if (t < highest) late++;
            highest = Math.max(highest, t);
        }
        assertTrue(late <= net.stats().reordered() && late >= net.stats().reordered() * 0.9,
                "late " + late + " reordered " + net.stats().reordered());
    }

    @Test
    void jitterKeepsFifoUnlessAllowedToReorder() {
        LinkConfig fifo = LinkConfig.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(10)).build();
        Net kept = new Net(4, fifo);
        kept.sendTagged(10_000, 100, 100_000);
        kept.sim.runUntilIdle(Long.MAX_VALUE);
        List<Integer> tags = kept.tagsReceived();
        for (int i = 0; i < tags.size(); i++) assertEquals(i, tags.get(i));

        Net loose = new Net(4, fifo.toBuilder().keepOrder(false).build());
        loose.sendTagged(10_000, 100, 100_000);
        loose.sim.runUntilIdle(Long.MAX_VALUE);
        List<Integer> looseTags = loose.tagsReceived();
        assertEquals(10_000, looseTags.size());
        assertNotEquals(tags, looseTags);
    }

    @Test
    void jitterIsUniformAroundTheDelay() {
        Net net = new Net(5, LinkConfig.builder().delay(Duration.ofMillis(50)).jitter(Duration.ofMillis(10)).keepOrder(false).build());
        for (int i = 0; i < 20_000; i++) {
            long at = i * SECOND;
            int tag = i;
            net.sim.schedule(at, () -> net.a.send(TestPackets.raw4(100, tag), at));
        }
        net.sim.runUntilIdle(Long.MAX_VALUE);
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        double sum = 0;
        for (FakeHost.Received p : net.b.received) {
            long d = p.time() - TestPackets.tag(p.bytes()) * SECOND;
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
        }
        assertTrue(min >= 40 * MS && max <= 60 * MS);
        assertTrue(min < 41 * MS && max > 59 * MS);
        assertEquals(50 * MS, sum / net.b.received.size(), 0.2 * MS);
    }

    @Test
    void bandwidthSerializesAtExactlyTheRate() {
        // 100 packets of 1250 bytes = 1 Mbit at 1 Mbit/s: the last bit leaves at exactly 1 s.
        Net net = new Net(6, LinkConfig.builder().delay(Duration.ofMillis(30)).bandwidth(1_000_000).queueLimit(1 << 20).build());
        net.sendTagged(100, 1250, 0);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(100, net.b.received.size());
        assertEquals(10 * MS + 30 * MS, net.b.received.get(0).time());
        assertEquals(SECOND + 30 * MS, net.b.received.get(99).time());
    }

    @Test
    void bandwidthWithAnUnevenRateLosesNoTimeToRounding() {
        // 3 bytes at 7 bit/s take 24/7 s each; 7000 of them take exactly 24000 s.
        Net net = new Net(7, LinkConfig.builder().bandwidth(7).queueLimit(Integer.MAX_VALUE).mtu(100).build());
        for (int i = 0; i < 7000; i++) net.sim.schedule(0, () -> net.a.sink.transmit(new byte[3], 3, 0));
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(24_000 * SECOND, net.b.received.get(6999).time());
    }

    @Test
    void dropTailQueueDropsWhatDoesNotFit() {
        Net net = new Net(8, LinkConfig.builder().bandwidth(1_000_000).queueLimit(10 * 1250).build());
        net.sendTagged(100, 1250, 0);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(10, net.stats().delivered());
        assertEquals(90, net.stats().droppedByQueue());
        // Once the queue drains, packets get through again.
        net.sim.schedule(net.sim.now() + SECOND, () -> net.a.send(TestPackets.raw4(1250, 1000), 0));
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(11, net.stats().delivered());
    }

    @Test
    void queueLimitedInPacketsCountsPacketsNotBytes() {
        // 40-byte packets: ten of them are 400 bytes, far under the byte limit; the packet limit drops the rest.
        Net net = new Net(8, LinkConfig.builder().bandwidth(1_000_000).queueLimit(Integer.MAX_VALUE).queuePackets(10).build());
        net.sendTagged(100, 40, 0);
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(10, net.stats().delivered());
        assertEquals(90, net.stats().droppedByQueue());
        Net wide = new Net(8, LinkConfig.builder().bandwidth(1_000_000).queueLimit(Integer.MAX_VALUE).queuePackets(25).build());
        wide.sendTagged(100, 40, 0);
        wide.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(25, wide.stats().delivered());
        // Once the queue drains, packets get through again.
        net.sim.schedule(net.sim.now() + SECOND, () -> net.a.send(TestPackets.raw4(40, 1000), 0));
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(11, net.stats().delivered());
    }

    @Test
    void packetsOverTheMtuAreDroppedAndCounted() {
        Net net = new Net(9, LinkConfig.builder().mtu(1000).build());
        net.sim.schedule(0, () -> {
            net.a.send(TestPackets.raw4(1000, 1), 0);
            net.a.send(TestPackets.raw4(1001, 2), 0);
        });
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(List.of(1), net.tagsReceived());
        assertEquals(1, net.stats().droppedByMtu());
        assertEquals(2, net.stats().sent());
        assertEquals(2001, net.stats().bytesSent());
        assertEquals(1000, net.stats().bytesDelivered());
    }

    @Test
    void directionsAreIndependent() {
        Net net = new Net(10, LinkConfig.builder().delay(Duration.ofMillis(5)).build());
        net.sim.schedule(0, () -> {
            net.a.send(TestPackets.raw4(100, 1), 0);
            net.b.send(TestPackets.raw4(100, 2), 0);
        });
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(1, net.b.received.size());
        assertEquals(1, net.a.received.size());
        assertEquals(5 * MS, net.a.received.get(0).time());
        assertEquals(1, net.link.bToA().stats().delivered());
        assertEquals(net.link.aToB(), net.link.from(net.a));
    }

    @Test
    void tapsSeeTransmitAndDelivery() {
        Net net = new Net(11, LinkConfig.builder().delay(Duration.ofMillis(5)).build());
        List<Long> seen = new ArrayList<>();
        net.link.aToB().tapTransmit((p, len, now) -> seen.add(now)).tapDeliver((p, len, now) -> seen.add(now));
        net.sim.schedule(MS, () -> net.a.send(TestPackets.raw4(100, 1), MS));
        net.sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(List.of(MS, 6 * MS), seen);
    }
}
