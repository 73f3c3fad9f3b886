package io.threeway.app;

import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * Where a server's threads come from and which clock its timeouts read. Timeouts are enforced with the
 * socket's {@code SO_TIMEOUT}, set before every read to the time left until the current deadline on this
 * clock, so a server on a simulated stack times out in virtual time when given the simulator's clock and
 * threads, and nothing here reads the system clock or sleeps.
 *
 * @param clock   nanoseconds on the sockets' clock (a Threeway stack's runtime: {@code runtime::now})
 * @param threads makes the acceptor's and each connection's thread
 */
public record ServerRuntime(LongSupplier clock, ThreadFactory threads) {
    /** For the kernel's sockets: the JVM's monotonic clock, a virtual thread per connection. */
    public static ServerRuntime system() {
        return new ServerRuntime(System::nanoTime, Thread.ofVirtual().name("server-", 0).factory());
    }

    /** A stack's clock (e.g. {@code runtime::now} of a {@code RealTimeRuntime}) with virtual threads. */
    public static ServerRuntime withClock(LongSupplier clock) {
        return new ServerRuntime(clock, Thread.ofVirtual().name("server-", 0).factory());
    }
}
