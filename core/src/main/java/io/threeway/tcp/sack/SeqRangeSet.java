package io.threeway.tcp.sack;

import io.threeway.wire.Seq;
import java.util.Arrays;

/**
 * A set of sequence-number ranges [start, end): sorted, disjoint and not touching (adjacent ranges merge), in
 * sequence space modulo 2^32, with a hard bound on how many ranges it holds.
 *
 * <p>Memory is bounded by construction: the arrays grow by doubling up to {@code maxRanges} and never
 * beyond, so a peer sending thousands of disjoint SACK blocks costs at most {@code 8 * maxRanges} bytes. When
 * a new range would exceed the bound, the highest range is dropped, as RFC 2018 §8 allows a sender to
 * forget SACK information (it then at worst retransmits data the receiver holds).
 *
 * <p>All ranges must lie within 2^31 of each other, which holds for anything between SND.UNA and SND.MAX.
 * Adding and trimming allocate nothing once the arrays have grown.
 */
public final class SeqRangeSet implements SackBlockBuilder.Ranges {
    /** The arrays' first length. */
    private static final int INITIAL = 8;
    /** The most ranges kept (beyond it the highest is dropped, as RFC 2018 §8 allows). */
    private final int maxRanges;
    /** The ranges' starts, sorted. */
    private int[] starts;
    /** The ranges' ends (exclusive), beside {@link #starts}. */
    private int[] ends;
    /** Ranges held. */
    private int count;

    public SeqRangeSet(int maxRanges) {
        if (maxRanges < 1) throw new IllegalArgumentException("maxRanges " + maxRanges);
        this.maxRanges = maxRanges;
        int initial = Math.min(INITIAL, maxRanges);
        starts = new int[initial];
        ends = new int[initial];
    }

    @Override public int count() { return count; }
    @Override public int start(int i) { return starts[i]; }
    @Override public int end(int i) { return ends[i]; }
    public boolean isEmpty() { return count == 0; }
    public int maxRanges() { return maxRanges; }
    /** The ints of storage held: for memory-bound checks. */
    public int capacity() { return starts.length; }

    public void clear() { count = 0; }

    /** The index of the first range whose end is after {@code seq} (so it contains seq or lies above it). */
    public int firstEndingAfter(int seq) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Seq.leq(ends[mid], seq)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** The index of the range containing {@code seq}, or -1. */
    public int indexOf(int seq) {
        int i = firstEndingAfter(seq);
        return i < count && Seq.leq(starts[i], seq) ? i : -1;
    }

    public boolean contains(int seq) {
        return indexOf(seq) >= 0;
    }

    /** Whether [start, end) lies wholly inside one range. */
    public boolean covers(int start, int end) {
        int i = indexOf(start);
        return i >= 0 && Seq.leq(end, ends[i]);
    }

    /** Bytes held in all ranges. */
    public long bytes() {
        long n = 0;
        for (int i = 0; i < count; i++) n += ends[i] - starts[i];
        return n;
    }

    /**
     * Adds [start, end), merging with what it overlaps or touches.
     *
     * @return how many bytes were not in the set before (0 if it was already covered, or was dropped at the
     *         bound)
     */
    public int add(int start, int end) {
        if (!Seq.lt(start, end)) return 0;
        int first = firstEndingAfter(start - 1);        // first range that overlaps or touches [start, end)
        int last = first;                                // one past the last such range
        int covered = 0;
        while (last < count && Seq.leq(starts[last], end)) {
            covered += Seq.diff(Seq.min(ends[last], end), Seq.max(starts[last], start));
            last++;
        }
        int added = Seq.diff(end, start) - Math.max(covered, 0);
        if (last == first) {
            if (count == maxRanges) {
                // Full: keep the lower ranges, which are what retransmission decisions look at first.
                if (first == count) return 0;            // the new range would itself be the highest
                count--;
            }
            ensureRoom();
            System.arraycopy(starts, first, starts, first + 1, count - first);
            System.arraycopy(ends, first, ends, first + 1, count - first);
            starts[first] = start;
            ends[first] = end;
            count++;
            return added;
        }
        // Merge ranges first..last-1 with [start, end) into slot first.
        starts[first] = Seq.min(starts[first], start);
        ends[first] = Seq.max(ends[last - 1], end);
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(starts, last, starts, first + 1, count - last);
            System.arraycopy(ends, last, ends, first + 1, count - last);
            count -= removed;
        }
        return added;
    }

    /** Forgets everything below {@code seq} (a cumulative acknowledgment). */
    public void removeBelow(int seq) {
        int i = firstEndingAfter(seq);
        if (i > 0) {
            System.arraycopy(starts, i, starts, 0, count - i);
            System.arraycopy(ends, i, ends, 0, count - i);
            count -= i;
        }
        if (count > 0 && Seq.lt(starts[0], seq)) starts[0] = seq;
    }

    private void ensureRoom() {
        if (count < starts.length) return;
        int n = Math.min(maxRanges, starts.length * 2);
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) b.append(", ");
            b.append(Seq.str(starts[i])).append('-').append(Seq.str(ends[i]));
        }
        return b.append(']').toString();
    }
}
