package io.threeway.tcp.cc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Proportional Rate Reduction's arithmetic as Linux's tcp_cwnd_reduction does it (RFC 6937, RFC 9937): the
 * proportional part while pipe > ssthresh, PRR-CRB with PRR-SSRB's extra segment on a safe ACK below it, the forced
 * first retransmission, and tcp_end_cwnd_reduction.
 */
class PrrTest {
    private static final int MSS = 1000;

    /** A Reno at {@code segments} (tcp_reno_ssthresh halves it). */
    private static NewReno reno(int segments) {
        NewReno r = new NewReno();
        r.init(MSS, 0);
        r.setCwnd(segments * MSS);
        return r;
    }

    @Test
    void startSetsSsthreshFromTheCongestionControlAndKeepsCwnd() {
        Cubic c = new Cubic();
        c.init(MSS, 0);
        Prr prr = new Prr();
        assertTrue(prr.start(Prr.RECOVERY, c, MSS, 10_001, 0));
        assertEquals(10 * MSS, c.cwnd(), "tcp_init_cwnd_reduction leaves cwnd; PRR brings it down ACK by ACK");
        assertEquals(7 * MSS, c.ssthresh(), "icsk_ca_ops->ssthresh: CUBIC's beta 0.7 of cwnd");
        assertEquals(10 * MSS, prr.priorCwnd());
        assertFalse(prr.start(Prr.CWR, c, MSS, 10_001, 0), "no second reduction while one is under way");
        assertEquals(Prr.RECOVERY, prr.reason());
    }

    @Test
    void aboveSsthreshItSendsInProportionRoundedUp() {
        NewReno r = reno(10);                 // tcp_reno_ssthresh: ssthresh 5
        Prr prr = new Prr();
        prr.start(Prr.RECOVERY, r, MSS, 0, 0);
        assertEquals(5 * MSS, r.ssthresh());
        // pipe 8 > ssthresh 5: sndcnt = CEIL(prr_delivered * 5 / 10) - prr_out = CEIL(1 * 5 / 10) - 0 = 1
        prr.onAck(r, 1, 8 * MSS, MSS, false, false);
        assertEquals(9 * MSS, r.cwnd());
        prr.sent(1);
        // one more delivered: CEIL(2 * 5 / 10) - 1 = 0: nothing goes, cwnd = pipe
        prr.onAck(r, 1, 8 * MSS, MSS, false, false);
        assertEquals(8 * MSS, r.cwnd(), "half of what is delivered goes out: every other ACK sends");
        prr.onAck(r, 1, 7 * MSS, MSS, false, false);
        assertEquals(8 * MSS, r.cwnd(), "CEIL(3 * 5 / 10) - 1 = 1");
    }

    @Test
    void belowSsthreshConservationPlusOneOnASafeAck() {
        NewReno r = reno(20);                 // ssthresh 10
        Prr prr = new Prr();
        prr.start(Prr.RECOVERY, r, MSS, 0, 0);
        prr.sent(1);                          // the fast retransmission
        // pipe 4 <= ssthresh 10, 2 delivered, SND.UNA advanced and nothing newly lost: MAX(2 - 1, 2) + 1 = 3
        prr.onAck(r, 2, 4 * MSS, MSS, true, false);
        assertEquals(7 * MSS, r.cwnd());
        // the same ACK marking new losses: no slow-start bound (7e901ee7b6ab "avoid slow start ... on new losses")
        NewReno r2 = reno(20);
        Prr p2 = new Prr();
        p2.start(Prr.RECOVERY, r2, MSS, 0, 0);
        p2.sent(1);
        p2.onAck(r2, 2, 4 * MSS, MSS, true, true);
        assertEquals(6 * MSS, r2.cwnd());
        // and never beyond ssthresh: pipe 9, delta 1
        NewReno r3 = reno(20);
        Prr p3 = new Prr();
        p3.start(Prr.RECOVERY, r3, MSS, 0, 0);
        p3.sent(1);
        p3.onAck(r3, 5, 9 * MSS, MSS, true, false);
        assertEquals(10 * MSS, r3.cwnd(), "MIN(ssthresh - pipe, ...) = 1");
    }

    @Test
    void theFirstAckAlwaysLetsOneSegmentOut() {
        NewReno big = reno(100);              // ssthresh 50
        Prr p = new Prr();
        p.start(Prr.RECOVERY, big, MSS, 0, 0);
        p.onAck(big, 1, 99 * MSS, MSS, false, false);
        assertEquals(100 * MSS, big.cwnd(), "CEIL(1 * 50 / 100) = 1 = MAX(sndcnt, prr_out ? 0 : 1)");
        p.sent(1);
        p.onAck(big, 1, 99 * MSS, MSS, false, false);
        assertEquals(99 * MSS, big.cwnd(), "CEIL(2 * 50 / 100) - 1 = 0 once one went");
    }

    @Test
    void anAckThatDeliversNothingChangesNothing() {
        NewReno r = reno(10);
        Prr prr = new Prr();
        prr.start(Prr.RECOVERY, r, MSS, 0, 0);
        prr.onAck(r, 0, 3 * MSS, MSS, false, false);
        assertEquals(10 * MSS, r.cwnd());
        assertEquals(0, prr.prrDelivered());
    }

    @Test
    void endSetsCwndToSsthreshAndCwrEndsAboveHighSeq() {
        NewReno r = reno(10);
        Prr prr = new Prr();
        prr.start(Prr.CWR, r, MSS, 5_001, 0);
        assertFalse(prr.cwrDone(5_001), "CWR holds until something above high_seq is acknowledged");
        assertTrue(prr.cwrDone(5_002));
        prr.onAck(r, 1, 2 * MSS, MSS, true, false);
        prr.end(r);
        assertEquals(5 * MSS, r.cwnd(), "tcp_end_cwnd_reduction: cwnd = ssthresh");
        assertFalse(prr.active());
        prr.sent(3);
        assertEquals(0, prr.prrOut(), "prr_out counts nothing outside a reduction");
    }
}
