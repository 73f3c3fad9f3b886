package io.threeway.tcp;

import io.threeway.wire.Seq;

/**
 * Where the data segments sent with PSH ended, while unacknowledged: Linux keeps PSH in each skb's tcp_flags
 * (tcp_mark_push, tcp_send_syn_data's "TCPHDR_ACK | TCPHDR_PSH") and tcp_retransmit_skb resends the skb as it
 * went, so a retransmission ending where a pushed segment ended carries PSH again; the engine keeps no
 * per-segment flags, only these ends. Made at a connection's first pushed data segment (a connection that sends
 * nothing never has one); ends at or below SND.UNA are dropped as new ones come, and at most {@link #MAX} are
 * kept (beyond that the oldest is forgotten, and its retransmission goes without PSH).
 */
final class PushMarks {
    /** The most ends kept. */
    static final int MAX = 256;
    /** The ends, oldest first from {@link #head}: the sequence number after each pushed segment's last byte. */
    private int[] ends = new int[8];
    /** Index of the oldest end. */
    private int head;
    /** Ends kept. */
    private int count;

    /** A segment ending at {@code end} went out with PSH; ends at or below {@code una} are forgotten. */
    void add(int end, int una) {
        while (count > 0 && Seq.leq(ends[head], una)) {
            head = (head + 1) % ends.length;
            count--;
        }
        for (int i = 0; i < count; i++) if (ends[(head + i) % ends.length] == end) return;
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

    /** Whether a segment sent with PSH ended at {@code end}. */
    boolean pushedEnd(int end) {
        for (int i = 0; i < count; i++) if (ends[(head + i) % ends.length] == end) return true;
        return false;
    }
}
