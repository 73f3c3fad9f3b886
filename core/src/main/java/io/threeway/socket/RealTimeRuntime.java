package io.threeway.socket;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@link SocketRuntime} for a stack on a real network, in real time: one lock guards the stacks it
 * drives, taken both by application threads ({@link #call}, {@link #await}) and by the event-loop thread
 * that feeds the stacks packets and timer ticks (which uses {@link #call} too, and may wait for work with
 * {@link #await}). {@link #signal()} wakes every waiter to re-check its condition.
 *
 * <p>The clock is {@link System#nanoTime()} counted from this runtime's creation, so the stacks see time
 * start near 0 as in the simulator.
 */
public final class RealTimeRuntime implements SocketRuntime {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long origin = System.nanoTime();

    @Override
    public long now() {
        return System.nanoTime() - origin;
    }

    @Override
    public <T> T call(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, holding the lock only while {@code ready} is evaluated, until it holds or the deadline passes.
     * The condition is checked once more at the deadline.
     */
    @Override
    public boolean await(BooleanSupplier ready, long deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!ready.getAsBoolean()) {
                if (deadline == Long.MAX_VALUE) {
                    changed.await();
                    continue;
                }
                long left = deadline - now();
                if (left <= 0) return ready.getAsBoolean();
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds the lock (for assertions in drivers). */
    public boolean holdsLock() {
        return lock.isHeldByCurrentThread();
    }
}
