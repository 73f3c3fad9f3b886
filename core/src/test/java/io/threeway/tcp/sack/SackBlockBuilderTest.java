package io.threeway.tcp.sack;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiver's SACK blocks: RFC 2018 §3's example of ordering, RFC 2883's D-SACK examples. */
class SackBlockBuilderTest {
    final SeqRangeSet ooo = new SeqRangeSet(64);
    final SackBlockBuilder builder = new SackBlockBuilder();
    int rcvNxt;
    final int[] left = new int[4];
    final int[] right = new int[4];

    /** A segment [seq, seq + len) arrives; returns "ACK; blocks" as the RFCs' tables write it. */
    String arrive(int seq, int len, int maxBlocks) {
        int end = seq + len;
        if (end <= rcvNxt) {
            builder.duplicateArrived(seq, end);
        } else if (seq > rcvNxt) {
            if (ooo.covers(seq, end)) builder.duplicateArrived(seq, end);
            else builder.outOfOrderArrived(seq);
            ooo.add(seq, end);
        } else {
            rcvNxt = end;
            while (ooo.count() > 0 && ooo.start(0) <= rcvNxt) {
                rcvNxt = Math.max(rcvNxt, ooo.end(0));
                ooo.removeBelow(rcvNxt);
            }
        }
        int n = builder.build(rcvNxt, ooo, maxBlocks, true, left, right);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(left[i] + "-" + right[i]);
        return rcvNxt + (n == 0 ? "" : " " + String.join(" ", parts));
    }

    /**
     * RFC 2018 §3, case 3: "The 2nd, 4th, 6th, and 8th (last) segments are dropped", 500-byte segments from 5000.
     */
    @Test
    void rfc2018Case3() {
        rcvNxt = 5000;
        assertEquals("5500", arrive(5000, 500, 3));
        assertEquals("5500 6000-6500", arrive(6000, 500, 3));
        assertEquals("5500 7000-7500 6000-6500", arrive(7000, 500, 3));
        assertEquals("5500 8000-8500 7000-7500 6000-6500", arrive(8000, 500, 3));
        // "Suppose the 4th packet is received out of order." The block holding it comes first; 8000-8500, the
        // most recently reported other block, follows.
        assertEquals("5500 6000-7500 8000-8500", arrive(6500, 500, 3));
        // "Suppose at this point, the 2nd segment is received": the ACK advances; the remaining block.
        assertEquals("7500 8000-8500", arrive(5500, 500, 3));
    }

    /** RFC 2883 §4.1.1: "Reporting a duplicate segment" below the cumulative ACK. */
    @Test
    void rfc2883DuplicateBelowTheAck() {
        rcvNxt = 3000;
        assertEquals("3500", arrive(3000, 500, 4));
        assertEquals("4000", arrive(3500, 500, 4));
        assertEquals("4000 3000-3500", arrive(3000, 500, 4));
        assertEquals(0, builder.build(rcvNxt, ooo, 4, true, left, right), "reported once");
    }

    /** RFC 2883 §4.1.2: "Reporting an out-of-order segment and a duplicate segment". */
    @Test
    void rfc2883DuplicateWithOutOfOrderData() {
        rcvNxt = 3000;
        arrive(3000, 500, 4);
        arrive(3500, 500, 4);
        assertEquals("4000 4500-5000", arrive(4500, 500, 4));
        assertEquals("4000 3000-3500 4500-5000", arrive(3000, 500, 4));
        int n = builder.build(rcvNxt, ooo, 4, true, left, right);
        assertEquals(1, n, "the D-SACK is sent once");
    }

    /** RFC 2883 §4.1.3-like: a duplicate of out-of-order data; the second block is the block holding it. */
    @Test
    void duplicateOfOutOfOrderData() {
        rcvNxt = 1000;
        arrive(2000, 500, 4);
        arrive(2500, 500, 4);
        arrive(4000, 500, 4);
        assertEquals("1000 2000-2500 2000-3000 4000-4500", arrive(2000, 500, 4));
        assertFalse(builder.dsackPending());
    }

    @Test
    void noDsackWhenDisabled() {
        rcvNxt = 1000;
        arrive(2000, 500, 4);
        builder.duplicateArrived(500, 1000);
        int n = builder.build(rcvNxt, ooo, 4, false, left, right);
        assertEquals(1, n);
        assertEquals(2000, left[0]);
    }

    @Test
    void fillsWithUnreportedRangesLowestFirst() {
        rcvNxt = 0;
        SackBlockBuilder fresh = new SackBlockBuilder(2);
        ooo.add(100, 200);
        ooo.add(300, 400);
        ooo.add(500, 600);
        ooo.add(700, 800);
        ooo.add(900, 1000);
        fresh.outOfOrderArrived(700);
        int n = fresh.build(rcvNxt, ooo, 3, true, left, right);
        assertEquals(3, n);
        assertArrayEquals(new int[] {700, 100, 300}, new int[] {left[0], left[1], left[2]});
    }
}
