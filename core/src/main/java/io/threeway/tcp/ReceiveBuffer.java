package io.threeway.tcp;

import java.util.Arrays;

/**
 * Received data not yet read by the application, in a ring over one lazily grown array, with out-of-order
 * data written straight into its place in the same ring (RFC 9293 §3.10.7.4, seventh step: "segment
 * text"). Out-of-order data is tracked as ranges, not as queued segments, so reassembly copies each byte once.
 *
 * <p>{@code readable} bytes at the front are in order (they end at RCV.NXT). Beyond them, the out-of-order
 * ranges are disjoint, sorted [start, end) offsets relative to RCV.NXT, received ahead of a hole.
 *
 * <p>The array is charged to the stack's {@link TcpMemory}; {@link #roomFor} says whether data may make it grow
 * (Linux's tcp_try_rmem_schedule), and under memory pressure a drained array is given back (sk_mem_reclaim). The
 * account is passed to each call rather than kept, so an idle connection does not carry the reference.
 */
final class ReceiveBuffer {
    /** The ring's first size once data arrives. */
    private static final int INITIAL = 4096;
    /** No bytes: shared by every buffer that holds none. */
    private static final byte[] NO_BYTES = new byte[0];
    /** No ranges: shared until the first out-of-order segment. */
    private static final int[] NO_RANGES = new int[0];
    /** The first range arrays' length. */
    private static final int INITIAL_RANGES = 8;
    /** The ring: a power-of-two array, grown lazily up to {@link #capacity}. */
    private byte[] ring = NO_BYTES;
    /** The ring's index of the first unread byte. */
    private int head;
    /** In-order bytes not yet read (they end at RCV.NXT). */
    private int readable;
    /** The most bytes the buffer may hold (SO_RCVBUF's share for data, tcp_win_from_space). */
    private int capacity;
    /** Out-of-order ranges as offsets from RCV.NXT: starts[i] < ends[i] < starts[i+1]. */
    private int[] starts = NO_RANGES;
    /** The ranges' ends, beside {@link #starts}. */
    private int[] ends = NO_RANGES;
    /** Out-of-order ranges held. */
    private int rangeCount;
    ReceiveBuffer(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Whether {@code len} bytes at {@code offset} past the in-order data may be stored: they fit in the array, or
     * the account lets the buffer grow (TcpMemory's fair share and hard limit), or they are in order into an empty
     * buffer (Linux forces that one: tcp_data_queue's sk_forced_mem_schedule when the receive queue is empty).
     */
    boolean roomFor(TcpMemory memory, int offset, int len) {
        if (readable + offset + len <= ring.length || memory.mayRaiseReceive(readable + offset, ring.length)) return true;
        return offset == 0 && readable == 0 && rangeCount == 0;
    }

    int readable() { return readable; }
    int arrayLength() { return ring.length; }
    int capacity() { return capacity; }
    void setCapacity(int c) { capacity = Math.max(c, readable); }
    int rangeCount() { return rangeCount; }
    int rangeStart(int i) { return starts[i]; }
    int rangeEnd(int i) { return ends[i]; }

    /** Bytes held out of order. */
    int outOfOrderBytes() {
        int n = 0;
        for (int i = 0; i < rangeCount; i++) n += ends[i] - starts[i];
        return n;
    }

    /** Space from the end of in-order data to the capacity: what the window may offer. */
    int free() {
        return Math.max(0, capacity - readable);
    }

    /**
     * Stores {@code len} bytes that belong at {@code offset} past the end of in-order data ({@code offset} 0
     * means exactly in order). Returns how many bytes became readable in order (0 for a segment that only
     * filled out-of-order space).
     *
     * <p>The caller has already trimmed the segment to the window it offered, and everything inside that
     * window is stored, even past the capacity: with window scaling the offered window is rounded up to the
     * scale's granularity and never shrinks (Linux's tcp_select_window), so its right edge may creep past
     * the capacity by up to a granule per ACK while the application does not read. Linux absorbs that in
     * the part of the receive buffer it keeps beyond the window (tcp_adv_win_scale); dropping the data would
     * make the sender retransmit what it was allowed to send.
     */
    int store(TcpMemory memory, int offset, byte[] src, int srcOff, int len) {
        if (len <= 0) return 0;
        ensureCapacity(memory, readable + offset + len);
        int mask = ring.length - 1;
        int start = (head + readable + offset) & mask;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(src, srcOff, ring, start, first);
        if (len > first) System.arraycopy(src, srcOff + first, ring, 0, len - first);
        addRange(offset, offset + len);
        // Absorb the range that now starts at 0 (if any) into readable data.
        if (rangeCount > 0 && starts[0] == 0) {
            int advance = ends[0];
            removeFirstRange();
            for (int i = 0; i < rangeCount; i++) {
                starts[i] -= advance;
                ends[i] -= advance;
            }
            readable += advance;
            return advance;
        }
        return 0;
    }

    /** Copies up to {@code len} readable bytes to {@code dst} and consumes them; returns the count. */
    int read(TcpMemory memory, byte[] dst, int off, int len) {
        int n = Math.min(len, readable);
        if (n <= 0) return 0;
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, off, first);
        if (n > first) System.arraycopy(ring, 0, dst, off + first, n - first);
        head = (head + n) & (ring.length - 1);
        readable -= n;
        if (readable == 0 && rangeCount == 0) {
            head = 0;
            if (ring.length > INITIAL && memory.underPressure()) release(memory); // sk_mem_reclaim under pressure
        }
        return n;
    }

    /** Drops everything (on abort). */
    void release(TcpMemory memory) {
        memory.charge(-ring.length);
        ring = NO_BYTES;
        head = readable = rangeCount = 0;
    }

    private void addRange(int s, int e) {
        // Merge [s, e) into the sorted, disjoint list.
        int i = 0;
        while (i < rangeCount && ends[i] < s) i++;
        int j = i;
        while (j < rangeCount && starts[j] <= e) {
            s = Math.min(s, starts[j]);
            e = Math.max(e, ends[j]);
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            if (rangeCount == starts.length) {
                starts = Arrays.copyOf(starts, Math.max(INITIAL_RANGES, rangeCount * 2));
                ends = Arrays.copyOf(ends, Math.max(INITIAL_RANGES, rangeCount * 2));
            }
            System.arraycopy(starts, i, starts, i + 1, rangeCount - i);
            System.arraycopy(ends, i, ends, i + 1, rangeCount - i);
            rangeCount++;
        } else if (removed > 1) {
            System.arraycopy(starts, j, starts, i + 1, rangeCount - j);
            System.arraycopy(ends, j, ends, i + 1, rangeCount - j);
            rangeCount -= removed - 1;
        }
        starts[i] = s;
        ends[i] = e;
    }

    private void removeFirstRange() {
        System.arraycopy(starts, 1, starts, 0, rangeCount - 1);
        System.arraycopy(ends, 1, ends, 0, rangeCount - 1);
        rangeCount--;
    }

    private void ensureCapacity(TcpMemory memory, int needed) {
        if (needed <= ring.length) return;
        int cap = Math.max(INITIAL, ring.length);
        while (cap < needed) cap <<= 1;
        byte[] n = new byte[cap];
        // Copy everything from head up to the furthest byte we may hold (readable plus out-of-order span).
        int span = readable + (rangeCount > 0 ? ends[rangeCount - 1] : 0);
        if (ring.length > 0 && span > 0) {
            int first = Math.min(span, ring.length - head);
            System.arraycopy(ring, head, n, 0, first);
            if (span > first) System.arraycopy(ring, 0, n, first, span - first);
        }
        memory.charge(cap - ring.length);
        ring = n;
        head = 0;
    }
}
