package io.threeway.socket;

/**
 * What a {@link ThreewaySelector} needs of a Threeway channel: its socket (whose {@link WaitQueue} the selector
 * waits on and whose {@link SocketCore#poll() poll mask} it reads) and the JDK's translation of that mask into
 * {@link java.nio.channels.SelectionKey} operations for the channel's state.
 */
interface ThreewaySelectable {
    /** The socket. */
    SocketCore core();

    /**
     * The operations of {@code interestOps} that {@code pollMask} makes ready, as the JDK's
     * {@code translateReadyOps} does on Linux: an error or hang-up makes every operation of interest ready (so
     * the next call reports it); otherwise each bit counts only in the state it belongs to (OP_CONNECT while a
     * connection is pending, OP_READ and OP_WRITE once connected, OP_ACCEPT on a listener). Call with
     * exclusive access to the stack.
     */
    int readyOps(int pollMask, int interestOps);
}
