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
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Real time without TUN or root: the stacks live in this JVM, joined in memory, and fed with the wall clock,
 * under the {@link RealTimeRuntime}'s lock that blocking sockets take too. Application code runs on ordinary
 * threads.
 *
 * <p>A packet over a link that delays it by nothing (no delay, jitter, bandwidth or rule's delay, and nothing
 * of that link still in flight) is delivered by the thread that sent it, after its socket call and before it lets
 * go of the lock ({@link RealTimeRuntime#beforeRelease}), as the kernel's loopback runs the receiver's path in
 * the sender's context: a request and its answer then cost no hand-off to another thread. Everything else (a
 * packet a link delays, per the simulator's {@link Impairment} model, the stacks' timers, scheduled actions) is
 * the driver thread's: it parks until the earliest of them with nanosecond deadlines
 * ({@link LockSupport#parkNanos}), and is unparked only when something earlier than that comes up.
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
    /** The arrays packets are built in, given back once delivered. Guarded by the runtime. */
    private final PacketBuffers buffers = new PacketBuffers();
    /** Packets due now, delivered by whoever holds the runtime's lock before letting go. Guarded by the runtime. */
    private final InlineQueue inline = new InlineQueue();
    /**
     * When the driver will look next (ns): work due earlier unparks it. Written under the runtime's lock, and
     * {@link Long#MIN_VALUE} while the driver works (it looks again before parking).
     */
    private volatile long wakeAt = Long.MIN_VALUE;
    /** Set when the driver should look again before parking. */
    private volatile boolean kicked;
    /** Whether the engine is closed. */
    private volatile boolean closed;
    /** The driver thread. */
    private final Thread driver;

    /** A real-time engine whose links draw from {@code seed}. */
    public RealTimeEngine(long seed) {
        this.random = new SplittableRandom(seed);
        runtime.beforeRelease(this::deliverInline);
        this.driver = Thread.ofPlatform().daemon().name("threeway-real-time-driver").start(this::loop);
    }

    @Override public SocketRuntime runtime() { return runtime; }
    @Override public boolean simulated() { return false; }
    @Override public long now() { return runtime.now(); }

    /** Called by a stack building a packet, under the runtime's lock: a pooled array. */
    @Override
    public byte[] buffer(int length) {
        return buffers.take(length);
    }

    @Override
    public void attach(Stack stack) {
        runtime.run(() -> {
            stacks.add(stack);
            stack.setWakeupListener(this::due);
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
            due(at);
            return x;
        });
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
        runtime.close();
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

    /** Unparks the driver to look again. */
    private void kick() {
        kicked = true;
        LockSupport.unpark(driver);
    }

    /** Something falls due at {@code time}: the driver is unparked if it would sleep past it. Under the lock. */
    private void due(long time) {
        if (time < wakeAt) kick();
    }

    /**
     * Services what is due under the lock, then parks until the earliest deadline left (nanosecond precision)
     * or until {@link #due} finds something earlier.
     */
    private void loop() {
        try {
            while (!closed) {
                kicked = false;
                long next = runtime.call(this::service);
                while (!kicked && !closed) {
                    if (next == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        long left = next - now();
                        if (left <= 0) break;
                        LockSupport.parkNanos(this, left);
                    }
                }
            }
        } catch (Throwable x) {
            if (failure == null) failure = x;
        }
    }

    /**
     * Runs what is due (packets, actions, timers); returns the earliest time anything is due next, which it also
     * leaves in {@link #wakeAt}.
     */
    private long service() {
        wakeAt = Long.MIN_VALUE; // what comes due while the driver works is seen below, before it parks
        while (true) {
            long now = now();
            deliverInline();
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
            if (inline.isEmpty() && earliest > now()) {
                wakeAt = earliest;
                return earliest;
            }
        }
    }

    /** Delivers the packets due now, and those their delivery sends; whether there were any. Under the lock. */
    private boolean deliverInline() {
        if (inline.isEmpty()) return false;
        while (!inline.isEmpty()) inline.deliverFirst(now());
        return true;
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
    private final class RealWire implements Wire, PacketSink, InlineQueue.Destination {
        /** The receiving stack. */
        private final Stack to;
        /** The fates. */
        private final Impairment impairment;
        /** The counts. */
        private final LinkStats stats = new LinkStats();
        /** The rules, in order. */
        private Rule[] rules = new Rule[0];
        /** This direction's packets waiting in the timed queue: while any are, none goes inline (order). */
        private int delayed;

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
            transmit(packet, length, 0, now);
        }

        /** A packet, or a super-segment of {@code gsoSize}-byte segments carried whole. Under the lock. */
        @Override
        public void transmit(byte[] packet, int length, int gsoSize, long now) {
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
            long arrival = impairment.arrival(length, Impairment.segmentLength(packet, length, gsoSize), t, extra);
            if (arrival == Impairment.DROPPED) return;
            impairment.markCe(packet, length); // LinkConfig.ceThreshold: ECN marking at the queue
            boolean twice = impairment.duplicated();
            byte[] copy = twice ? Arrays.copyOf(packet, length) : null;
            deliverAt(arrival, t, packet, length);
            if (twice) deliverAt(arrival, t, copy, length);
        }

        /** Queues a packet: inline when it is due now and nothing of this direction is still in flight. */
        private void deliverAt(long arrival, long now, byte[] packet, int length) {
            if (arrival <= now && delayed == 0) {
                inline.add(this, packet, length);
                return;
            }
            delayed++;
            timed.add(new Timed(arrival, seq++, () -> {
                delayed--;
                deliver(packet, length, now());
            }));
            due(arrival);
        }

        /** Hands a packet to the receiving stack. Under the lock. */
        @Override
        public void deliver(byte[] packet, int length, long now) {
            impairment.countDelivered(length);
            to.receive(packet, 0, length, now);
            buffers.give(packet); // the stack copied what it keeps (payload, reassembly); the capture its own copy
        }
    }
}
