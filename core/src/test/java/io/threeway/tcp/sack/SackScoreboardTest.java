package io.threeway.tcp.sack;

import static io.threeway.tcp.sack.SackScoreboard.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 6675's scoreboard: Update, IsLost, SetPipe, NextSeg, and hostile or invalid SACK blocks. */
class SackScoreboardTest {
    static final int MSS = 1000;
    final int[] left = new int[4];
    final int[] right = new int[4];

    /** A scoreboard with ten segments [base, base + 10 MSS) outstanding. */
    SackScoreboard board(int base) {
        SackScoreboard b = new SackScoreboard();
        b.reset(base, base + 10 * MSS, MSS, 3);
        return b;
    }

    int ack(SackScoreboard b, int ack, int... blocks) {
        int n = blocks.length / 2;
        for (int i = 0; i < n; i++) {
            left[i] = blocks[2 * i];
            right[i] = blocks[2 * i + 1];
        }
        return b.update(ack, b.highData(), left, right, n);
    }

    @Test
    void singleLossIsDeclaredOnTheThirdSackedSegment() {
        SackScoreboard b = board(0);
        assertEquals(MSS, ack(b, 0, 1000, 2000));
        assertFalse(b.isLost(0));
        assertEquals(10 * MSS - MSS, b.pipe(), "SACKed data left the network");
        assertEquals(MSS, ack(b, 0, 1000, 3000));
        assertFalse(b.isLost(0), "2 segments, 2000 bytes: not more than (DupThresh - 1) * SMSS");
        assertEquals(MSS, ack(b, 0, 1000, 4000));
        assertTrue(b.isLost(0));
        assertTrue(b.headLost());
        assertFalse(b.isLost(4000));
        // Pipe: the lost hole [0, 1000) counts 0; [4000, 10000) is in flight.
        assertEquals(6 * MSS, b.pipe());
        assertEquals(RETRANSMIT_LOST, b.nextSeg(MSS, true, true));
        assertEquals(0, b.segStart());
        assertEquals(1000, b.segEnd());
        b.retransmitted(0, 1000);
        assertEquals(1000, b.highRxt());
        assertEquals(7 * MSS, b.pipe(), "the retransmission is in flight: SetPipe rule (b)");
        assertEquals(NEW_DATA, b.nextSeg(MSS, true, true), "rule 2 once nothing lost remains");
        assertEquals(10_000, b.segStart());
        assertEquals(NONE, b.nextSeg(MSS, false, false), "rule 3 finds nothing unSACKed below the highest SACK");
    }

    @Test
    void multipleLossesInOneWindowAreRepairedInOrder() {
        SackScoreboard b = board(0);
        // Segments 0, 3 and 6 lost.
        ack(b, 0, 1000, 3000);
        ack(b, 0, 4000, 6000, 1000, 3000);
        ack(b, 0, 7000, 10_000, 4000, 6000, 1000, 3000);
        assertEquals(7000, b.lostBelow());
        assertEquals(0, b.pipe(), "every hole is lost and nothing is retransmitted yet");
        int[] expected = {0, 3000, 6000};
        for (int s : expected) {
            assertEquals(RETRANSMIT_LOST, b.nextSeg(MSS, true, true));
            assertEquals(s, b.segStart());
            assertEquals(s + MSS, b.segEnd());
            b.retransmitted(b.segStart(), b.segEnd());
        }
        assertEquals(3 * MSS, b.pipe());
        assertEquals(NEW_DATA, b.nextSeg(MSS, true, true));
        // The cumulative ACK after the first repair moves HighACK and trims the scoreboard.
        ack(b, 3000, 7000, 10_000, 4000, 6000);
        assertEquals(3000, b.highAck());
        assertEquals(2, b.sackedRanges());
    }

    @Test
    void lossBelowTheThresholdIsRetransmittedOnlyByRule3OrRescue() {
        SackScoreboard b = board(0);
        ack(b, 0, 5000, 6000);
        assertFalse(b.headLost());
        assertEquals(NEW_DATA, b.nextSeg(MSS, true, true), "rule 2 before rule 3");
        assertEquals(RETRANSMIT_UNSACKED, b.nextSeg(MSS, false, true));
        assertEquals(0, b.segStart());
        b.retransmitted(0, 1000);
        assertEquals(RETRANSMIT_UNSACKED, b.nextSeg(MSS, false, true));
        assertEquals(1000, b.segStart());
        b.retransmitted(1000, 5000);
        // Rule 4: the rescue retransmission includes the highest unSACKed octet (9999).
        assertEquals(RESCUE, b.nextSeg(MSS, false, true));
        assertEquals(9000, b.segStart());
        assertEquals(10_000, b.segEnd());
        b.rescueRetransmitted(10_000);
        assertEquals(5000, b.highRxt(), "rule 4 does not move HighRxt");
        assertEquals(NONE, b.nextSeg(MSS, false, true), "one rescue per recovery");
    }

    @Test
    void rescueSkipsSackedTail() {
        SackScoreboard b = board(0);
        ack(b, 0, 2000, 3000, 8000, 10_000);
        b.retransmitted(0, 8000);
        assertEquals(RESCUE, b.nextSeg(MSS, false, true));
        assertEquals(7000, b.segStart());
        assertEquals(8000, b.segEnd());
    }

    @Test
    void smallSegmentsCountAsSegments() {
        SackScoreboard b = board(0);
        // Three 100-byte segments SACKed: 300 bytes is below 2 * SMSS, but DupThresh discontiguous SACKed
        // sequences have arrived.
        ack(b, 0, 1000, 1100, 2000, 2100, 3000, 3100);
        assertTrue(b.isLost(0));
        assertFalse(b.isLost(1100), "only two SACKed sequences above");
    }

    @Test
    void dsackIsCountedAndNotRecorded() {
        SackScoreboard b = board(0);
        ack(b, 4000);
        // RFC 2883 §4.1.1: duplicate below the cumulative ACK.
        assertEquals(0, ack(b, 4000, 3000, 3500));
        assertTrue(b.lastWasDsack());
        assertEquals(1, b.dsacksReceived());
        assertEquals(0, b.sackedRanges());
        // §4.1.2-like: a duplicate inside a larger out-of-order block is reported first, then the block.
        assertEquals(MSS, ack(b, 4000, 6000, 6500, 6000, 7000));
        assertTrue(b.lastWasDsack());
        assertEquals(2, b.dsacksReceived());
        assertEquals(1, b.sackedRanges());
        assertEquals(0, b.blocksDiscarded());
        ack(b, 4000, 8000, 9000);
        assertFalse(b.lastWasDsack());
    }

    @Test
    void invalidBlocksAreDiscarded() {
        SackScoreboard b = board(0);
        ack(b, 2000);
        assertEquals(0, ack(b, 2000, 9000, 11_000), "beyond SND.MAX");
        assertEquals(1, b.lastDiscarded());
        assertEquals(0, ack(b, 2000, 5000, 4000), "inverted");
        assertEquals(0, ack(b, 2000, 5000, 5000), "empty");
        assertEquals(3, b.blocksDiscarded());
        // A second block below SND.UNA is old news (ACKs can be reordered): ignored, not counted.
        assertEquals(MSS, ack(b, 2000, 5000, 6000, 1000, 2000));
        assertEquals(3, b.blocksDiscarded());
        assertEquals(MSS, ack(b, 2000, 7000, 8000, 1500, 2500), "only the first block counts");
        assertEquals(4, b.blocksDiscarded(), "a block straddling SND.UNA is inconsistent: discarded");
        assertEquals(2, b.sackedRanges());
    }

    @Test
    void renegingIsNoticedAndSackedDataIsNeverTrusted() {
        SackScoreboard b = board(0);
        ack(b, 0, 1000, 2000);
        ack(b, 1000);
        assertTrue(b.renegingSuspected(), "RFC 2018 §8: the receiver dropped data it had SACKed");
        b.clearSacks();
        assertEquals(9 * MSS, b.pipe());
        assertEquals(0, b.sackedRanges());
    }

    @Test
    void hostilePeerCannotGrowMemory() {
        SackScoreboard b = new SackScoreboard(256);
        int base = 0x7fff_0000;
        b.reset(base, base + 50_000_000, MSS, 3);
        SplittableRandom r = new SplittableRandom(2024);
        for (int i = 0; i < 20_000; i++) {
            for (int k = 0; k < 4; k++) {
                int at = base + 2 * r.nextInt(25_000_000);
                left[k] = at;
                right[k] = at + 1;
            }
            b.update(base, base + 50_000_000, left, right, 4);
            assertTrue(b.sackedRanges() <= 256);
        }
        assertEquals(256, b.sackedRanges());
        assertTrue(b.memoryInts() <= 512);
        assertTrue(b.pipe() > 0);
        assertEquals(RETRANSMIT_LOST, b.nextSeg(MSS, false, true));
    }

    @Test
    void worksAcrossSequenceWrap() {
        int base = -4000;
        SackScoreboard b = board(base);
        ack(b, base, base + 1000, base + 4000);
        assertTrue(b.headLost());
        assertEquals(RETRANSMIT_LOST, b.nextSeg(MSS, false, true));
        assertEquals(base, b.segStart());
        assertEquals(6 * MSS, b.pipe());
    }

    @Test
    void pipeMatchesAnOctetByOctetCount() {
        SplittableRandom r = new SplittableRandom(99);
        for (int round = 0; round < 200; round++) {
            SackScoreboard b = new SackScoreboard();
            int base = r.nextInt();
            int size = 20 * MSS;
            b.reset(base, base + size, MSS, 3);
            for (int k = 0; k < 6; k++) {
                int at = r.nextInt(size - 1);
                int len = 1 + r.nextInt(Math.min(2 * MSS, size - at));
                left[0] = base + at;
                right[0] = base + at + len;
                b.update(base, base + size, left, right, 1);
            }
            b.retransmitted(base, base + r.nextInt(size));
            long expected = 0;
            for (int o = 0; o < size; o++) {
                int s = base + o;
                if (b.isSacked(s)) continue;
                if (!b.isLost(s)) expected++;
                if (io.threeway.wire.Seq.lt(s, b.highRxt())) expected++;
            }
            assertEquals(expected, b.pipe(), "round " + round + ": " + b);
        }
    }
}
