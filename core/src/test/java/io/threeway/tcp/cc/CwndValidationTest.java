package io.threeway.tcp.cc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Linux's tcp_is_cwnd_limited: growth only on ACKs for windows the congestion window held back. */
class CwndValidationTest {
    static final int MSS = 1000;

    @Test
    void applicationLimitedInCongestionAvoidanceDoesNotGrow() {
        CwndValidation v = new CwndValidation();
        v.reset(0);
        v.onTransmitRound(5 * MSS, false, 0, 5 * MSS);
        assertFalse(v.isCwndLimited(20 * MSS, 10 * MSS));
        v.onTransmitRound(20 * MSS, true, 0, 20 * MSS);
        assertTrue(v.isCwndLimited(20 * MSS, 10 * MSS));
    }

    @Test
    void slowStartMayGrowToTwiceWhatWasInFlight() {
        CwndValidation v = new CwndValidation();
        v.reset(0);
        v.onTransmitRound(6 * MSS, false, 0, 6 * MSS);
        assertTrue(v.isCwndLimited(10 * MSS, Integer.MAX_VALUE), "10 < 2 * 6");
        assertFalse(v.isCwndLimited(12 * MSS, Integer.MAX_VALUE));
    }

    @Test
    void theVerdictLastsOneWindow() {
        CwndValidation v = new CwndValidation();
        v.reset(0);
        v.onTransmitRound(10 * MSS, true, 0, 10 * MSS);
        // Later rounds within the same window that were not cwnd-limited do not clear it ...
        v.onTransmitRound(4 * MSS, false, 6 * MSS, 10 * MSS);
        assertTrue(v.isCwndLimited(10 * MSS, 5 * MSS));
        // ... until SND.UNA passes the SND.NXT of the round that set it.
        v.onTransmitRound(2 * MSS, false, 10 * MSS, 12 * MSS);
        assertFalse(v.isCwndLimited(10 * MSS, 5 * MSS));
    }

    @Test
    void worksAcrossSequenceWrap() {
        CwndValidation v = new CwndValidation();
        int base = -5 * MSS; // 2^32 - 5000
        v.reset(base);
        v.onTransmitRound(10 * MSS, true, base, base + 10 * MSS);
        v.onTransmitRound(1 * MSS, false, base + 9 * MSS, base + 10 * MSS);
        assertTrue(v.isCwndLimited(10 * MSS, 0));
    }
}
