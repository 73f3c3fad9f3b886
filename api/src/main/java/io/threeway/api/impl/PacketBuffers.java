package io.threeway.api.impl;

import io.threeway.host.PacketPool;
import io.threeway.host.PacketSink;

/**
 * The arrays a real-time network builds its packets in, given back once delivered: two {@link PacketPool}s, one of
 * arrays for packets up to {@value #SMALL} bytes (an MTU of 1500 and its ACKs), one of arrays for super-segments up
 * to {@link PacketSink#GSO_MAX_SIZE}. In steady state a transfer then allocates no packet array (the arrays were
 * the bulk of the real-time mode's allocation and, zeroed and touched for the first time, a quarter of its CPU).
 * Not thread-safe: used under the runtime's lock.
 */
final class PacketBuffers {
    /** The size of the small arrays. */
    static final int SMALL = 2048;
    /** Small arrays kept at most (4 MiB). */
    private static final int KEEP_SMALL = 2048;
    /** Large arrays kept at most (8 MiB). */
    private static final int KEEP_LARGE = 128;

    /** Arrays of {@link #SMALL} bytes. */
    private final PacketPool small = new PacketPool(SMALL, KEEP_SMALL);
    /** Arrays of {@link PacketSink#GSO_MAX_SIZE} bytes. */
    private final PacketPool large = new PacketPool(PacketSink.GSO_MAX_SIZE, KEEP_LARGE);

    /** An array of at least {@code length} bytes. */
    byte[] take(int length) {
        return length <= SMALL ? small.take(length) : large.take(length);
    }

    /** A packet's array, delivered and no longer read: kept for a later {@link #take} if it is one of ours. */
    void give(byte[] packet) {
        if (packet.length == SMALL) small.give(packet);
        else large.give(packet);
    }
}
