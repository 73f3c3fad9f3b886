package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TimerWheelTest {
    private static final long MS = 1_000_000L;
    private static final long HOUR = 3_600_000 * MS;

    static final class Owner extends TimerWheel.Entry {
        final int id;

        Owner(int id) {
            this.id = id;
        }
    }

    /** The reference: owners with their rounded-up due times, ordered by a PriorityQueue with lazy removal. */
    static final class Model {
        final long tick;
        final Map<Integer, Long> due = new HashMap<>();
        final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

        Model(long tick) {
            this.tick = tick;
        }

        void schedule(int id, long deadline, long now) {
            long d = Math.max(roundUp(deadline), (now / tick) * tick);
            due.put(id, d);
            heap.add(new long[] {d, id});
        }

        long roundUp(long deadline) {
            if (deadline <= 0) return 0;
            return ((deadline + tick - 1) / tick) * tick;
        }

        void cancel(int id) {
            due.remove(id);
        }

        long min() {
            while (!heap.isEmpty()) {
                long[] top = heap.peek();
                Long d = due.get((int) top[1]);
                if (d != null && d == top[0]) return top[0];
                heap.poll();
            }
            return Long.MAX_VALUE;
        }

        TreeSet<Integer> expire(long now) {
            TreeSet<Integer> out = new TreeSet<>();
            while (min() <= now) {
                long[] top = heap.poll();
                due.remove((int) top[1]);
                out.add((int) top[1]);
            }
            return out;
        }
    }

    @Test
    void matchesPriorityQueueModelUnderRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            runRandomized(seed, 200, 20_000);
        }
    }

    @Test
    void matchesModelWithManyOwners() {
        runRandomized(99, 100_000, 300_000);
    }

    private void runRandomized(long seed, int owners, int steps) {
        SplittableRandom r = new SplittableRandom(seed);
        TimerWheel<Owner> wheel = new TimerWheel<>();
        Model model = new Model(TimerWheel.DEFAULT_TICK_NANOS);
        Owner[] os = new Owner[owners];
        for (int i = 0; i < owners; i++) os[i] = new Owner(i);
        long now = 0;
        for (int step = 0; step < steps; step++) {
            int op = r.nextInt(100);
            if (op < 55) {
                int id = r.nextInt(owners);
                long deadline = now + delta(r);
                wheel.schedule(os[id], deadline);
                model.schedule(id, deadline, now);
            } else if (op < 70) {
                int id = r.nextInt(owners);
                wheel.cancel(os[id]);
                model.cancel(id);
            } else {
                now += r.nextInt(10) == 0 ? r.nextLong(2 * HOUR) : r.nextLong(3 * MS);
                List<Owner> fired = new ArrayList<>();
                long[] lastDue = {Long.MIN_VALUE};
                wheel.expire(now, o -> {
                    assertFalse(o.isScheduled(), "removed before its callback");
                    fired.add(o);
                });
                TreeSet<Integer> got = new TreeSet<>();
                for (Owner o : fired) {
                    got.add(o.id);
                    long due = Math.max(model.roundUp(o.deadline()), model.due.get(o.id));
                    assertTrue(due <= now, "fired early");
                    assertTrue(due >= lastDue[0], "fired in tick order");
                    lastDue[0] = due;
                }
                assertEquals(model.expire(now), got, "seed " + seed + " step " + step + " now " + now);
            }
            assertEquals(model.due.size(), wheel.size());
            long next = wheel.nextDeadline();
            long min = model.min();
            assertTrue(next <= min, "nextDeadline " + next + " after the earliest timer " + min);
            if (min != Long.MAX_VALUE) assertTrue(next > now || min <= now, "nextDeadline not in the future");
        }
    }

    /** Mostly short timers (RTOs, delayed ACKs), some long ones (keepalive), a few in the past. */
    private static long delta(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> -r.nextLong(5 * MS);
            case 1, 2 -> r.nextLong(2 * HOUR);
            case 3 -> r.nextLong(400 * 24 * HOUR);
            default -> r.nextLong(300 * MS);
        };
    }

    @Test
    void neverFiresEarlyAndAtMostOneTickLate() {
        TimerWheel<Owner> wheel = new TimerWheel<>();
        Owner o = new Owner(1);
        wheel.schedule(o, 2_500_001L); // rounds up to 3 ms
        assertEquals(3 * MS, wheel.nextDeadline());
        List<Owner> fired = new ArrayList<>();
        wheel.expire(3 * MS - 1, fired::add);
        assertTrue(fired.isEmpty());
        wheel.expire(3 * MS, fired::add);
        assertEquals(List.of(o), fired);
        assertEquals(Long.MAX_VALUE, wheel.nextDeadline());
    }

    @Test
    void followingNextDeadlineReachesEveryTimerInFewSteps() {
        SplittableRandom r = new SplittableRandom(7);
        TimerWheel<Owner> wheel = new TimerWheel<>();
        int n = 1000;
        long[] due = new long[n];
        for (int i = 0; i < n; i++) {
            due[i] = 1 + r.nextLong(10 * 24 * HOUR);
            wheel.schedule(new Owner(i), due[i]);
        }
        int wakeups = 0;
        int fired = 0;
        long previous = -1;
        while (!wheel.isEmpty()) {
            long next = wheel.nextDeadline();
            assertTrue(next > previous, "time moves forward");
            previous = next;
            int[] count = {0};
            long at = next;
            wheel.expire(next, o -> {
                assertTrue(o.deadline() <= at);
                assertTrue(at - o.deadline() < MS, "fired at its rounded deadline");
                count[0]++;
            });
            fired += count[0];
            wakeups++;
        }
        assertEquals(n, fired);
        assertTrue(wakeups <= n * 9, "wakeups " + wakeups);
    }

    @Test
    void callbacksMayRescheduleAndCancel() {
        TimerWheel<Owner> wheel = new TimerWheel<>();
        Owner a = new Owner(1);
        Owner b = new Owner(2);
        wheel.schedule(a, 5 * MS);
        wheel.schedule(b, 5 * MS);
        List<Integer> log = new ArrayList<>();
        wheel.expire(5 * MS, o -> {
            log.add(o.id);
            Owner other = o == a ? b : a;
            wheel.cancel(other);
            wheel.schedule(o, 10 * MS);
        });
        assertEquals(1, log.size());
        assertEquals(1, wheel.size());
        assertEquals(10 * MS, wheel.nextDeadline());
        assertEquals(10 * MS, (log.get(0) == 1 ? a : b).deadline());
    }

    @Test
    void longIdleGapsAndFarDeadlines() {
        TimerWheel<Owner> wheel = new TimerWheel<>();
        Owner o = new Owner(1);
        wheel.expire(1000 * HOUR, x -> {});
        wheel.schedule(o, Long.MAX_VALUE - 1);
        assertTrue(wheel.nextDeadline() <= Long.MAX_VALUE);
        wheel.schedule(o, 1000 * HOUR + 1);
        List<Owner> fired = new ArrayList<>();
        wheel.expire(1000 * HOUR, fired::add);
        assertTrue(fired.isEmpty());
        wheel.expire(1000 * HOUR + MS, fired::add);
        assertEquals(1, fired.size());
        wheel.schedule(o, Long.MAX_VALUE);
        assertFalse(o.isScheduled());
    }

    @Test
    void nanosecondTicksCoverTheWholeRange() {
        TimerWheel<Owner> wheel = new TimerWheel<>(1);
        Owner o = new Owner(1);
        wheel.schedule(o, Long.MAX_VALUE - 5);
        List<Owner> fired = new ArrayList<>();
        wheel.expire(Long.MAX_VALUE - 6, fired::add);
        assertTrue(fired.isEmpty());
        wheel.expire(Long.MAX_VALUE - 5, fired::add);
        assertEquals(1, fired.size());
    }
}
