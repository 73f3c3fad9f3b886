package io.threeway.tcp.sack;

import io.threeway.wire.Seq;

/**
 * The data receiver's choice of SACK blocks for each ACK (RFC 2018 §4) with D-SACK (RFC 2883 §4).
 *
 * <p>RFC 2018 §4: "The first SACK block ... MUST specify the contiguous block of data containing the segment
 * which triggered this ACK, unless that segment advanced the Acknowledgment Number field in the header" and
 * "The SACK option SHOULD be filled out by repeating the most recently reported SACK blocks (based on first
 * SACK blocks in previous SACK options) that are not subsets of a SACK block already included". Blocks always
 * describe the receiver's queue as it is now, so a remembered block is reported as the range that now
 * contains it, or not at all once RCV.NXT has passed it.
 *
 * <p>The builder remembers one sequence number inside each recently arrived out-of-order segment, most
 * recent first, so merges need no bookkeeping. Slots left after the remembered blocks are filled with the
 * other out-of-order ranges, lowest first (the holes nearest RCV.NXT matter most to the sender); Linux
 * likewise reports every range it can fit.
 *
 * <p>RFC 2883 §4: "If the data receiver has received a duplicate segment, the first SACK block ... SHOULD
 * specify the contiguous sequence of octets in the duplicate" and "If the D-SACK block reports a duplicate
 * contiguous sequence from a (possibly larger) block of data in the receiver's data queue above the
 * cumulative acknowledgement, then the second SACK block in that SACK option should specify that (possibly
 * larger) block of data." Each duplicate is reported once.
 */
public final class SackBlockBuilder {

    /** The receiver's out-of-order ranges, absolute sequence numbers, sorted, [start(i), end(i)). */
    public interface Ranges {
        int count();
        int start(int i);
        int end(int i);
    }

    /** One sequence number inside each recently arrived out-of-order segment, most recent first (RFC 2018 §4). */
    private final int[] recent;
    /** Entries of {@link #recent} in use. */
    private int recentCount;
    /** A duplicate arrived: the next ACK carries a D-SACK block first (RFC 2883). */
    private boolean dsackPending;
    /** The D-SACK block's start. */
    private int dsackStart;
    /** The D-SACK block's end. */
    private int dsackEnd;
    /** Scratch for the blocks already chosen in one build, by range index; sized to the option's maximum. */
    private final int[] chosen = new int[8];

    /** @param history how many recently arrived out-of-order segments to remember (at least the blocks per option) */
    public SackBlockBuilder(int history) {
        recent = new int[Math.max(history, 1)];
    }

    public SackBlockBuilder() {
        this(8);
    }

    /** An out-of-order segment starting at {@code seq} was stored: it becomes the first block to report. */
    public void outOfOrderArrived(int seq) {
        int n = Math.min(recentCount, recent.length - 1);
        System.arraycopy(recent, 0, recent, 1, n);
        recent[0] = seq;
        recentCount = n + 1;
    }

    /** A duplicate of [start, end) arrived (below RCV.NXT or inside an out-of-order range): report it once. */
    public void duplicateArrived(int start, int end) {
        if (!Seq.lt(start, end)) return;
        dsackPending = true;
        dsackStart = start;
        dsackEnd = end;
    }

    public boolean dsackPending() { return dsackPending; }

    public void clear() {
        recentCount = 0;
        dsackPending = false;
    }

    /**
     * Fills {@code left}/{@code right} with up to {@code maxBlocks} blocks for the next ACK and returns how
     * many. A pending D-SACK is consumed (reported in this ACK only).
     *
     * @param rcvNxt    RCV.NXT
     * @param ranges    the out-of-order ranges now held
     * @param maxBlocks how many fit (4, or 3 beside timestamps)
     * @param dsackOn   whether tcp_dsack allows D-SACK blocks
     */
    public int build(int rcvNxt, Ranges ranges, int maxBlocks, boolean dsackOn, int[] left, int[] right) {
        int max = Math.min(Math.min(maxBlocks, left.length), Math.min(right.length, chosen.length));
        int n = 0;
        int chosenCount = 0;
        if (dsackPending && dsackOn && max > 0) {
            left[n] = dsackStart;
            right[n] = dsackEnd;
            n++;
            int holding = find(ranges, dsackStart);
            if (holding >= 0 && Seq.geq(dsackStart, rcvNxt) && n < max) {
                left[n] = ranges.start(holding);
                right[n] = ranges.end(holding);
                n++;
                chosen[chosenCount++] = holding;
            }
        }
        dsackPending = false;
        // The most recent out-of-order arrivals, newest first, as the ranges that now hold them.
        int kept = 0;
        for (int h = 0; h < recentCount; h++) {
            int i = find(ranges, recent[h]);
            if (i < 0 || Seq.lt(recent[h], rcvNxt)) continue;  // delivered, or no longer held: forget it
            recent[kept++] = recent[h];
            if (n < max && !contains(chosen, chosenCount, i)) {
                left[n] = ranges.start(i);
                right[n] = ranges.end(i);
                n++;
                chosen[chosenCount++] = i;
            }
        }
        recentCount = kept;
        // Whatever room is left: the other ranges, lowest first.
        for (int i = 0; i < ranges.count() && n < max; i++) {
            if (contains(chosen, chosenCount, i)) continue;
            left[n] = ranges.start(i);
            right[n] = ranges.end(i);
            n++;
            chosen[chosenCount++] = i;
        }
        return n;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    /** The index of the range holding {@code seq}, or -1 (ranges are few: a linear scan). */
    private static int find(Ranges ranges, int seq) {
        for (int i = 0; i < ranges.count(); i++) {
            if (Seq.inRange(seq, ranges.start(i), ranges.end(i))) return i;
        }
        return -1;
    }
}
