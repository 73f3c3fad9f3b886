package io.threeway.host;

import java.util.ArrayDeque;

/**
 * Packet buffers a link reuses: {@link #take} an array of at least a length (one of the pool's, or a new one
 * the first times), {@link #give} it back once the packet has been delivered. In steady state a link that
 * delivers what it takes allocates nothing. Not thread-safe: one driver uses it, like the stacks it joins.
 */
public final class PacketPool {
    /** The size of the arrays the pool keeps: any IP packet up to the largest MTU it serves. */
    private final int size;
    /** Arrays given back and not taken again. */
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /** The most arrays kept (more are dropped for the collector). */
    private final int keep;

    /** A pool of {@code size}-byte arrays, keeping at most {@code keep} of them. */
    public PacketPool(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    /** An array of at least {@code length} bytes. */
    public byte[] take(int length) {
        if (length > size) return new byte[length];
        byte[] b = free.pollFirst();
        return b != null ? b : new byte[size];
    }

    /** An array taken earlier (or any array): kept for the next {@link #take} if it is one of the pool's size. */
    public void give(byte[] b) {
        if (b.length == size && free.size() < keep) free.addFirst(b);
    }

    /** Arrays kept now. */
    public int kept() {
        return free.size();
    }
}
