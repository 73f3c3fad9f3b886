package io.threeway.tcp;

import io.threeway.wire.Seq;

/**
 * Marks in the send queue that most connections never need, so they live here, made at the first MSG_EOR or
 * MSG_MORE write ({@link Tcb#marks()}): where MSG_EOR records end (Linux's TCP_SKB_CB(skb)->eor, which
 * tcp_skb_can_collapse_to reads), so no segment carries bytes of two records and no later write is appended to a
 * record; and how far the data is pushed (Linux's pushed_seq after tcp_mark_push), which MSG_MORE writes leave
 * behind. The ends are kept until acknowledged, so a retransmission respects them too. At most {@link #MAX} are
 * kept; beyond that the oldest boundary is forgotten (its records may then share a segment).
 */
final class RecordMarks {
    /** The end of the data pushed so far: a write without MSG_MORE moves it to the end of the queue. */
    int pushSeq;
    /** The most record ends kept. */
    static final int MAX = 1024;
    /** The ends, oldest first from {@link #head}, as sequence numbers (the first byte after each record). */
    private int[] ends = new int[4];
    /** Index of the oldest end. */
    private int head;
    /** Ends kept. */
    private int count;

    /** Marks for a queue whose data up to {@code pushSeq} (all of it so far) is pushed. */
    RecordMarks(int pushSeq) {
        this.pushSeq = pushSeq;
    }

    /** A record ends at {@code end} (its last byte is {@code end - 1}). */
    void add(int end) {
        if (count > 0 && ends[(head + count - 1) % ends.length] == end) return;
        if (count == MAX) {
            head = (head + 1) % ends.length;
            count--;
        }
        if (count == ends.length) {
            int[] bigger = new int[ends.length * 2];
            for (int i = 0; i < count; i++) bigger[i] = ends[(head + i) % ends.length];
            ends = bigger;
            head = 0;
        }
        ends[(head + count) % ends.length] = end;
        count++;
    }

    /** Forgets the ends at or before {@code una} (acknowledged). */
    void acknowledged(int una) {
        while (count > 0 && Seq.leq(ends[head], una)) {
            head = (head + 1) % ends.length;
            count--;
        }
    }

    /** The first record end after {@code seq}, or {@code seq} itself when there is none. */
    int nextEnd(int seq) {
        for (int i = 0; i < count; i++) {
            int e = ends[(head + i) % ends.length];
            if (Seq.gt(e, seq)) return e;
        }
        return seq;
    }
}
