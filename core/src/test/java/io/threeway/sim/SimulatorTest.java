package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void eventsFireInTimeOrderAndTiesInScheduleOrder() {
        Simulator sim = new Simulator(1);
        List<String> log = new ArrayList<>();
        sim.schedule(20, () -> log.add("c@" + sim.now()));
        sim.schedule(10, () -> log.add("a@" + sim.now()));
        sim.schedule(10, () -> log.add("b@" + sim.now()));
        sim.schedule(10, () -> sim.schedule(10, () -> log.add("d@" + sim.now())));
        sim.runUntil(100);
        assertEquals(List.of("a@10", "b@10", "d@10", "c@20"), log);
        assertEquals(100, sim.now());
    }

    @Test
    void runMethodsStopWhereTheySay() {
        Simulator sim = new Simulator(1);
        int[] count = {0};
        for (int i = 1; i <= 10; i++) sim.schedule(i * SECOND, () -> count[0]++);
        sim.runFor(2 * SECOND);
        assertEquals(2, count[0]);
        assertEquals(2 * SECOND, sim.now());
        assertTrue(sim.runUntil(() -> count[0] == 5, 100 * SECOND));
        assertEquals(5 * SECOND, sim.now());
        assertFalse(sim.runUntil(() -> count[0] == 100, 7 * SECOND + 1));
        assertEquals(7 * SECOND + 1, sim.now());
        assertTrue(sim.runUntilIdle(HOUR));
        assertEquals(10, count[0]);
        assertEquals(10 * SECOND, sim.now());
        assertFalse(sim.runUntil(() -> false, Long.MAX_VALUE));
        assertEquals(10 * SECOND, sim.now(), "no deadline and nothing left: the clock does not jump to the end of time");
    }

    @Test
    void runMethodsCannotBeNested() {
        Simulator sim = new Simulator(1);
        sim.schedule(1, () -> sim.runFor(1));
        assertThrows(IllegalStateException.class, () -> sim.runFor(10));
    }

    @Test
    void tenHoursOfAQuietHostWithATimerEveryMinute() {
        Simulator sim = new Simulator(1);
        FakeHost host = new FakeHost("h");
        sim.attach(host);
        List<Long> firings = new ArrayList<>();
        host.timer(MINUTE, MINUTE, () -> firings.add(sim.now()));
        sim.runFor(10 * HOUR);
        assertEquals(600, firings.size());
        for (int i = 0; i < firings.size(); i++) assertEquals((i + 1) * MINUTE, firings.get(i));
        assertTrue(host.advances <= 600 * 4, "a handful of wakeups per timer, got " + host.advances);
        assertEquals(10 * HOUR, sim.now());
    }

    @Test
    void aHostsWakeupMovesEarlierWhenItArmsATimer() {
        Simulator sim = new Simulator(1);
        FakeHost host = new FakeHost("h");
        sim.attach(host);
        List<Long> firings = new ArrayList<>();
        host.timer(HOUR, 0, () -> firings.add(sim.now()));
        sim.schedule(SECOND, () -> host.timer(sim.now() + 5 * MS, 0, () -> firings.add(sim.now())));
        sim.runFor(2 * HOUR);
        assertEquals(List.of(SECOND + 5 * MS, HOUR), firings);
    }

    @Test
    void manyEventsRunQuickly() {
        Simulator sim = new Simulator(1);
        FakeHost a = new FakeHost("a");
        FakeHost b = new FakeHost("b");
        Link link = sim.link(a, b, LinkConfig.builder().delay(java.time.Duration.ofMillis(1)).build());
        a.sink = link.sinkAtoB();
        byte[] packet = TestPackets.raw4(100, 1);
        int n = 500_000;
        for (int i = 0; i < n; i++) {
            long at = i * 1000L;
            sim.schedule(at, () -> a.send(packet, at));
        }
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(n, link.aToB().stats().delivered());
        assertEquals(n, b.received.size());
    }
}
