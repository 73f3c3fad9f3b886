package io.threeway.socket;

/**
 * The poll(2) event bits a socket's readiness is told in ({@link SocketCore#poll()}), with Linux's values
 * (include/uapi/asm-generic/poll.h); a selector turns them into {@link java.nio.channels.SelectionKey}'s
 * operations as the JDK's {@code translateReadyOps} does on Linux.
 */
final class Poll {
    private Poll() {}

    /** There is data to read (or end of stream, or a connection to accept). */
    static final int IN = 0x1;
    /** Writing will not block (or, while connecting, the connection is made: the JDK's POLLCONN). */
    static final int OUT = 0x4;
    /** An error is pending. */
    static final int ERR = 0x8;
    /** Hung up: both directions shut, or the connection closed. */
    static final int HUP = 0x10;
    /** Not an open socket. */
    static final int NVAL = 0x20;
    /** The peer shut down its writing side (or this side shut down reading). */
    static final int RDHUP = 0x2000;
}
