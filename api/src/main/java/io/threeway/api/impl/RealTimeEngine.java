package io.threeway.api.impl;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.sim.Impairment;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkStats;
import io.threeway.sim.Packet;
import io.threeway.sim.Rule;
import io.threeway.sim.Verdict;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.socket.SocketRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Real time without TUN or root: the stacks live in this JVM, joined in memory, and one driver thread feeds
 * them with the wall clock: it delivers each packet when its link's delay (and impairments, the simulator's
 * {@link Impairment} model) say, fires the stacks' timers and scheduled actions, all under the
 * {@link RealTimeRuntime}'s lock that blocking sockets take too. Application code runs on ordinary threads.
 */
public final class RealTimeEngine implements Engine {
    /** How often the run methods look at their condition, in real time: 1 ms. */
    private static final long POLL_NANOS = 1_000_000L;

    /** The runtime: one lock, a condition per waiting thread. */
    private final RealTimeRuntime runtime = new RealTimeRuntime();
    /** Draws the links' fates. */
    private final SplittableRandom random;
    /** The stacks driven. Guarded by the runtime. */
    private final List<Stack> stacks = new ArrayList<>();
    /** Timed work: deliveries and scheduled actions, by time then order. Guarded by the runtime. */
    private final PriorityQueue<Timed> timed = new PriorityQueue<>();
    /** Orders timed work at the same time. Guarded by the runtime. */
    private long seq;
    /** The application threads alive. */
    private final Set<Thread> live = new LinkedHashSet<>();
    /** The first failure of an application thread, thrown by the next run method. */
    private volatile Throwable failure;
    /** The driver thread sleeps on this until kicked or the next deadline. */
    private final Object monitor = new Object();
    /** Set when the driver should look again. Guarded by {@link #monitor}. */
    private boolean kicked;
    /** Whether the engine is closed. */
    private volatile boolean closed;
    /** The driver thread. */
    private final Thread driver;

    /** A real-time engine whose links draw from {@code seed}. */
    public RealTimeEngine(long seed) {
        this.random = new SplittableRandom(seed);
        this.driver = Thread.ofPlatform().daemon().name("threeway-real-time-driver").start(this::loop);
    }

    @Override public SocketRuntime runtime() { return runtime; }
    @Override public boolean simulated() { return false; }
    @Override public long now() { return runtime.now(); }

    @Override
    public void attach(Stack stack) {
        runtime.run(() -> {
            stacks.add(stack);
            stack.setWakeupListener(d -> kick());
        });
        kick();
    }

    @Override
    public Wire[] connect(Stack a, Stack b, LinkConfig aToB, LinkConfig bToA) {
        return new Wire[] {new RealWire(b, aToB, random.split()), new RealWire(a, bToA, random.split())};
    }

    @Override
    public Thread newThread(String name, Runnable body) {
        Thread[] self = new Thread[1];
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable x) {
                if (failure == null) failure = x;
            } finally {
                synchronized (live) {
                    live.remove(self[0]);
                }
            }
        });
        self[0] = t;
        synchronized (live) {
            live.add(t);
        }
        return t;
    }

    @Override
    public boolean isApplicationThread() {
        synchronized (live) {
            return live.contains(Thread.currentThread());
        }
    }

    @Override
    public int liveThreads() {
        synchronized (live) {
            int n = 0;
            for (Thread t : live) if (t.getState() != Thread.State.NEW) n++;
            return n;
        }
    }

    @Override
    public String describeThreads() {
        StringBuilder b = new StringBuilder();
        synchronized (live) {
            for (Thread t : live) b.append(t.getName()).append(" (").append(t.getState()).append(")\n");
        }
        return b.toString();
    }

    /** Real threads cannot be ended from outside: they are interrupted (a blocked socket call then fails). */
    @Override
    public void kill(Collection<Thread> threads) {
        for (Thread t : threads) t.interrupt();
    }

    @Override
    public Cancellable schedule(long at, Runnable action) {
        Timed t = runtime.call(() -> {
            Timed x = new Timed(at, seq++, action);
            timed.add(x);
            return x;
        });
        kick();
        return () -> runtime.run(() -> timed.remove(t));
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }

    @Override
    public boolean runUntil(BooleanSupplier done, long deadline) {
        try {
            while (true) {
                rethrow();
                if (runtime.call(done::getAsBoolean)) return finished(true);
                long left = deadline - now();
                if (left <= 0) return finished(runtime.call(done::getAsBoolean));
                Thread.sleep(Math.max(1, Math.min(left, POLL_NANOS) / 1_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void runUntil(long deadline) {
        runUntil(() -> false, deadline);
        rethrow();
    }

    /**
     * A thread that failed just before {@code done} held (its last act ends it) must not be missed: the
     * failure is read again after the condition, not only before it.
     */
    private boolean finished(boolean result) {
        rethrow();
        return result;
    }

    private void rethrow() {
        Throwable x = failure;
        if (x == null) return;
        failure = null;
        if (x instanceof RuntimeException r) throw r;
        if (x instanceof Error e) throw e;
        throw new IllegalStateException(x);
    }

    @Override
    public void close() {
        closed = true;
        kick();
        List<Thread> threads;
        synchronized (live) {
            threads = List.copyOf(live);
        }
        for (Thread t : threads) t.interrupt();
        try {
            driver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the driver ----

    private void kick() {
        synchronized (monitor) {
            kicked = true;
            monitor.notify();
        }
    }

    private void loop() {
        try {
            while (!closed) {
                long next = runtime.call(this::service);
                synchronized (monitor) {
                    while (!kicked && !closed) {
                        long left = next - now();
                        if (left <= 0) break;
                        long ms = next == Long.MAX_VALUE ? 0 : Math.max(1, left / 1_000_000L);
                        monitor.wait(ms);
                        if (next != Long.MAX_VALUE && next - now() <= 0) break;
                    }
                    kicked = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable x) {
            if (failure == null) failure = x;
        }
    }

    /** Runs what is due (deliveries, actions, timers); returns the earliest time anything is due next. */
    private long service() {
        while (true) {
            long now = now();
            Timed t;
            while ((t = timed.peek()) != null && t.time <= now) {
                timed.poll();
                t.action.run();
            }
            long earliest = timed.isEmpty() ? Long.MAX_VALUE : timed.peek().time;
            for (Stack s : stacks) {
                if (s.nextDeadline() <= now) s.advance(now);
                earliest = Math.min(earliest, s.nextDeadline());
            }
            if (earliest > now()) return earliest;
        }
    }

    /** Work due at a time: a packet's delivery or a scheduled action. */
    private record Timed(long time, long seq, Runnable action) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** One direction of a link in real time: rules, then the impairment model, then delivery when due. */
    private final class RealWire implements Wire, PacketSink {
        /** The receiving stack. */
        private final Stack to;
        /** The fates. */
        private final Impairment impairment;
        /** The counts. */
        private final LinkStats stats = new LinkStats();
        /** The rules, in order. */
        private Rule[] rules = new Rule[0];

        RealWire(Stack to, LinkConfig config, SplittableRandom random) {
            this.to = to;
            this.impairment = new Impairment(config, random, stats);
        }

        @Override public PacketSink sink() { return this; }
        @Override public LinkConfig config() { return impairment.config(); }
        @Override public void reconfigure(LinkConfig config) { impairment.reconfigure(config); }
        @Override public LinkStats stats() { return stats; }

        @Override
        public void addRule(Rule rule) {
            rules = Arrays.copyOf(rules, rules.length + 1);
            rules[rules.length - 1] = rule;
        }

        @Override
        public void removeRule(Rule rule) {
            List<Rule> left = new ArrayList<>(Arrays.asList(rules));
            left.remove(rule);
            rules = left.toArray(new Rule[0]);
        }

        /** Called under the runtime's lock by the sending stack. */
        @Override
        public void transmit(byte[] packet, int length, long now) {
            long t = now();
            impairment.countSent(length);
            long extra = 0;
            if (rules.length > 0) {
                Packet view = Packet.of(packet, length);
                for (Rule r : rules) {
                    Verdict v = r.apply(view, t);
                    if (v.drop()) {
                        stats.countDroppedByRule();
                        return;
                    }
                    extra += v.extraDelay();
                }
                packet = view.bytes();
                length = view.length();
            }
            long arrival = impairment.arrival(length, t, extra);
            if (arrival == Impairment.DROPPED) return;
            deliverAt(arrival, packet, length);
            if (impairment.duplicated()) deliverAt(arrival, Arrays.copyOf(packet, length), length);
        }

        private void deliverAt(long arrival, byte[] packet, int length) {
            timed.add(new Timed(arrival, seq++, () -> {
                impairment.countDelivered(length);
                to.receive(packet, 0, length, now());
            }));
            kick();
        }
    }
}
