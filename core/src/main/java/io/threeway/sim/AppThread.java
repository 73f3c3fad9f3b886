package io.threeway.sim;

import io.threeway.socket.RuntimeClosedError;
import io.threeway.socket.WaitQueue;
import io.threeway.socket.Waiter;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One application thread under the {@link SimScheduler}: the real thread plus its scheduling
 * state. It is also the event that wakes it at its await deadline, so parking allocates nothing.
 *
 * <p>Fields written by the simulator thread before it hands over the baton, and by this thread before it
 * hands the baton back, are published by the volatile {@link #hasBaton} / {@code SimScheduler.returnedBy}
 * handoff; everything else is touched only by whoever holds the baton.
 */
final class AppThread extends Event implements Waiter {
    /** How a parked thread was woken. */
    enum Wake { CONDITION, DEADLINE, INTERRUPT }

    final SimScheduler scheduler;
    final String name;
    final Thread thread;
    /**
     * A thread the simulator did not make but took in when it first used a channel or selector (see
     * {@link SimScheduler#join()}): it does not count among the threads a run waits for, and it may end while
     * holding the baton.
     */
    final boolean adopted;

    /** True while this thread may run. Set by the simulator thread, cleared by this thread. */
    volatile boolean hasBaton;
    /** The simulation gave up on this thread (it blocked outside the simulation, or the scheduler closed). */
    volatile boolean abandoned;

    // Scheduling state, owned by the baton holder.
    BooleanSupplier ready;
    boolean parked;
    AppThread prevParked;
    AppThread nextParked;
    Wake wake;
    boolean result;
    /** The wait queues this thread is parked on (none while it runs or sleeps). */
    WaitQueue[] queues;
    /** The order of this thread's latest park among all parks: re-checks go in this order. */
    long parkSeq;
    /** A queue it waits on was woken: its condition is re-checked before the clock moves. */
    boolean candidate;
    boolean done;
    Throwable failure;

    /** An interrupt this thread noticed while waiting for the baton (guarded by this). */
    private boolean interruptPending;

    /** The application thread the calling thread is, or null for any other thread. */
    private static final ThreadLocal<AppThread> CURRENT = new ThreadLocal<>();

    /**
     * A virtual thread, or a platform daemon thread whose {@link Thread#start()} hands it to the scheduler first,
     * so a library may start the threads a {@link java.util.concurrent.ThreadFactory} made whenever it likes.
     */
    AppThread(SimScheduler scheduler, String name, Runnable body, boolean virtual) {
        this.scheduler = scheduler;
        this.name = name;
        this.thread = virtual ? Thread.ofVirtual().name(name).unstarted(() -> main(body)) : new Managed(scheduler.group(), name, body);
        this.adopted = false;
    }

    /** The calling thread, adopted: from now on it is {@code scheduler}'s application thread. */
    AppThread(SimScheduler scheduler) {
        this.scheduler = scheduler;
        this.thread = Thread.currentThread();
        this.name = thread.getName();
        this.adopted = true;
        CURRENT.set(this);
        // when the simulation closes, the thread unwinds with a RuntimeClosedError: not worth a stack trace
        Thread.UncaughtExceptionHandler before = thread.getUncaughtExceptionHandler();
        thread.setUncaughtExceptionHandler((t, x) -> {
            if (!(x instanceof RuntimeClosedError)) before.uncaughtException(t, x);
        });
    }

    /** Whether {@code t} is a platform application thread made by a scheduler (not adopted). */
    static boolean isManaged(Thread t) {
        return t instanceof Managed;
    }

    /** The application thread the calling thread is, or null when it is not one. */
    static AppThread current() {
        return CURRENT.get();
    }

    private void main(Runnable body) {
        CURRENT.set(this);
        try {
            waitForBaton();
            body.run();
        } catch (Abandoned a) {
            return;
        } catch (Throwable x) {
            if (abandoned) return; // unwinding after the simulation gave up on it: the baton is not ours
            failure = x;
        }
        done = true;
        scheduler.returnBaton(this);
    }

    /** The platform thread of an application thread: starting it makes it runnable in the simulation. */
    private final class Managed extends Thread {
        Managed(ThreadGroup group, String name, Runnable body) {
            super(group, () -> main(body), name);
            setDaemon(true);
        }

        @Override
        public void start() {
            scheduler.starting(AppThread.this);
            super.start();
        }
    }

    /** Parks until the simulator hands this thread the baton. Interrupts are remembered, not lost. */
    void waitForBaton() {
        while (!hasBaton) {
            if (abandoned) throw new Abandoned();
            LockSupport.park(scheduler);
            if (Thread.currentThread().isInterrupted()) {
                synchronized (this) {
                    if (Thread.interrupted()) interruptPending = true;
                }
            }
        }
        if (abandoned) throw new Abandoned();
    }

    /** Whether someone interrupted this thread (asked by the simulator thread; does not clear it). */
    synchronized boolean interruptRequested() {
        return interruptPending || thread.isInterrupted();
    }

    /** Called by this thread: clears and returns its interrupt status, including one noticed while waiting. */
    synchronized boolean consumeInterrupt() {
        boolean was = interruptPending | Thread.interrupted();
        interruptPending = false;
        return was;
    }

    /** A queue this thread waits on was woken (on whoever holds exclusive access). */
    @Override
    public void wake() {
        scheduler.queueWoken(this);
    }

    /** The await deadline passed. */
    @Override
    void fire(Simulator sim) {
        scheduler.deadlinePassed(this);
    }

    @Override
    public String toString() {
        if (adopted) return name + " (adopted)" + (parked ? " (parked)" : hasBaton ? " (running)" : "");
        if (done) return name + " (finished)";
        if (parked) return name + " (parked" + (queued() ? " until " + time + " ns" : "") + ")";
        return name + (hasBaton ? " (running)" : " (runnable)");
    }

    /** Unwinds a thread the simulation gave up on; never seen by application code that catches Exception. */
    static final class Abandoned extends RuntimeClosedError {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("application thread abandoned by the simulator (it was closed, or its host crashed)");
        }
    }
}
