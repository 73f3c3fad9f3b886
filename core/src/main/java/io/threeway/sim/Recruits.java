package io.threeway.sim;

import io.threeway.socket.WaitQueue;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads a {@link SimScheduler} takes in from outside ({@link SimScheduler#join()}): a library's own
 * threads that reach a NIO channel or selector, such as the selector thread the JDK's {@code HttpClient} starts
 * or the dispatcher of {@code com.sun.net.httpserver}. The simulator cannot see a thread start, so it keeps its
 * platform application threads in one {@link ThreadGroup}, which the threads they start inherit: those are its
 * <em>recruits</em>. Whenever no application thread is runnable (before the clock moves), {@link #admit} first
 * waits until every recruit has either asked to join, blocked outside the simulation (idle in a pool, a timer
 * sleeping), or ended, then lets in those that asked, by thread id (the order they were started in). So when a
 * recruit first joins depends on the program, not on how fast the operating system started it.
 *
 * <p>For the same reason it waits, at those points, for the JDK's common pool to go idle: libraries hand it
 * callbacks (the JDK's HttpClient completes every {@code sendAsync} future there), and what those do must happen
 * before the clock moves.
 *
 * <p>A thread blocked in a lock (BLOCKED, or parked acquiring a {@link AbstractQueuedSynchronizer}) counts as
 * moving, not idle: it is about to get the lock. A thread that stays moving (spinning, or blocked outside the
 * simulation on something that never comes) for the baton timeout fails the run, naming it.
 *
 * <p>It also carries {@code Selector.wakeup()} calls from threads that may not touch the simulation to the
 * simulator's next step ({@link #wakeLater}).
 */
final class Recruits {
    /** The JVM's thread counts: a scan is needed only when a thread was started since the last one. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Joiners are let in by thread id: the order they were started in. */
    private static final Comparator<AppThread> BY_ID = Comparator.comparingLong(t -> t.thread.threadId());
    /** The JDK's common pool, where libraries run callbacks (CompletableFuture's default executor). */
    private static final ForkJoinPool COMMON_POOL = ForkJoinPool.commonPool();
    /** How often the simulator looks again while recruits are still moving: 1 ms. */
    private static final long POLL_MILLIS = 1;

    /** The scheduler. */
    private final SimScheduler scheduler;
    /** The group of the platform application threads, inherited by the threads they start. */
    private final ThreadGroup group;
    /** Guards {@link #joining} and {@link #wakes}; joiners notify it. */
    private final Object lock = new Object();
    /** Threads that asked to join and wait to be let in. Guarded by {@link #lock}. */
    private final List<AppThread> joining = new ArrayList<>();
    /** Queues woken by threads that may not touch the simulation. Guarded by {@link #lock}. */
    private final List<WaitQueue> wakes = new ArrayList<>();
    /** Whether {@link #joining} or {@link #wakes} may hold something (read without the lock). */
    private volatile boolean pending;
    /** Threads taken in, until they end. */
    private final Set<AppThread> adopted = ConcurrentHashMap.newKeySet();
    /** Recruits seen, not yet taken in, not yet ended (touched by the simulator's thread only). */
    private final Set<Thread> known = new LinkedHashSet<>();
    /** The JVM's count of started threads at the last scan. */
    private long startedSeen = -1;

    Recruits(SimScheduler scheduler, ThreadGroup group) {
        this.scheduler = scheduler;
        this.group = group;
    }

    ThreadGroup group() {
        return group;
    }

    /** The threads taken in and still alive. */
    List<AppThread> adopted() {
        return List.copyOf(adopted);
    }

    /** Called by a thread asking to join (it then waits for the baton). */
    void arrive(AppThread t) {
        synchronized (lock) {
            joining.add(t);
            pending = true;
            lock.notifyAll();
        }
    }

    /** An adopted thread ended. */
    void ended(AppThread t) {
        adopted.remove(t);
    }

    /** Carries a wake of {@code queue} from a thread that may not touch the simulation to its next step. */
    void wakeLater(WaitQueue queue) {
        synchronized (lock) {
            wakes.add(queue);
            pending = true;
            lock.notifyAll();
        }
    }

    /** Whether wakes from outside wait to be delivered. */
    boolean wakesPending() {
        if (!pending) return false;
        synchronized (lock) {
            return !wakes.isEmpty();
        }
    }

    /** On the simulator's thread: wakes the queues others asked to wake. */
    void deliverWakes() {
        if (!pending) return;
        List<WaitQueue> w;
        synchronized (lock) {
            if (wakes.isEmpty()) return;
            w = new ArrayList<>(wakes);
            wakes.clear();
            pending = !joining.isEmpty();
        }
        for (WaitQueue q : w) scheduler.wake(q);
    }

    /**
     * On the simulator's thread, when no application thread is runnable: waits for the recruits still moving,
     * then returns the threads to let in (marked adopted, in the order they were started), or none.
     * {@code turnsTaken} says whether application threads ran since the last call (only they start threads).
     */
    List<AppThread> admit(boolean turnsTaken) {
        if (turnsTaken) scan();
        if (!known.isEmpty()) settle();
        if (!COMMON_POOL.isQuiescent()) awaitCommonPool();
        if (!pending) return List.of();
        List<AppThread> in;
        synchronized (lock) {
            in = new ArrayList<>(joining);
            joining.clear();
            pending = !wakes.isEmpty();
        }
        in.sort(BY_ID);
        for (AppThread t : in) {
            known.remove(t.thread);
            adopted.add(t);
        }
        return in;
    }

    /**
     * Waits until the JDK's common pool is idle, or something asks to join or wake: work application threads
     * handed to it (the JDK's HttpClient completes every {@code sendAsync} future there) finishes before the
     * clock moves, so at the same virtual time in every run. A pool that stays busy for the baton timeout fails
     * the run.
     */
    private void awaitCommonPool() {
        long start = System.nanoTime();
        while (!COMMON_POOL.isQuiescent() && !pending) {
            long waited = System.nanoTime() - start;
            if (waited > scheduler.batonTimeoutNanos()) scheduler.commonPoolStuck(waited);
            synchronized (lock) {
                try {
                    lock.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Looks for threads started in the group since the last scan. */
    private void scan() {
        long started = THREADS.getTotalStartedThreadCount();
        if (started == startedSeen) return;
        startedSeen = started;
        Thread[] all = new Thread[group.activeCount() + 8];
        int n = group.enumerate(all, true);
        for (Thread t : Arrays.asList(all).subList(0, n)) {
            if (!AppThread.isManaged(t) && !isAdopted(t)) known.add(t);
        }
    }

    private boolean isAdopted(Thread t) {
        for (AppThread a : adopted) if (a.thread == t) return true;
        return false;
    }

    /** Waits until every known recruit has asked to join, is idle outside the simulation, or ended. */
    private void settle() {
        long start = System.nanoTime();
        while (true) {
            Thread moving = null;
            for (var it = known.iterator(); it.hasNext(); ) {
                Thread t = it.next();
                if (!t.isAlive() || isAdopted(t)) {
                    it.remove();
                } else if (!isJoining(t) && moving(t)) {
                    moving = t;
                }
            }
            if (moving == null) return;
            long waited = System.nanoTime() - start;
            if (waited > scheduler.batonTimeoutNanos()) scheduler.recruitStuck(moving, waited);
            synchronized (lock) {
                try {
                    lock.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean isJoining(Thread t) {
        synchronized (lock) {
            for (AppThread j : joining) if (j.thread == t) return true;
        }
        return false;
    }

    /**
     * Whether {@code t} is on its way somewhere: running, or blocked on a lock it is about to get; a thread
     * waiting on a condition, a queue, a timer or a sleep is idle.
     */
    private static boolean moving(Thread t) {
        return switch (t.getState()) {
            case RUNNABLE, BLOCKED -> true;
            case WAITING, TIMED_WAITING -> LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer;
            case NEW, TERMINATED -> false;
        };
    }

    /** The simulation closed: threads waiting to join, and adopted threads, unwind. */
    void abandonAll() {
        List<AppThread> all;
        synchronized (lock) {
            all = new ArrayList<>(joining);
            joining.clear();
            wakes.clear();
            pending = false;
        }
        all.addAll(adopted);
        adopted.clear();
        for (AppThread t : all) {
            t.abandoned = true;
            LockSupport.unpark(t.thread);
        }
    }
}
