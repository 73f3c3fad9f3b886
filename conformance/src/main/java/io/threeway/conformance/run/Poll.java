package io.threeway.conformance.run;

/**
 * poll(2)'s event bits, as Linux defines them (include/uapi/asm-generic/poll.h), defined once; epoll's EPOLL*
 * bits have the same values (include/uapi/linux/eventpoll.h).
 */
final class Poll {
    private Poll() {}

    /** There is data to read. */
    static final int POLLIN = 0x1;
    /** There is urgent data. */
    static final int POLLPRI = 0x2;
    /** Writing will not block. */
    static final int POLLOUT = 0x4;
    /** An error is pending. */
    static final int POLLERR = 0x8;
    /** Hung up. */
    static final int POLLHUP = 0x10;
    /** Not an open descriptor. */
    static final int POLLNVAL = 0x20;
    /** Normal data to read. */
    static final int POLLRDNORM = 0x40;
    /** Priority data to read. */
    static final int POLLRDBAND = 0x80;
    /** Normal data may be written. */
    static final int POLLWRNORM = 0x100;
    /** Priority data may be written. */
    static final int POLLWRBAND = 0x200;
    /** A message (unused by TCP). */
    static final int POLLMSG = 0x400;
    /** The peer shut down its writing side. */
    static final int POLLRDHUP = 0x2000;
}
