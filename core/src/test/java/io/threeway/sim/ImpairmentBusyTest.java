package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The transmitter's busy time: what a link's utilisation is read from. */
class ImpairmentBusyTest {
    static final long MS = 1_000_000L;

    @Test
    void busyTimeCountsSerializationAsItElapsesAndNeverTheIdleGaps() {
        Impairment link = new Impairment(LinkConfig.builder().bandwidth(1_000_000).queueLimit(1 << 20).build(),
                new SplittableRandom(1), new LinkStats());
        assertEquals(0, link.busyNanos(0));
        link.arrival(1250, 0, 0);                          // 10 ms on the wire at 1 Mbit/s
        assertEquals(5 * MS, link.busyNanos(5 * MS), "half of it has been sent");
        link.arrival(1250, 6 * MS, 0);                     // queued behind it: 10 to 20 ms
        assertEquals(6 * MS, link.busyNanos(6 * MS), "a queued packet is not sent yet");
        assertEquals(20 * MS, link.busyNanos(35 * MS), "idle from 20 ms");
        link.arrival(625, 40 * MS, 0);                     // 40 to 45 ms
        assertEquals(25 * MS, link.busyNanos(60 * MS));
        assertTrue(link.busyNanos(60 * MS) - link.busyNanos(0) <= 60 * MS);
    }

    @Test
    void aPacketLostAfterTheBottleneckKeptItBusyAndADuplicateDidNot() {
        Impairment lossy = new Impairment(LinkConfig.builder().bandwidth(1_000_000).queueLimit(1 << 20).loss(1).build(),
                new SplittableRandom(1), new LinkStats());
        assertEquals(Impairment.DROPPED, lossy.arrival(1250, 0, 0));
        assertEquals(10 * MS, lossy.busyNanos(50 * MS));
        Impairment doubled = new Impairment(LinkConfig.builder().bandwidth(1_000_000).queueLimit(1 << 20).duplicate(1).build(),
                new SplittableRandom(1), new LinkStats());
        doubled.arrival(1250, 0, 0);
        assertTrue(doubled.duplicated());
        assertEquals(10 * MS, doubled.busyNanos(50 * MS));
        Impairment unlimited = new Impairment(LinkConfig.PERFECT, new SplittableRandom(1), new LinkStats());
        unlimited.arrival(1250, 0, 0);
        assertEquals(0, unlimited.busyNanos(50 * MS), "no bandwidth limit, no transmitter to keep busy");
    }

    @Test
    void aFullQueueDropsWithoutAddingBusyTime() {
        Impairment link = new Impairment(LinkConfig.builder().bandwidth(1_000_000).queueLimit(1250).build(),
                new SplittableRandom(1), new LinkStats());
        link.arrival(1250, 0, 0);
        assertEquals(Impairment.DROPPED, link.arrival(1250, 1 * MS, 0));
        assertEquals(10 * MS, link.busyNanos(100 * MS));
    }
}
