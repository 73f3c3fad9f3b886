package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MSG_EOR's record ends (Linux's TCP_SKB_CB(skb)->eor, tcp_skb_can_collapse_to), modulo 2^32. */
class RecordMarksTest {
    @Test
    void aSegmentStopsAtTheNextRecordEndUntilItIsAcknowledged() {
        RecordMarks m = new RecordMarks(0);
        int base = 0xFFFF_FF00; // across the wrap of the sequence space
        m.add(base + 400);
        m.add(base + 800);
        assertEquals(base + 400, m.nextEnd(base));
        assertEquals(base + 800, m.nextEnd(base + 400), "the next record, from its first byte");
        assertEquals(base + 900, m.nextEnd(base + 900), "none after the last: the sequence number itself");
        m.acknowledged(base + 400);
        assertEquals(base + 800, m.nextEnd(base), "an acknowledged end is forgotten");
    }

    @Test
    void atMostMaxEndsAreKeptTheOldestGoFirst() {
        RecordMarks m = new RecordMarks(0);
        for (int i = 1; i <= RecordMarks.MAX + 10; i++) m.add(i * 10);
        assertEquals(110, m.nextEnd(0), "the ten oldest ends were forgotten; the records they closed may share a segment");
    }
}
