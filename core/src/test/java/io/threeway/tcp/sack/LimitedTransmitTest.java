package io.threeway.tcp.sack;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** RFC 3042: one new segment on each of the first two duplicate ACKs, cwnd unchanged. */
class LimitedTransmitTest {
    static final int MSS = 1000;

    @Test
    void twoExtraSegmentsAtMost() {
        assertEquals(4000, LimitedTransmit.window(4000, 0, 3, MSS));
        assertEquals(5000, LimitedTransmit.window(4000, 1, 3, MSS));
        assertEquals(6000, LimitedTransmit.window(4000, 2, 3, MSS));
        assertEquals(4000, LimitedTransmit.window(4000, 3, 3, MSS), "the third duplicate is fast retransmit's");
        assertEquals(6000, LimitedTransmit.window(4000, 2, 5, MSS), "never more than two, whatever DupThresh");
        assertEquals(6000, LimitedTransmit.window(4000, 4, 5, MSS));
    }

    @Test
    void allowsWhileFlightStaysWithinCwndPlusTwo() {
        assertTrue(LimitedTransmit.allows(4000, MSS, 4000, 1, 3, MSS));
        assertFalse(LimitedTransmit.allows(5000, MSS, 4000, 1, 3, MSS));
        assertTrue(LimitedTransmit.allows(5000, MSS, 4000, 2, 3, MSS));
        assertFalse(LimitedTransmit.allows(4000, MSS, 4000, 0, 3, MSS));
    }
}
