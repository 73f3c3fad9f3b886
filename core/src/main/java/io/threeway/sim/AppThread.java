package io.threeway.sim;

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
final class AppThread extends Event {
    /** How a parked thread was woken. */
    enum Wake { CONDITION, DEADLINE, INTERRUPT }

    final SimScheduler scheduler;
    final String name;
    final Thread thread;

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
    boolean done;
    Throwable failure;

    /** An interrupt this thread noticed while waiting for the baton (guarded by this). */
    private boolean interruptPending;

    AppThread(SimScheduler scheduler, String name, Runnable body, boolean virtual) {
        this.scheduler = scheduler;
        this.name = name;
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
        this.thread = builder.name(name).unstarted(() -> main(body));
    }

    private void main(Runnable body) {
        try {
            waitForBaton();
            body.run();
        } catch (Abandoned a) {
            return;
        } catch (Throwable x) {
            failure = x;
        }
        done = true;
        scheduler.returnBaton(this);
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

    /** The await deadline passed. */
    @Override
    void fire(Simulator sim) {
        scheduler.deadlinePassed(this);
    }

    @Override
    public String toString() {
        if (done) return name + " (finished)";
        if (parked) return name + " (parked" + (queued() ? " until " + time + " ns" : "") + ")";
        return name + (hasBaton ? " (running)" : " (runnable)");
    }

    /** Unwinds a thread the simulation gave up on; never seen by application code that catches Exception. */
    static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("application thread abandoned by the simulator", null, false, false);
        }
    }
}
