package io.threeway.api.impl;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A {@link Clock} (and so an {@link java.time.InstantSource}) reading a network's virtual time: a fixed start,
 * {@link #EPOCH}, plus the nanoseconds the network has run, so a seed gives the same instants every run.
 */
public final class VirtualClock extends Clock {
    /** The instant virtual time 0 stands for. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** The network's time, ns. */
    private final LongSupplier nanos;
    /** The zone dates are shown in. */
    private final ZoneId zone;

    /** A UTC clock over {@code nanos}. */
    public VirtualClock(LongSupplier nanos) {
        this(nanos, ZoneOffset.UTC);
    }

    private VirtualClock(LongSupplier nanos, ZoneId zone) {
        this.nanos = nanos;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new VirtualClock(nanos, z);
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(nanos.getAsLong());
    }

    @Override
    public long millis() {
        return EPOCH.toEpochMilli() + nanos.getAsLong() / 1_000_000L;
    }

    @Override
    public String toString() {
        return "VirtualClock[" + instant() + ", " + zone + "]";
    }
}
