package io.threeway.tcp;

/**
 * The bytes the application has written and the peer has not yet acknowledged, in a ring over one array
 * that grows lazily (an idle connection holds a small array, a busy one grows to its limit).
 *
 * <p>Offset 0 is the first unacknowledged data byte (SND.UNA, once the SYN is acknowledged). The engine
 * maps sequence numbers to offsets; this class knows nothing of sequence space.
 *
 * <p>The array is charged to the stack's {@link TcpMemory}: above tcp_mem[2] it grows only while empty (the
 * first skb is forced, sk_forced_mem_schedule), so writers wait; under memory pressure the limit stops
 * expanding (tcp_should_expand_sndbuf) and a drained array is given back (sk_mem_reclaim).
 */
final class SendBuffer {
    /** The ring's first size once data is written. */
    private static final int INITIAL = 4096;
    /** No bytes: shared by every buffer that holds none. */
    private static final byte[] NO_BYTES = new byte[0];
    /** The ring: a power-of-two array, grown by doubling up to what {@link #limit} needs. */
    private byte[] ring = NO_BYTES;
    /** The ring's index of offset 0 (SND.UNA). */
    private int head;
    /** Bytes held. */
    private int size;
    /** The most bytes written and not yet acknowledged that the buffer holds (SO_SNDBUF). */
    private int limit;
    /** The stack's account this array is charged to. */
    private final TcpMemory memory;

    SendBuffer(int limit, TcpMemory memory) {
        this.limit = limit;
        this.memory = memory;
    }

    /** Bytes held (sent and unacknowledged, plus not yet sent). */
    int size() { return size; }

    int limit() { return limit; }

    /** Sets the limit; a raise is ignored under memory pressure (Linux's tcp_should_expand_sndbuf). */
    void setLimit(int limit) {
        if (limit > this.limit && memory.underPressure()) return;
        this.limit = Math.max(limit, 1);
    }

    /** Free space the application may still write into: up to the limit, or only the array's room when the account refuses more. */
    int free() {
        int room = limit - size;
        if (size + room > ring.length && !memory.mayRaiseSend(size, ring.length)) room = Math.min(room, ring.length - size);
        return Math.max(0, room);
    }

    /** Appends up to {@code len} bytes, as many as fit under the limit; returns the number taken. */
    int write(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        if (n <= 0) return 0;
        ensureCapacity(size + n);
        int tail = (head + size) & (ring.length - 1);
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        if (n > first) System.arraycopy(src, off + first, ring, 0, n - first);
        size += n;
        return n;
    }

    /** Drops {@code n} acknowledged bytes from the front. */
    void consume(int n) {
        if (n <= 0) return;
        n = Math.min(n, size);
        head = (head + n) & (ring.length - 1);
        size -= n;
        if (size == 0) {
            head = 0;
            if (ring.length > INITIAL && memory.underPressure()) release(); // sk_mem_reclaim under pressure
        }
    }

    /** Copies {@code len} bytes from {@code offset} into {@code dst}. */
    void copy(int offset, byte[] dst, int dstOff, int len) {
        int start = (head + offset) & (ring.length - 1);
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, dst, dstOff, first);
        if (len > first) System.arraycopy(ring, 0, dst, dstOff + first, len - first);
    }

    /** True when {@code [offset, offset+len)} is contiguous in the ring, so {@link #array()} can be viewed directly. */
    boolean contiguous(int offset, int len) {
        int start = (head + offset) & (ring.length - 1);
        return start + len <= ring.length;
    }

    /** The index in {@link #array()} of the byte at {@code offset}. */
    int index(int offset) {
        return (head + offset) & (ring.length - 1);
    }

    byte[] array() { return ring; }

    /** Releases the array (the connection is done with data). */
    void release() {
        memory.charge(-ring.length);
        ring = NO_BYTES;
        head = size = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed <= ring.length) return;
        int cap = Math.max(INITIAL, ring.length);
        while (cap < needed) cap <<= 1;
        byte[] n = new byte[cap];
        if (size > 0) copy(0, n, 0, size);
        memory.charge(cap - ring.length);
        ring = n;
        head = 0;
    }
}
