package io.threeway.api.impl;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.socket.SocketRuntime;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * What a network's mode of time provides: the simulator in virtual time ({@link SimEngine}), or the wall clock
 * with ordinary threads ({@link RealTimeEngine}). Everything above it (hosts, the fabric, links, faults,
 * executors, names) is the same in both.
 */
public interface Engine extends AutoCloseable {
    /** The socket runtime every host's sockets block through. */
    SocketRuntime runtime();

    /** Whether time is virtual. */
    boolean simulated();

    /** The current time (ns since the network began). */
    long now();

    /** Lets the engine drive {@code stack}'s timers. */
    void attach(Stack stack);

    /** Two wires joining {@code a} and {@code b}: a to b, then b to a. */
    Wire[] connect(Stack a, Stack b, LinkConfig aToB, LinkConfig bToA);

    /**
     * An array of at least {@code length} bytes for a host to build a packet in (see {@link PacketSink#buffer}):
     * a new one by default; an engine that knows when its packets are delivered may hand out arrays it got back.
     */
    default byte[] buffer(int length) {
        return new byte[length];
    }

    /** An application thread running {@code body}, not yet started. */
    Thread newThread(String name, Runnable body);

    /** Whether the calling thread is one of this engine's application threads. */
    boolean isApplicationThread();

    /** Application threads started and not yet finished. */
    int liveThreads();

    /** One line per live application thread. */
    String describeThreads();

    /** Ends {@code threads} at once (a crashed host's processes). */
    void kill(Collection<Thread> threads);

    /** Runs {@code action} at time {@code at} (ns) on the thread that drives the stacks, unless cancelled. */
    Cancellable schedule(long at, Runnable action);

    /** Sleeps the calling thread {@code nanos}. */
    void sleep(long nanos) throws InterruptedException;

    /** Runs (or, in real time, waits) until {@code done} holds or time {@code deadline}; whether it held. */
    boolean runUntil(BooleanSupplier done, long deadline);

    /** Runs (or waits) until time {@code deadline}. */
    void runUntil(long deadline);

    @Override
    void close();

    /** Something scheduled that may be called off. */
    interface Cancellable {
        /** Calls it off; harmless once it ran. */
        void cancel();
    }
}
