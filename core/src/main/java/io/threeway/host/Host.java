package io.threeway.host;

import java.util.function.LongConsumer;

/**
 * Anything a network can drive: it takes inbound IP packets, has timers, and says when it next needs
 * the clock. {@link Stack} is the real one; tests use small fakes. Drivers (the simulator, a TUN event
 * loop) call these from one thread only.
 */
public interface Host {
    /** A name for traces and errors. */
    String name();

    /** Hands the host one inbound IP packet; the host copies what it keeps. Never throws for bad input. */
    void receive(byte[] packet, int offset, int length, long now);

    /** Fires every timer due at or before {@code now} (ns). */
    void advance(long now);

    /** The earliest time (ns) at which {@link #advance} has work, or {@code Long.MAX_VALUE}. */
    long nextDeadline();

    /** Registers the driver's callback, told the new earliest deadline whenever it moves earlier. */
    void setWakeupListener(LongConsumer listener);
}
