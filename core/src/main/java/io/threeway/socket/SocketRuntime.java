package io.threeway.socket;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How blocking socket calls wait, so that one socket API serves both worlds:
 * <ul>
 *   <li>in the simulator, application threads hold a single baton handed out by a cooperative scheduler;
 *       waiting parks the thread and lets virtual time move ({@code io.threeway.sim.SimScheduler});</li>
 *   <li>in real time (a TUN device, or stacks joined in memory), a driver thread owns the stacks and waiting
 *       is a real condition wait against the real clock ({@link RealTimeRuntime}).</li>
 * </ul>
 * Every call into a stack goes through {@link #call}, so the stack is only ever touched by its owner.
 *
 * <p>A blocked call waits on its socket's {@link WaitQueue} (Linux's {@code sk_wq}), and a socket event wakes
 * only the waiters on that socket's queue ({@link #wake}); a selector waits on many queues at once. Waits on
 * no particular socket ({@link #await(BooleanSupplier, long)}) re-check after every event of the runtime.
 */
public interface SocketRuntime {

    /** The current time in nanoseconds (virtual in the simulator). */
    long now();

    /** Runs {@code action} with exclusive access to the stacks this runtime drives, and returns its result. */
    <T> T call(Supplier<T> action);

    /** {@link #call} for actions without a result. */
    default void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Blocks the calling thread until {@code ready} is true or {@code deadline} (ns, in this runtime's clock;
     * {@code Long.MAX_VALUE} for none) passes, re-checking {@code ready} whenever {@code queue} is woken.
     * {@code ready} is evaluated with exclusive access to the stacks. Returns true if ready, false on timeout
     * (the condition is checked once more at the deadline).
     *
     * @throws InterruptedException if the thread is interrupted (or the runtime closed) while waiting
     */
    boolean await(WaitQueue queue, BooleanSupplier ready, long deadline) throws InterruptedException;

    /**
     * {@link #await(WaitQueue, BooleanSupplier, long)} on several queues at once: woken by an event on any of
     * them (what a selector does).
     */
    boolean await(WaitQueue[] queues, BooleanSupplier ready, long deadline) throws InterruptedException;

    /**
     * Blocks until {@code ready} holds or the deadline passes, re-checking after every event the runtime sees
     * (for conditions on application state that no socket's queue covers; a socket call uses its queue).
     */
    boolean await(BooleanSupplier ready, long deadline) throws InterruptedException;

    /**
     * A socket changed: the waiters on {@code queue} (and those waiting on no particular socket) re-check
     * their conditions. Called with exclusive access to the stacks (inside {@link #call}, or from the stack's
     * own wakeup).
     */
    void wake(WaitQueue queue);

    /**
     * Something changed that no socket's queue stands for: the waiters on no particular socket re-check. May
     * be called from any thread that may use the runtime.
     */
    void signal();
}
