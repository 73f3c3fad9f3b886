package io.threeway.sim;

import io.threeway.socket.RuntimeClosedError;
import io.threeway.socket.SocketRuntime;
import io.threeway.socket.WaitQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.Collection;
import java.util.Objects;

/**
 * Runs blocking application code deterministically in virtual time: the {@link SocketRuntime} of the
 * simulator.
 *
 * <p>Application threads ({@link #spawn}) are real threads (daemon platform threads, or virtual threads, see
 * {@link #useVirtualThreads}), but only one runs at a time: the one
 * holding the baton. The {@link Simulator}'s loop hands the baton to runnable threads one by one, in FIFO
 * order of becoming runnable (spawn order, then wakeup order), and waits until the thread gives it back by
 * blocking in {@link #await} or {@link #sleep}, or by finishing. Only when no thread is runnable does the
 * simulator take the next event and move the clock. So the interleaving of application code, and every
 * result, depends only on the program and the seed, never on the OS scheduler.
 *
 * <p>A parked thread waits on the {@link WaitQueue}s of the sockets it blocks on. It becomes runnable when its
 * deadline event fires, or when one of its queues was woken ({@link #wake}) and its condition, evaluated on the
 * simulator thread (which then has exclusive access) before the clock moves, holds. Only the threads on woken
 * queues are re-checked, in the order they parked, so an event on one of ten thousand idle connections costs one
 * re-check, not ten thousand. Waits on no particular socket ({@link #await(BooleanSupplier, long)}) are
 * re-checked after every event, as all waits once were.
 *
 * <p>Application code must block only through this runtime. A thread that blocks on anything else (a
 * foreign lock, {@code Thread.sleep}, real I/O) or spins holds the baton forever; after
 * {@link #setBatonTimeout wall-clock timeout} (30 s by default) the simulation fails with a message naming
 * the thread and showing its stack, instead of hanging.
 *
 * <p>An exception escaping an application thread stops the run method that was executing with a
 * {@link SimulationException} wrapping it. {@link #close()} interrupts every application thread (their
 * pending and future awaits throw {@link InterruptedException}) and lets each unwind in turn.
 */
public final class SimScheduler implements SocketRuntime, AutoCloseable {
    private final Simulator sim;
    private final ArrayDeque<AppThread> runnable = new ArrayDeque<>();
    private final Set<AppThread> live = new LinkedHashSet<>();
    private AppThread parkedHead;
    private AppThread parkedTail;
    private int parkedCount;
    /** Waiters on no particular socket: every wake re-checks them. */
    private final WaitQueue anyEvent = new WaitQueue();
    /** Parked threads whose queue was woken, to re-check (in park order) before the clock moves. */
    private final ArrayList<AppThread> candidates = new ArrayList<>();
    /** Parks so far: orders re-checks as the threads parked. */
    private long parks;
    /** Conditions re-evaluated after a wake (for tests and diagnostics). */
    private long rechecks;
    private boolean closed;
    private String broken;
    private long batonTimeoutNanos = Duration.ofSeconds(30).toNanos();
    private boolean virtualThreads;

    /** The application thread holding the baton, or null while the simulator thread runs. */
    private volatile AppThread current;
    /** Set by an application thread to the thread that gave the baton back. */
    private volatile AppThread returnedBy;
    /** The thread running the simulator loop, unparked when the baton comes back. */
    private volatile Thread driver;
    /** The thread that may use the simulation between runs: its creator, or the last to run it. */
    private volatile Thread owner = Thread.currentThread();
    /** What a foreign thread's error suggests. */
    private String foreignHint = "start it with Simulator.spawn or SimScheduler.newThread so that the simulator schedules it";
    /** Threads taken in from outside, and what stands for the threads they see. */
    private final Recruits recruits;

    SimScheduler(Simulator sim) {
        this.sim = sim;
        this.recruits = new Recruits(this, new SimulationThreadGroup("threeway-simulation-" + sim.seed()));
    }

    /** The thread group of the platform application threads (so the threads they start are known). */
    ThreadGroup group() {
        return recruits.group();
    }

    /** How long (wall clock) one application thread may hold the baton before the simulation fails. */
    public void setBatonTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.batonTimeoutNanos = Simulator.toNanos(timeout);
    }

    /**
     * Whether threads spawned from now on are virtual threads (cheap in memory: use for thousands of
     * application threads) or platform daemon threads (the default: a baton handoff is a few microseconds,
     * several times faster than through the virtual-thread scheduler). Determinism is the same either way.
     */
    public void useVirtualThreads(boolean virtual) {
        this.virtualThreads = virtual;
    }

    /**
     * Starts an application thread running {@code body}. It first runs when the simulator next hands out the
     * baton (after the threads already runnable), at the current virtual time. Callable from the driver
     * thread, an event, or another application thread.
     */
    public void spawn(String name, Runnable body) {
        AppThread t = new AppThread(this, name, body, virtualThreads);
        if (virtualThreads) starting(t);
        t.thread.start();
    }

    /**
     * A platform thread running {@code body} as an application thread, not yet started: whoever starts it (a
     * library's pool, from an application thread or from the driver thread) makes it runnable, as {@link #spawn}
     * does. This is what a simulator-managed {@link java.util.concurrent.ThreadFactory} returns.
     */
    public Thread newThread(String name, Runnable body) {
        if (closed) throw new IllegalStateException("scheduler closed");
        return new AppThread(this, name, body, false).thread;
    }

    /** Registers {@code t} as live and runnable: it is being started. */
    void starting(AppThread t) {
        if (closed) throw new IllegalStateException("scheduler closed");
        self(); // only a thread with exclusive access may start one
        if (live.contains(t)) throw new IllegalThreadStateException("thread '" + t.name + "' already started");
        live.add(t);
        runnable.addLast(t);
    }

    /**
     * Whether the calling thread is one of this scheduler's application threads (started by {@link #spawn} or
     * from {@link #newThread}).
     */
    public boolean isApplicationThread() {
        AppThread t = AppThread.current();
        return t != null && t.scheduler == this;
    }

    /** The scheduler whose application thread the calling thread is, or null. */
    public static SimScheduler ofCurrentThread() {
        AppThread t = AppThread.current();
        return t == null ? null : t.scheduler;
    }

    /**
     * The thread that may use the simulation between runs (and drive it): the one that created the simulator,
     * until another one calls a run method. Any other thread that is not an application thread gets an error.
     */
    public Thread owner() {
        return owner;
    }

    /**
     * The hint a thread outside the simulation gets with its error: how to run that code on a thread the
     * simulator manages (the API names its own factories and executors here).
     */
    public void setForeignThreadHint(String hint) {
        this.foreignHint = Objects.requireNonNull(hint);
    }

    /**
     * Ends application threads at once, as a crashed host's processes end: parked or runnable ones never run
     * again and unwind (their {@code finally} blocks run, but any call into the simulation ends them again), and
     * the run goes on without them. A thread that is running (the caller itself) ends at its next wait. Call with
     * exclusive access.
     */
    public void kill(Collection<Thread> threads) {
        self();
        for (AppThread t : List.copyOf(live)) {
            if (!threads.contains(t.thread)) continue;
            t.abandoned = true;
            if (t.parked) unpark(t);
            runnable.remove(t);
            live.remove(t);
            if (t != current) {
                t.thread.interrupt();
                LockSupport.unpark(t.thread);
            }
        }
    }

    /** Application threads started and not yet finished. */
    public int liveThreads() {
        return live.size();
    }

    /** One line per live application thread and its state (adopted threads too), for diagnosing a stuck simulation. */
    public String describeThreads() {
        StringBuilder b = new StringBuilder();
        for (AppThread t : live) b.append(t).append('\n');
        for (AppThread t : recruits.adopted()) b.append(t).append('\n');
        return b.toString();
    }

    /** Virtual time (ns). */
    @Override
    public long now() {
        return sim.now();
    }

    /**
     * Runs {@code action}. The caller already has exclusive access to the simulation: it is the application
     * thread holding the baton, or the simulator's own thread (an event, or a test's main thread between runs).
     */
    @Override
    public <T> T call(Supplier<T> action) {
        self();
        return action.get();
    }

    /**
     * Blocks until {@code ready} holds or virtual time reaches {@code deadline}. From an application thread
     * this parks the thread and gives back the baton. From the driver thread outside any run (e.g. a test's
     * main thread using a blocking socket directly) it runs the simulation until the condition holds.
     * Returns true if ready, false on timeout (the condition is checked once more at the deadline).
     *
     * @throws InterruptedException if the thread is interrupted, or the scheduler closed, while waiting
     */
    @Override
    public boolean await(BooleanSupplier ready, long deadline) throws InterruptedException {
        return await(anyEvent, ready, deadline);
    }

    /** {@link #await(BooleanSupplier, long)}, re-checked only when {@code queue} is woken. */
    @Override
    public boolean await(WaitQueue queue, BooleanSupplier ready, long deadline) throws InterruptedException {
        return await(new WaitQueue[] {queue}, ready, deadline);
    }

    /** {@link #await(BooleanSupplier, long)}, re-checked when any of {@code queues} is woken (a selector's wait). */
    @Override
    public boolean await(WaitQueue[] queues, BooleanSupplier ready, long deadline) throws InterruptedException {
        AppThread me = self();
        if (me == null) return drive(ready, deadline);
        if (closed && me.adopted) throw new RuntimeClosedError("the Threeway simulation (seed " + sim.seed() + ") is closed");
        if (closed) throw new InterruptedException("simulation closed");
        if (me.consumeInterrupt()) throw new InterruptedException();
        if (ready.getAsBoolean()) return true;
        if (deadline <= sim.now()) return false;
        park(me, queues, ready, deadline);
        yieldBaton(me);
        me.ready = null;
        if (me.wake == AppThread.Wake.INTERRUPT) {
            me.consumeInterrupt();
            throw new InterruptedException(closed ? "simulation closed" : null);
        }
        return me.result;
    }

    /** Sleeps {@code nanos} of virtual time. */
    public void sleep(long nanos) throws InterruptedException {
        long deadline = Simulator.saturatedAdd(sim.now(), Math.max(0, nanos));
        await(NO_QUEUES, NEVER_READY, deadline);
    }

    public void sleep(Duration d) throws InterruptedException {
        sleep(Simulator.toNanos(d));
    }

    /**
     * A socket changed: the threads parked on {@code queue}, and those waiting on no particular socket, re-check
     * their conditions before the clock moves again.
     */
    @Override
    public void wake(WaitQueue queue) {
        if (queue != null) queue.wakeAll();
        anyEvent.wakeAll();
    }

    /** Application state changed: threads waiting on no particular socket re-check before the clock moves. */
    @Override
    public void signal() {
        anyEvent.wakeAll();
    }

    /**
     * {@link #wake} from any thread: at once from a thread that may use the simulation, otherwise (a library's
     * thread calling {@code Selector.wakeup()}) at the simulator's next step.
     */
    @Override
    public void wakeFromAnyThread(WaitQueue queue) {
        if (mayCall()) wake(queue);
        else recruits.wakeLater(queue);
    }

    /**
     * Makes the calling thread one of this simulation's application threads if it is not already (nor the thread
     * driving it): a library's own thread reaching a NIO channel or selector, such as the JDK HttpClient's
     * selector manager or {@code com.sun.net.httpserver}'s dispatcher. The thread waits until it is let in, when
     * no application thread is runnable and before the clock moves, and from then on takes turns with the baton
     * like the others (it is not counted among the threads a run waits for).
     *
     * <p>This stays deterministic for the threads that application threads start (they run in the simulation's
     * thread group): whenever no application thread is runnable, the simulator first waits until each such thread
     * has either asked to join or blocked outside the simulation (idle in a pool, or ended), and lets the ones
     * that asked in by thread id, that is in the order they were started. A thread from elsewhere (started by
     * the test's own thread, say) is let in whenever it comes.
     *
     * @throws RuntimeClosedError if the simulation is closed
     */
    @Override
    public void join() {
        if (mayCall()) return;
        AppThread mine = AppThread.current();
        if (mine != null) {
            if (mine.scheduler != this) return; // another simulation's thread: self() reports it
            if (mine.abandoned || closed) throw new AppThread.Abandoned();
            return; // ours, not holding the baton: cannot happen outside waitForBaton
        }
        if (closed) throw new RuntimeClosedError("the Threeway simulation (seed " + sim.seed() + ") is closed");
        AppThread t = new AppThread(this);
        recruits.arrive(t);
        t.waitForBaton();
    }

    /** Whether the calling thread has exclusive access now: the baton holder, or the thread driving the simulation. */
    private boolean mayCall() {
        AppThread c = current;
        Thread me = Thread.currentThread();
        if (c != null) return c.thread == me;
        return me == owner || me == driver && sim.running();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Conditions re-evaluated after wakes so far: with wait queues, about one per thread an event concerns. */
    public long rechecks() {
        return rechecks;
    }

    /**
     * Interrupts every application thread and lets each unwind, one at a time: parked threads wake with an
     * {@link InterruptedException}, and any later await or sleep throws one at once. A thread still stuck
     * after that is abandoned. Call from the driver thread, not during a run.
     */
    @Override
    public void close() {
        if (closed) return;
        if (sim.running() || current != null) {
            throw new IllegalStateException("close the simulator from the driver thread, not during a run");
        }
        closed = true;
        while (parkedHead != null) wake(parkedHead, AppThread.Wake.INTERRUPT, false);
        if (broken == null) {
            try {
                runReady();
            } catch (SimulationException stuck) {
                // a thread that would not unwind; abandoned below
            }
        }
        for (AppThread t : live) {
            t.abandoned = true;
            t.thread.interrupt();
            LockSupport.unpark(t.thread);
        }
        live.clear();
        runnable.clear();
        recruits.abandonAll();
    }

    // ---- the simulator's side ----

    /** Fails fast if the simulation cannot go on; notices interrupts that arrived between runs. */
    void checkUsable() {
        if (broken != null) throw new SimulationException(broken);
        scanInterrupts();
    }

    /**
     * Gives the baton to every runnable thread in turn until none is runnable. Returns whether any ran.
     * Called by the simulator loop before each event.
     */
    boolean runReady() {
        boolean ran = false;
        while (true) {
            recruits.deliverWakes();
            if (!candidates.isEmpty()) recheckCandidates();
            AppThread t = runnable.pollFirst();
            if (t == null) {
                List<AppThread> in = recruits.admit(ran);
                if (in.isEmpty() && !recruits.wakesPending()) return ran;
                runnable.addAll(in); // and the loop's top delivers the wakes
                continue;
            }
            ran = true;
            runSlice(t);
            if (t.done) {
                live.remove(t);
                if (t.adopted) recruits.ended(t);
                if (t.failure != null && !closed) {
                    broken = "application thread '" + t.name + "' failed: " + t.failure;
                    throw new SimulationException(broken, t.failure);
                }
            }
            scanInterrupts();
            sim.refreshHosts();
        }
    }

    /** A parked thread's deadline event fired. */
    void deadlinePassed(AppThread t) {
        if (!t.parked) return;
        boolean ready = t.ready.getAsBoolean();
        wake(t, AppThread.Wake.DEADLINE, ready);
    }

    /** Called by an application thread to hand the baton back to the simulator. */
    void returnBaton(AppThread t) {
        t.hasBaton = false;
        Thread d = driver;
        returnedBy = t;
        LockSupport.unpark(d);
    }

    // ---- internals ----

    /** The calling application thread, or null when the caller is the simulator's thread. */
    private AppThread self() {
        AppThread c = current;
        Thread me = Thread.currentThread();
        if (c != null && c.thread == me) return c;
        AppThread mine = AppThread.current();
        if (mine != null && mine.abandoned) throw new AppThread.Abandoned();
        if (c == null && (me == owner || me == driver && sim.running())) return null;
        throw new IllegalStateException("thread '" + me.getName() + "' is not managed by the Threeway simulator"
                + " (seed " + sim.seed() + ") and called into it" + (c != null ? " while application thread '" + c.name
                + "' holds the baton" : "") + ": only threads the simulator schedules may use its sockets, or the thread"
                + " that drives it between runs ('" + owner.getName() + "'); " + foreignHint);
    }

    /** The simulator's loop is starting on the calling thread, which becomes the owner. */
    void entering() {
        owner = Thread.currentThread();
    }

    private boolean drive(BooleanSupplier ready, long deadline) throws InterruptedException {
        if (sim.running()) {
            throw new IllegalStateException("await called from inside a simulator event: events must not block");
        }
        if (Thread.interrupted()) throw new InterruptedException();
        if (closed) throw new InterruptedException("simulation closed");
        return sim.runUntil(ready, deadline);
    }

    private void park(AppThread t, WaitQueue[] queues, BooleanSupplier ready, long deadline) {
        t.ready = ready;
        t.parked = true;
        t.parkSeq = ++parks;
        t.queues = queues;
        for (WaitQueue q : queues) q.add(t);
        t.wake = null;
        t.prevParked = parkedTail;
        t.nextParked = null;
        if (parkedTail == null) parkedHead = t; else parkedTail.nextParked = t;
        parkedTail = t;
        parkedCount++;
        if (deadline != Long.MAX_VALUE) sim.queue().add(t, deadline);
    }

    private void wake(AppThread t, AppThread.Wake how, boolean result) {
        unpark(t);
        t.wake = how;
        t.result = result;
        runnable.addLast(t);
    }

    /** Takes {@code t} off the parked list, its queues and the event queue. */
    private void unpark(AppThread t) {
        AppThread p = t.prevParked;
        AppThread n = t.nextParked;
        if (p == null) parkedHead = n; else p.nextParked = n;
        if (n == null) parkedTail = p; else n.prevParked = p;
        t.prevParked = t.nextParked = null;
        t.parked = false;
        for (WaitQueue q : t.queues) q.remove(t);
        t.queues = null;
        parkedCount--;
        sim.queue().remove(t);
    }

    /** A queue {@code t} waits on was woken: re-check it before the clock moves. */
    void queueWoken(AppThread t) {
        if (t.candidate || !t.parked) return;
        t.candidate = true;
        candidates.add(t);
    }

    /** Re-checks the threads whose queues were woken, in the order they parked, and wakes those now ready. */
    private void recheckCandidates() {
        if (candidates.size() > 1) candidates.sort(BY_PARK_ORDER);
        for (int i = 0; i < candidates.size(); i++) {
            AppThread t = candidates.get(i);
            t.candidate = false;
            if (!t.parked) continue;
            rechecks++;
            if (t.ready.getAsBoolean()) wake(t, AppThread.Wake.CONDITION, true);
        }
        candidates.clear();
    }

    /** What a sleep waits on: no queue, only its deadline. */
    private static final WaitQueue[] NO_QUEUES = {};
    /** A sleep's condition. */
    private static final BooleanSupplier NEVER_READY = () -> false;

    /** Re-checks go in park order, as they did when every parked thread was re-checked. */
    private static final Comparator<AppThread> BY_PARK_ORDER = Comparator.comparingLong(t -> t.parkSeq);

    /** Wakes parked threads that were interrupted (by another application thread, or from outside). */
    private void scanInterrupts() {
        if (parkedCount == 0) return;
        AppThread t = parkedHead;
        while (t != null) {
            AppThread next = t.nextParked;
            if (t.interruptRequested()) wake(t, AppThread.Wake.INTERRUPT, false);
            t = next;
        }
    }

    /** Hands the baton to {@code t} and waits, with the watchdog, until it comes back. */
    private void runSlice(AppThread t) {
        driver = Thread.currentThread();
        returnedBy = null;
        current = t;
        t.hasBaton = true;
        LockSupport.unpark(t.thread);
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            while (returnedBy != t) {
                long waited = System.nanoTime() - start;
                if (waited >= batonTimeoutNanos) stuck(t, waited);
                if (t.adopted && !t.thread.isAlive()) { // an adopted thread's own code ended it, baton and all
                    t.done = true;
                    break;
                }
                LockSupport.parkNanos(this, Math.min(batonTimeoutNanos - waited, t.adopted ? 1_000_000L : 50_000_000L));
                if (Thread.interrupted()) interrupted = true;
            }
        } finally {
            current = null;
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    long batonTimeoutNanos() {
        return batonTimeoutNanos;
    }

    /** A thread an application thread started kept moving outside the simulation for the baton timeout. */
    void recruitStuck(Thread t, long waitedNanos) {
        StringBuilder b = new StringBuilder();
        b.append("thread '").append(t.getName()).append("', started by an application thread, neither reached the")
                .append(" simulation nor settled outside it (idle in a pool, asleep, ended) in ").append(waitedNanos / 1_000_000)
                .append(" ms of wall time, at virtual time ").append(sim.now()).append(" ns: the simulator waits for such")
                .append(" threads before it moves the clock. Its stack:");
        for (StackTraceElement e : t.getStackTrace()) b.append("\n\tat ").append(e);
        broken = b.toString();
        throw new SimulationException(broken);
    }

    /** The JDK's common pool stayed busy for the baton timeout at a point where the clock would move. */
    void commonPoolStuck(long waitedNanos) {
        broken = "the JDK's common pool (ForkJoinPool.commonPool(), where CompletableFuture callbacks run) stayed busy for "
                + waitedNanos / 1_000_000 + " ms of wall time at virtual time " + sim.now() + " ns: the simulator waits for"
                + " it to go idle before it moves the clock, so that callbacks the application handed it happen at the same"
                + " virtual time in every run. A task there is probably blocked outside the simulation: "
                + ForkJoinPool.commonPool();
        throw new SimulationException(broken);
    }

    private void stuck(AppThread t, long waitedNanos) {
        StringBuilder b = new StringBuilder();
        b.append("application thread '").append(t.name).append("' held the baton for ")
                .append(waitedNanos / 1_000_000).append(" ms of wall time without blocking in the simulator, at virtual time ")
                .append(sim.now()).append(" ns. It is probably blocked outside the simulation (a foreign lock, Thread.sleep,"
                        + " real I/O) or spinning; application code must wait only through the SocketRuntime. Its stack:");
        for (StackTraceElement e : t.thread.getStackTrace()) b.append("\n\tat ").append(e);
        broken = b.toString();
        t.abandoned = true;
        t.thread.interrupt();
        live.remove(t);
        throw new SimulationException(broken);
    }

    private void yieldBaton(AppThread me) {
        returnBaton(me);
        me.waitForBaton();
    }

    /** For tests: the parked threads in park order. */
    List<String> parkedNames() {
        List<String> out = new ArrayList<>();
        for (AppThread t = parkedHead; t != null; t = t.nextParked) out.add(t.name);
        return out;
    }
}
