package io.threeway.socket;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@link SocketRuntime} for stacks in real time: one lock guards the stacks it drives, taken both by
 * application threads ({@link #call}, {@link #await}) and by the driver thread that feeds the stacks packets
 * and timer ticks (a TUN event loop, or an in-memory link), which uses {@link #call} too.
 *
 * <p>Each waiting thread has its own {@link Condition} and sits on the {@link WaitQueue}s of the sockets it
 * waits for, so an event on one socket signals only the threads blocked on that socket (Linux's
 * {@code sk_wq} and {@code wake_up_interruptible}), not every thread of the runtime: with thousands of idle
 * connections, a request on one of them wakes one thread. Waits on no particular socket sit on a queue that
 * every event wakes. {@link #wakeups()} counts the threads woken, for tests and diagnostics.
 *
 * <p>The clock is {@link System#nanoTime()} counted from this runtime's creation, so the stacks see time
 * start near 0 as in the simulator.
 */
public final class RealTimeRuntime implements SocketRuntime {
    private final ReentrantLock lock = new ReentrantLock();
    private final long origin = System.nanoTime();
    /** Waiters on no particular socket: every event wakes them. Guarded by {@link #lock}. */
    private final WaitQueue anyEvent = new WaitQueue();
    /** Threads signalled so far (each wake of a waiting thread). Guarded by {@link #lock}. */
    private long wakeups;
    /** What a thread does before it lets go of the lock (see {@link #beforeRelease}); nothing unless set. */
    private volatile BooleanSupplier beforeRelease = () -> false;
    /** Every waiting thread, to wake them all at close. Guarded by {@link #lock}. */
    private final WaitQueue everyone = new WaitQueue();
    /** Set by {@link #close()}: waits end at once. */
    private volatile boolean closed;

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
            try {
                release();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Sets work that the thread holding the lock does before it lets go of it (at the end of its outermost
     * {@link #call}, and before each wait in {@link #await}): a driver's pending work that any holder can do,
     * such as delivering the packets its call sent over a link with no delay (as the kernel's loopback runs the
     * receiver's path in the sender's context) instead of handing each to the driver's thread. {@code work}
     * returns whether it did anything.
     */
    public void beforeRelease(BooleanSupplier work) {
        beforeRelease = work;
    }

    /** Runs {@link #beforeRelease} when the lock is held once (not inside a nested call). */
    private void release() {
        if (lock.getHoldCount() == 1) beforeRelease.getAsBoolean();
    }

    @Override
    public boolean await(WaitQueue queue, BooleanSupplier ready, long deadline) throws InterruptedException {
        return await(new WaitQueue[] {queue}, ready, deadline);
    }

    /**
     * Waits, holding the lock only while {@code ready} is evaluated, until it holds or the deadline passes.
     * The condition is checked once more at the deadline.
     */
    @Override
    public boolean await(WaitQueue[] queues, BooleanSupplier ready, long deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (ready.getAsBoolean()) return true;
            if (closed) throw new InterruptedException("runtime closed");
            ThreadWaiter w = new ThreadWaiter(lock.newCondition());
            for (WaitQueue q : queues) q.add(w);
            everyone.add(w);
            try {
                return waitUntil(w, ready, deadline);
            } finally {
                for (WaitQueue q : queues) q.remove(w);
                everyone.remove(w);
            }
        } finally {
            try {
                release();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean await(BooleanSupplier ready, long deadline) throws InterruptedException {
        return await(anyEvent, ready, deadline);
    }

    /** With the lock held and {@code w} on its queues: sleeps on its condition until ready or the deadline. */
    private boolean waitUntil(ThreadWaiter w, BooleanSupplier ready, long deadline) throws InterruptedException {
        while (true) {
            // the wait lets go of the lock, however often it is held; what is delivered may be what it waits for
            if (beforeRelease.getAsBoolean() && ready.getAsBoolean()) return true;
            if (deadline == Long.MAX_VALUE) {
                w.changed.await();
            } else {
                long left = deadline - now();
                if (left <= 0) return ready.getAsBoolean();
                w.changed.awaitNanos(left);
            }
            if (ready.getAsBoolean()) return true;
            if (closed) throw new InterruptedException("runtime closed");
        }
    }

    /** Signals the waiters on {@code queue} and those on no particular socket. Call with the lock held. */
    @Override
    public void wake(WaitQueue queue) {
        if (queue != null) queue.wakeAll();
        anyEvent.wakeAll();
    }

    @Override
    public void signal() {
        lock.lock();
        try {
            anyEvent.wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the runtime (its network closed): every waiting thread wakes, and waits from now on end at once with an
     * {@link InterruptedException}; a selector then ends its thread (see {@link #isClosed()}).
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            everyone.wakeAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Threads woken so far by socket events (one per waiting thread signalled). */
    public long wakeups() {
        lock.lock();
        try {
            return wakeups;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds the lock (for assertions in drivers). */
    public boolean holdsLock() {
        return lock.isHeldByCurrentThread();
    }

    /** One waiting thread: its own condition on the runtime's lock. */
    private final class ThreadWaiter implements Waiter {
        /** Signalled when a queue the thread waits on is woken. */
        final Condition changed;

        ThreadWaiter(Condition changed) {
            this.changed = changed;
        }

        @Override
        public void wake() {
            wakeups++;
            changed.signal();
        }
    }
}
