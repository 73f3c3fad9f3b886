package io.threeway.socket;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel's reusable copy buffer for direct {@link java.nio.ByteBuffer}s (whose bytes the engine cannot read
 * in place): taken for one operation and given back, so concurrent operations never share it (a second one
 * gets a fresh array).
 */
final class Scratch {
    /** The largest buffer kept: a copy moves at most this much per step. */
    static final int MAX = 64 * 1024;

    /** The buffer not in use, or null. */
    private final AtomicReference<byte[]> spare = new AtomicReference<>();

    /** A buffer of at least min({@code want}, {@link #MAX}) bytes. */
    byte[] take(int want) {
        int size = Math.min(Math.max(want, 1), MAX);
        byte[] b = spare.getAndSet(null);
        return b != null && b.length >= size ? b : new byte[size];
    }

    /** Gives {@code b} back for the next operation. */
    void give(byte[] b) {
        byte[] kept = spare.get();
        if (kept == null || kept.length < b.length) spare.set(b);
    }
}
