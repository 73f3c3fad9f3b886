package io.threeway.socket;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How blocking socket calls wait, so that one socket API serves both worlds:
 * <ul>
 *   <li>in the simulator, application threads hold a single baton handed out by a cooperative scheduler;
 *       waiting parks the thread and lets virtual time move ({@code io.threeway.sim.SimScheduler});</li>
 *   <li>on a real network, an event-loop thread owns the stack and waiting is a real condition wait
 *       against the real clock.</li>
 * </ul>
 * Every call into a stack goes through {@link #call}, so the stack is only ever touched by its owner.
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
     * Blocks the calling application thread until {@code ready} is true or {@code deadline} (ns, in this
     * runtime's clock; {@code Long.MAX_VALUE} for none) passes. {@code ready} is evaluated with exclusive
     * access to the stacks. Returns true if ready, false on timeout.
     */
    boolean await(BooleanSupplier ready, long deadline) throws InterruptedException;

    /** Called by the stack side whenever socket state changes, so waiters re-check their conditions. */
    void signal();
}
