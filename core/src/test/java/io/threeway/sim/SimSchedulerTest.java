package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {
    private static final long MS = 1_000_000L;

    /** Two threads pass a turn back and forth through a condition; each holds the turn 1 ms of virtual time. */
    private static List<String> pingPong(long seed, boolean virtual) {
        try (Simulator sim = new Simulator(seed)) {
            SimScheduler s = sim.scheduler();
            s.useVirtualThreads(virtual);
            List<String> log = new ArrayList<>();
            int[] turn = {0};
            for (int me = 0; me < 2; me++) {
                int self = me;
                s.spawn(me == 0 ? "ping" : "pong", () -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            assertTrue(s.await(() -> turn[0] == self, Long.MAX_VALUE));
                            log.add((self == 0 ? "ping " : "pong ") + i + " @" + s.now());
                            s.sleep(MS);
                            s.run(() -> {
                                turn[0] = 1 - self;
                                s.signal();
                            });
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertTrue(sim.runUntilIdle(Long.MAX_VALUE));
            assertEquals(0, s.liveThreads());
            return log;
        }
    }

    @Test
    void pingPongInterleavesDeterministicallyInVirtualTime() {
        List<String> log = pingPong(1, false);
        assertEquals(100, log.size());
        for (int i = 0; i < 100; i++) {
            assertEquals((i % 2 == 0 ? "ping " : "pong ") + (i / 2) + " @" + i * MS, log.get(i));
        }
        for (int run = 0; run < 3; run++) {
            assertEquals(log, pingPong(1, false));
            assertEquals(log, pingPong(1, true), "virtual threads interleave the same way");
        }
    }

    @Test
    void awaitTimesOutAtExactlyTheVirtualDeadline() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            long[] woke = {-1};
            boolean[] result = {true};
            s.spawn("waiter", () -> {
                try {
                    result[0] = s.await(() -> false, 1234 * MS + 7);
                    woke[0] = s.now();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            sim.runFor(10_000 * MS);
            assertFalse(result[0]);
            assertEquals(1234 * MS + 7, woke[0]);
        }
    }

    @Test
    void awaitSeesTheConditionOnceMoreAtItsDeadline() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            boolean[] flag = {false};
            boolean[] result = {false};
            sim.schedule(5 * MS, () -> flag[0] = true); // no signal: only the deadline re-check notices
            s.spawn("waiter", () -> {
                try {
                    result[0] = s.await(() -> flag[0], 10 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            sim.runFor(20 * MS);
            assertTrue(result[0]);
        }
    }

    @Test
    void signalWakesWaitersInTheOrderTheyParked() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            boolean[] open = {false};
            List<String> order = new ArrayList<>();
            for (String name : List.of("c", "a", "b")) {
                s.spawn(name, () -> {
                    try {
                        s.await(() -> open[0], Long.MAX_VALUE);
                        order.add(name + "@" + s.now());
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            sim.schedule(3 * MS, () -> {
                open[0] = true;
                s.signal();
            });
            sim.runUntilIdle(Long.MAX_VALUE);
            assertEquals(List.of("c@3000000", "a@3000000", "b@3000000"), order);
        }
    }

    @Test
    void anExceptionInAnApplicationThreadSurfaces() {
        try (Simulator sim = new Simulator(1)) {
            sim.spawn("doomed", () -> {
                try {
                    sim.scheduler().sleep(5 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("boom");
            });
            SimulationException e = assertThrows(SimulationException.class, () -> sim.runFor(10 * MS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getMessage().contains("doomed"));
            assertEquals(5 * MS, sim.now(), "stopped when the thread failed");
            assertThrows(SimulationException.class, () -> sim.runFor(1), "a failed simulation stays failed");
        }
    }

    @Test
    void aThreadBlockedOutsideTheSimulationIsReportedNotHung() {
        try (Simulator sim = new Simulator(1)) {
            sim.scheduler().setBatonTimeout(Duration.ofMillis(200));
            CountDownLatch never = new CountDownLatch(1);
            sim.spawn("stuck", () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            SimulationException e = assertThrows(SimulationException.class, () -> sim.runFor(MS));
            assertTrue(e.getMessage().contains("'stuck'"), e.getMessage());
            assertTrue(e.getMessage().contains("CountDownLatch"), "shows where it is blocked: " + e.getMessage());
        }
    }

    @Test
    void closeInterruptsParkedThreads() {
        Simulator sim = new Simulator(1);
        SimScheduler s = sim.scheduler();
        List<String> log = new ArrayList<>();
        s.spawn("forever", () -> {
            try {
                s.await(() -> false, Long.MAX_VALUE);
                log.add("woke");
            } catch (InterruptedException e) {
                log.add("interrupted");
            }
        });
        s.spawn("sleeper", () -> {
            try {
                s.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                log.add("sleeper interrupted");
            }
        });
        sim.runFor(MS);
        assertEquals(2, s.liveThreads());
        sim.close();
        assertEquals(List.of("interrupted", "sleeper interrupted"), log);
        assertEquals(0, s.liveThreads());
        assertEquals(0, sim.pendingEvents());
    }

    @Test
    void oneApplicationThreadCanInterruptAnother() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            Thread[] victim = {null};
            List<String> log = new ArrayList<>();
            s.spawn("victim", () -> {
                victim[0] = Thread.currentThread();
                try {
                    s.await(() -> false, Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    log.add("interrupted @" + s.now());
                }
            });
            s.spawn("killer", () -> {
                try {
                    s.sleep(7 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                victim[0].interrupt();
            });
            sim.runUntilIdle(Long.MAX_VALUE);
            assertEquals(List.of("interrupted @" + 7 * MS), log);
        }
    }

    @Test
    void theDriverThreadCanAwaitDirectly() throws InterruptedException {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            boolean[] done = {false};
            s.spawn("worker", () -> {
                try {
                    s.sleep(42 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                s.run(() -> {
                    done[0] = true;
                    s.signal();
                });
            });
            assertTrue(s.await(() -> done[0], Long.MAX_VALUE));
            assertEquals(42 * MS, s.now());
            assertFalse(s.await(() -> false, 50 * MS));
            assertEquals(50 * MS, s.now());
            assertEquals(7, s.call(() -> 7));
        }
    }

    @Test
    void spawnedThreadsCanSpawnAndEventsInterleaveWithThem() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            List<String> log = new ArrayList<>();
            sim.schedule(MS, () -> log.add("event@" + sim.now()));
            s.spawn("parent", () -> {
                log.add("parent@" + s.now());
                s.spawn("child", () -> log.add("child@" + s.now()));
                try {
                    s.sleep(2 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                log.add("parent again@" + s.now());
            });
            sim.runUntilIdle(Long.MAX_VALUE);
            assertEquals(List.of("parent@0", "child@0", "event@" + MS, "parent again@" + 2 * MS), log);
        }
    }

    @Test
    void manyThreadsSleepingInVirtualTime() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            s.useVirtualThreads(true);
            long[] total = {0};
            for (int i = 0; i < 200; i++) {
                int n = i;
                s.spawn("t" + i, () -> {
                    try {
                        for (int k = 0; k < 20; k++) s.sleep((n % 7 + 1) * MS);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    total[0] += s.now();
                });
            }
            sim.runUntilIdle(Long.MAX_VALUE);
            long expected = 0;
            for (int i = 0; i < 200; i++) expected += 20 * (i % 7 + 1) * MS;
            assertEquals(expected, total[0]);
        }
    }

    @Test
    void aTimerArmedByAnApplicationThreadFiresOnTime() {
        try (Simulator sim = new Simulator(1)) {
            SimScheduler s = sim.scheduler();
            FakeHost host = new FakeHost("h");
            sim.attach(host);
            List<Long> fired = new ArrayList<>();
            s.spawn("app", () -> {
                try {
                    s.sleep(3 * MS);
                    s.run(() -> host.timer(s.now() + 200 * MS, 0, () -> fired.add(sim.now())));
                    s.sleep(10_000 * MS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            sim.runUntilIdle(Long.MAX_VALUE);
            assertEquals(List.of(203 * MS), fired);
        }
    }
}
