package io.threeway.tcp.sack;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeqRangeSetTest {
    @Test
    void addsMergesAndCountsNewBytes() {
        SeqRangeSet s = new SeqRangeSet(16);
        assertEquals(100, s.add(100, 200));
        assertEquals(100, s.add(300, 400));
        assertEquals(0, s.add(120, 180), "already covered");
        assertEquals(100, s.add(200, 300), "fills the gap between two ranges exactly");
        assertEquals(1, s.count());
        assertEquals(100, s.start(0));
        assertEquals(400, s.end(0));
        assertEquals(150, s.add(50, 500), "only the uncovered ends count");
        assertEquals("[50-500]", s.toString());
        assertEquals(0, s.add(10, 10));
        assertEquals(0, s.add(20, 10));
    }

    @Test
    void removeBelowTrims() {
        SeqRangeSet s = new SeqRangeSet(16);
        s.add(100, 200);
        s.add(300, 400);
        s.removeBelow(150);
        assertEquals("[150-200, 300-400]", s.toString());
        s.removeBelow(350);
        assertEquals("[350-400]", s.toString());
        s.removeBelow(400);
        assertTrue(s.isEmpty());
    }

    @Test
    void sequenceWrap() {
        SeqRangeSet s = new SeqRangeSet(16);
        int top = -1000; // 2^32 - 1000
        s.add(top, top + 500);
        s.add(top + 800, 300); // wraps past zero
        s.add(top + 500, top + 800);
        assertEquals(1, s.count());
        assertEquals(top, s.start(0));
        assertEquals(300, s.end(0));
        assertTrue(s.contains(0));
        assertTrue(s.covers(-10, 100));
    }

    @Test
    void boundedUnderHostileBlocksDroppingTheHighest() {
        SeqRangeSet s = new SeqRangeSet(64);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            int at = r.nextInt(10_000_000) * 2;      // even starts, one byte: always disjoint
            s.add(at, at + 1);
            assertTrue(s.count() <= 64);
        }
        assertEquals(64, s.count());
        assertEquals(64, s.capacity(), "storage stops at the bound");
        for (int i = 1; i < s.count(); i++) assertTrue(s.start(i) > s.end(i - 1), "sorted and disjoint");
        // The lowest ranges survive: every range below the kept maximum that was ever added is kept.
        SeqRangeSet t = new SeqRangeSet(4);
        t.add(100, 101);
        t.add(300, 301);
        t.add(500, 501);
        t.add(700, 701);
        assertEquals(0, t.add(900, 901), "a new highest range is the one dropped");
        assertEquals(1, t.add(200, 201));
        assertEquals("[100-101, 200-201, 300-301, 500-501]", t.toString());
    }
}
