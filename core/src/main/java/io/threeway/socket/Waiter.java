package io.threeway.socket;

/**
 * A thread (or a selector) blocked in a {@link SocketRuntime} wait, as the {@link WaitQueue}s it waits on see it:
 * something to tell that one of those sockets changed. Each runtime has its own kind: the simulator marks the
 * thread for a re-check before the clock moves; the real-time runtime signals the thread's own condition.
 */
public interface Waiter {
    /** One of the queues this waiter is on was woken. Called with exclusive access to the runtime's stacks. */
    void wake();
}
