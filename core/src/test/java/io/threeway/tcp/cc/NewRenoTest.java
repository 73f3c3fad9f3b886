package io.threeway.tcp.cc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** NewReno's arithmetic (RFC 5681, RFC 3465), grown only while cwnd-limited, and never past MAX_CWND. */
class NewRenoTest {
    static final int MSS = 1460;

    @Test
    void initialWindowIsTenSegments() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        assertEquals(10 * MSS, r.cwnd());
        assertEquals(Integer.MAX_VALUE, r.ssthresh());
    }

    @Test
    void growsOnlyWhenCwndLimited() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        for (int i = 0; i < 10_000; i++) r.onAck(MSS, MSS, false, -1, i);
        assertEquals(10 * MSS, r.cwnd(), "an application-limited sender's ACKs do not grow the window");
        r.onAck(MSS, MSS, true, -1, 0);
        assertEquals(11 * MSS, r.cwnd());
    }

    /**
     * Linux's tcp_slow_start: "cwnd = min(cwnd + acked, ssthresh)", every segment a stretch ACK delivered counted
     * (no RFC 3465 limit L since Linux 3.8), and never past ssthresh, where the rest goes to congestion avoidance.
     */
    @Test
    void slowStartCountsEverySegmentAnAckDeliveredUpToSsthresh() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.onAck(10 * MSS, MSS, true, -1, 0);
        assertEquals(20 * MSS, r.cwnd(), "ten segments acknowledged at once: ten more");
        r.setCwnd(20 * MSS);
        r.onLossDetected(48 * MSS, MSS, 0); // ssthresh 24 segments
        r.setCwnd(20 * MSS);
        r.onAck(50 * MSS, MSS, true, -1, 0);
        assertEquals(25 * MSS, r.cwnd(), "slow start stops at ssthresh; the other 46 segments cover one window of avoidance");
    }

    @Test
    void congestionAvoidanceAddsOneSegmentPerWindow() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.setCwnd(20 * MSS);
        r.onLossDetected(20 * MSS, MSS, 0);
        assertEquals(10 * MSS, r.ssthresh());
        assertEquals(10 * MSS, r.cwnd(), "cwnd = ssthresh; the engine adds RFC 5681's 3*SMSS for Reno recovery");
        for (int i = 0; i < 9; i++) r.onAck(MSS, MSS, true, -1, 0);
        assertEquals(10 * MSS, r.cwnd());
        r.onAck(MSS, MSS, true, -1, 0);
        assertEquals(11 * MSS, r.cwnd());
        r.onAck(25 * MSS, MSS, true, -1, 0);
        assertEquals(13 * MSS, r.cwnd(), "a stretch ACK of two windows earns two segments");
    }

    @Test
    void slowStartLeftoverGoesToCongestionAvoidance() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.setCwnd(11 * MSS);
        r.onLossDetected(24 * MSS, MSS, 0); // ssthresh 12 MSS, cwnd 12 MSS
        r.setCwnd(11 * MSS);
        r.onAck(2 * MSS, MSS, true, -1, 0);
        assertEquals(12 * MSS, r.cwnd(), "slow start stops at ssthresh");
    }

    @Test
    void timeoutAndRecoveryExit() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.onRetransmitTimeout(30 * MSS, MSS, 0);
        assertEquals(MSS, r.cwnd());
        assertEquals(15 * MSS, r.ssthresh());
        r.onLossDetected(MSS, MSS, 0);
        assertEquals(2 * MSS, r.ssthresh(), "max(FlightSize/2, 2*SMSS)");
        r.setCwnd(9 * MSS);
        r.onRecoveryExit(0, MSS);
        assertEquals(2 * MSS, r.cwnd());
    }

    @Test
    void idleRestartUsesTheRestartWindowAndRemembersThreeQuarters() {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.onLossDetected(40 * MSS, MSS, 0);
        r.setCwnd(100 * MSS);
        r.onIdleRestart(MSS, 0);
        assertEquals(10 * MSS, r.cwnd());
        assertEquals(75 * MSS, r.ssthresh());
    }

    @Test
    void neverOverflowsOnALosslessPath() {
        NewReno r = new NewReno();
        r.init(65_483, 0);
        for (int i = 0; i < 100_000; i++) {
            r.onAck(Integer.MAX_VALUE, 65_483, true, -1, i);
            assertTrue(r.cwnd() > 0);
        }
        assertEquals(CongestionControl.MAX_CWND, r.cwnd());
        r.setCwnd(-5);
        assertEquals(1, r.cwnd());
    }
}
