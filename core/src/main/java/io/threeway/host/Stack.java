package io.threeway.host;

import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import io.threeway.wire.IpAddress;
import java.util.function.LongConsumer;

/**
 * One TCP/IP host: addresses, interfaces, the connection table and listeners, timers and counters.
 * Driven from outside: packets come in through {@link #receive}, time moves through {@link #advance},
 * and the driver asks {@link #nextDeadline} when to call again. (Skeleton: filled in by the host work.)
 */
public final class Stack implements Host {
    private final String name;
    private final Sysctls sysctls;
    private final Counters counters = new Counters();

    public Stack(String name, Sysctls sysctls, long seed) {
        this.name = name;
        this.sysctls = sysctls;
    }

    @Override
    public String name() { return name; }
    public Sysctls sysctls() { return sysctls; }
    public Counters counters() { return counters; }

    /** Adds an address reachable through {@code sink}; packets to other destinations use the default route. */
    public void addInterface(IpAddress address, int prefixLength, PacketSink sink) {
        throw new UnsupportedOperationException("host: not yet");
    }

    /** Hands the stack one inbound IP packet. Never throws for bad input: it is dropped and counted. */
    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        throw new UnsupportedOperationException("host: not yet");
    }

    /** Fires every timer due at or before {@code now}. */
    @Override
    public void advance(long now) {
        throw new UnsupportedOperationException("host: not yet");
    }

    /** The earliest time (ns) at which {@link #advance} has work, or {@code Long.MAX_VALUE}. */
    @Override
    public long nextDeadline() {
        return Long.MAX_VALUE;
    }

    /** Called with the new earliest deadline whenever it moves earlier (e.g. a send armed a timer). */
    @Override
    public void setWakeupListener(LongConsumer listener) {
    }
}
