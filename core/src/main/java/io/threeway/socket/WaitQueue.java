package io.threeway.socket;

import java.util.Arrays;

/**
 * The threads blocked on one socket (a connection or a listener), as Linux's {@code sk_wq}: an event on the
 * socket wakes only them, not every blocked thread of the runtime. A waiter may be on several queues at once
 * (a selector waits on many sockets' queues), and a queue holds few waiters, so a small array does.
 *
 * <p>Touched only with exclusive access to the runtime's stacks (inside {@link SocketRuntime#call}, an await's
 * condition, or the stack's wakeup), so it needs no lock of its own.
 */
public final class WaitQueue {
    private static final Waiter[] NONE = new Waiter[0];

    /** The waiters, in the order they started waiting. */
    private Waiter[] waiters = NONE;
    /** How many of {@link #waiters} are in use. */
    private int size;

    /** Adds {@code w} (at the end). */
    public void add(Waiter w) {
        if (size == waiters.length) waiters = Arrays.copyOf(waiters, Math.max(2, size * 2));
        waiters[size++] = w;
    }

    /** Removes {@code w} if present, keeping the others in order. */
    public void remove(Waiter w) {
        for (int i = 0; i < size; i++) {
            if (waiters[i] == w) {
                System.arraycopy(waiters, i + 1, waiters, i, size - i - 1);
                waiters[--size] = null;
                return;
            }
        }
    }

    /** Tells every waiter, in the order they started waiting, that the socket changed. */
    public void wakeAll() {
        for (int i = 0; i < size; i++) waiters[i].wake();
    }

    /** How many waiters are on this queue. */
    public int size() {
        return size;
    }

    /** Whether nobody waits here. */
    public boolean isEmpty() {
        return size == 0;
    }
}
