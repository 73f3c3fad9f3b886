package io.threeway.sim;

import io.threeway.host.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.Objects;

/**
 * A deterministic discrete-event network simulator: a virtual clock (nanoseconds from 0), an event queue,
 * hosts driven through {@link Host}, {@link Link}s between them, and a {@link SimScheduler} for blocking
 * application code.
 *
 * <p>The run loop alternates two things. First it lets every runnable application thread take its turn
 * with the scheduler's baton, one at a time, in a fixed order. Only when no thread is runnable does it take
 * the earliest event off the queue, move the clock to it, and fire it. Events at equal times fire in the
 * order they were scheduled. All randomness comes from one {@link SplittableRandom} seeded at
 * construction and split in creation order, so a given seed and program always produce the same run,
 * byte for byte.
 *
 * <p>Each attached host has exactly one pending wakeup, at its {@link Host#nextDeadline()}; the simulator
 * re-reads that deadline after every call into the host and after every application thread's turn, so a
 * quiet host costs nothing and hours of virtual time with little happening pass in milliseconds.
 *
 * <p>The run methods are called from one driver thread (typically a test's main thread), never from inside
 * an event or an application thread. {@code runUntil*} take absolute virtual times; {@link #runFor} a
 * duration.
 */
public final class Simulator implements AutoCloseable {
    private final long seed;
    private final SplittableRandom root;
    private final EventQueue queue = new EventQueue();
    private final List<HostDriver> drivers = new ArrayList<>();
    private final Map<Host, HostDriver> driverByHost = new IdentityHashMap<>();
    private final SimScheduler scheduler;
    private final List<Link> links = new ArrayList<>();
    private long now;
    private boolean running;
    /** Called before each event fires, or null (see {@link #setStepListener}). */
    private Runnable stepListener;

    public Simulator(long seed) {
        this.seed = seed;
        this.root = new SplittableRandom(seed);
        this.scheduler = new SimScheduler(this);
    }

    public long seed() {
        return seed;
    }

    /** Virtual time in nanoseconds since the simulation began. */
    public long now() {
        return now;
    }

    /** The cooperative scheduler that runs blocking application code in virtual time. */
    public SimScheduler scheduler() {
        return scheduler;
    }

    /** Starts an application thread; shorthand for {@code scheduler().spawn(name, body)}. */
    public void spawn(String name, Runnable body) {
        scheduler.spawn(name, body);
    }

    /**
     * A random generator for a component of the simulation, split off the root in call order: the same seed
     * and the same sequence of calls give the same generators.
     */
    public SplittableRandom newRandom() {
        return root.split();
    }

    /** Lets the simulator drive {@code host}: its timers fire at their deadlines. Attaching twice is harmless. */
    public void attach(Host host) {
        driverFor(host);
    }

    /** The attached hosts, in attach order. */
    public List<Host> hosts() {
        List<Host> out = new ArrayList<>(drivers.size());
        for (HostDriver d : drivers) out.add(d.host);
        return out;
    }

    /** A link between {@code a} and {@code b} with the same impairments in both directions; attaches both. */
    public Link link(Host a, Host b, LinkConfig config) {
        return link(a, b, config, config);
    }

    /** A link between {@code a} and {@code b}, each direction with its own impairments; attaches both. */
    public Link link(Host a, Host b, LinkConfig aToB, LinkConfig bToA) {
        HostDriver da = driverFor(a);
        HostDriver db = driverFor(b);
        SplittableRandom r = newRandom();
        Link link = new Link(this, links.size(), da, db, aToB, bToA, r);
        links.add(link);
        return link;
    }

    /** The links, in creation order. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** Runs {@code action} on the simulator thread at virtual time {@code at} (no earlier than now). */
    public void schedule(long at, Runnable action) {
        queue.add(new ActionEvent(action), Math.max(at, now));
    }

    /**
     * Runs {@code action} on the simulator thread at virtual time {@code at} (no earlier than now), unless the
     * returned alarm is cancelled first. The action may touch any host, so every deadline is re-read after it.
     */
    public Alarm alarm(long at, Runnable action) {
        Alarm a = new Alarm(this, Objects.requireNonNull(action));
        queue.add(a, Math.max(at, now));
        return a;
    }

    /** Runs {@code action} {@code delay} nanoseconds from now. */
    public void scheduleIn(long delay, Runnable action) {
        schedule(saturatedAdd(now, delay), action);
    }

    /**
     * Runs everything due up to and including virtual time {@code t}, then sets the clock to {@code t}
     * ({@code Long.MAX_VALUE}: runs until no events remain and leaves the clock at the last one).
     */
    public void runUntil(long t) {
        enter();
        try {
            while (true) {
                if (scheduler.runReady()) continue;
                if (!fireNext(t)) break;
            }
            advanceClockTo(t);
        } finally {
            running = false;
        }
    }

    /** Runs for {@code duration} nanoseconds of virtual time. */
    public void runFor(long duration) {
        runUntil(saturatedAdd(now, duration));
    }

    public void runFor(Duration duration) {
        runFor(toNanos(duration));
    }

    /**
     * Runs until {@code condition} holds (checked before starting, whenever the runnable application threads
     * have had their turns, and after every event) or virtual time {@code deadline} is reached. Returns whether the condition held; on
     * success the clock stays at the moment it became true, otherwise it reads {@code deadline} (except for
     * {@code Long.MAX_VALUE}, "no deadline": if the simulation runs out of events first, the clock stays at
     * the last one and the result is false).
     */
    public boolean runUntil(BooleanSupplier condition, long deadline) {
        enter();
        try {
            while (true) {
                if (condition.getAsBoolean()) return true;
                if (scheduler.runReady()) continue;
                if (!fireNext(deadline)) {
                    advanceClockTo(deadline);
                    return condition.getAsBoolean();
                }
            }
        } finally {
            running = false;
        }
    }

    /**
     * Runs until nothing is left to do (no event queued and no application thread runnable) or virtual time
     * {@code deadline} is reached. Returns true if the simulation went idle; the clock then stays at the
     * last event. A host with a periodic timer never goes idle.
     */
    public boolean runUntilIdle(long deadline) {
        enter();
        try {
            while (true) {
                if (scheduler.runReady()) continue;
                if (queue.isEmpty()) return true;
                if (!fireNext(deadline)) {
                    advanceClockTo(deadline);
                    return false;
                }
            }
        } finally {
            running = false;
        }
    }

    /**
     * Calls {@code listener} on the simulator thread just before each event fires, while the clock still
     * reads the time of everything done since the previous event (that event, the application threads'
     * turns and the run condition's checks after it), so a recorder can sample what changed at that time.
     * It must not schedule events or call into hosts. One listener; null removes it.
     */
    public void setStepListener(Runnable listener) {
        stepListener = listener;
    }

    /** Number of events waiting in the queue (for tests and diagnostics). */
    public int pendingEvents() {
        return queue.size();
    }

    /** Stops every application thread (see {@link SimScheduler#close()}). */
    @Override
    public void close() {
        scheduler.close();
    }

    // ---- internals shared with the package ----

    EventQueue queue() {
        return queue;
    }

    /** True while a run method is on the stack (events and application turns are executing). */
    boolean running() {
        return running;
    }

    HostDriver driverFor(Host host) {
        HostDriver d = driverByHost.get(host);
        if (d == null) {
            d = new HostDriver(this, host);
            driverByHost.put(host, d);
            drivers.add(d);
            d.refresh();
        }
        return d;
    }

    /** Re-reads every host's deadline: after code that may have touched any host. */
    void refreshHosts() {
        for (int i = 0, n = drivers.size(); i < n; i++) drivers.get(i).refresh();
    }

    private void enter() {
        if (running) {
            throw new IllegalStateException("the simulator is already running: run methods cannot be called from"
                    + " events or application threads (use SimScheduler.sleep or await instead)");
        }
        scheduler.checkUsable();
        scheduler.entering();
        running = true;
        refreshHosts(); // the driver may have called into hosts directly since the last run
    }

    /** Fires the earliest event if it is due at or before {@code limit}; returns false if there was none. */
    private boolean fireNext(long limit) {
        Event e = queue.peek();
        if (e == null || e.time > limit) return false;
        if (stepListener != null) stepListener.run();
        queue.poll();
        now = e.time;
        e.fire(this);
        return true;
    }

    /** Moves the clock forward to {@code t}; {@code Long.MAX_VALUE} means "no limit" and leaves it alone. */
    private void advanceClockTo(long t) {
        if (t != Long.MAX_VALUE && now < t) now = t;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A one-off action scheduled by user code; it may touch any host, so all deadlines are re-read after. */
    private static final class ActionEvent extends Event {
        private final Runnable action;

        ActionEvent(Runnable action) {
            this.action = action;
        }

        @Override
        void fire(Simulator sim) {
            action.run();
            sim.refreshHosts();
        }
    }
}
