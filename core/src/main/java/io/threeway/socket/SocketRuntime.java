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

    /**
     * {@link #wake} from any thread, even one that may not use the runtime (what {@code Selector.wakeup()}
     * needs: the JDK lets any thread call it). It never waits for the runtime's exclusive access from a thread
     * that cannot have it: the simulator takes the request at its next step.
     */
    default void wakeFromAnyThread(WaitQueue queue) {
        run(() -> wake(queue));
    }

    /**
     * The calling thread is about to use the runtime although it may be none of its own threads: a library's
     * internal thread (the selector thread of the JDK's {@code HttpClient}, the dispatcher of
     * {@code com.sun.net.httpserver}) reaching a NIO channel or selector. In real time any thread may use the
     * runtime, so this does nothing; the simulator makes such a thread one of its application threads (see
     * {@code SimScheduler.join}), so that it runs in turn, in virtual time. Blocking {@code java.net} sockets
     * do not call it: there a thread the simulator does not manage fails at once.
     */
    default void join() {}

    /**
     * Whether the runtime was closed (its network ended): a selector then ends its thread with a
     * {@link RuntimeClosedError} instead of returning forever at once, so an event loop that ignores interrupts
     * (Netty's, com.sun.net.httpserver's dispatcher) does not spin.
     */
    default boolean isClosed() {
        return false;
    }
}
