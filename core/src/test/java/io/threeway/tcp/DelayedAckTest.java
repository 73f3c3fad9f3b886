package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Linux's acknowledgment policy, question by question. */
class DelayedAckTest {
    static final long MS = 1_000_000L;
    static final long RTO = 300 * MS;

    @Test
    void sixteenQuickAcksThenOneAckPerTwoFullSegments() {
        DelayedAck d = new DelayedAck();
        d.start(0);
        for (int i = 0; i < DelayedAck.MAX_QUICKACKS; i++) assertTrue(d.ackAtOnce(100, 1448, false), "quick ACK " + i);
        assertFalse(d.ackAtOnce(1448, 1448, false), "one full segment may wait");
        assertTrue(d.ackAtOnce(2896, 1448, false), "a second full segment is ACKed at once");
        assertTrue(d.ackAtOnce(1, 1448, true), "TCP_QUICKACK forces it");
        assertEquals(DelayedAck.ATO_MIN, d.timeout());
    }

    /**
     * Linux sets icsk_ack.lrcvtime when the connection is established (tcp_finish_connect,
     * tcp_create_openreq_child), but the ATO stays 0 until the first data arrives, so data sent right after the
     * handshake is no answer (tcp_event_data_sent: "If it is a reply for ato after last received packet"); unless a
     * writer was waiting for the SYN-ACK: tcp_enter_quickack_mode set the ATO ("Save one ACK"), and its data is.
     */
    @Test
    void dataSentRightAfterTheHandshakeIsAnAnswerOnlyWhenAWriterWaited() {
        DelayedAck d = new DelayedAck();
        d.start(500 * MS);
        d.dataSent(510 * MS);
        d.dataArrived(530 * MS, RTO);
        assertTrue(d.ackAtOnce(100, 1448, false), "the ATO was 0: not interactive, a quick ACK");
        DelayedAck waited = new DelayedAck();
        waited.start(500 * MS);
        waited.enterQuickAckMode();
        waited.dataSent(500 * MS);
        waited.dataArrived(520 * MS, RTO);
        assertFalse(waited.ackAtOnce(100, 1448, false), "an answer within the ATO: interactive, no quick ACK");
    }

    @Test
    void answeringPromptlyEntersPingpongModeAndATimedOutAckLeavesIt() {
        DelayedAck d = new DelayedAck();
        d.start(0);
        d.dataArrived(1000 * MS, RTO);
        d.dataSent(1010 * MS);                          // an answer 10 ms later: interactive
        assertFalse(d.ackAtOnce(100, 1448, false), "no quick ACKs in pingpong mode");
        d.timerFired(RTO);                              // no answer carried the ACK this time
        assertTrue(d.ackAtOnce(100, 1448, false), "out of pingpong mode, quick ACKs again");
    }

    @Test
    void theTimeoutDoublesWhenAcksWaitInVainAndShrinksWhenDataComesClose() {
        DelayedAck d = new DelayedAck();
        d.timerFired(RTO);
        assertEquals(80 * MS, d.timeout());
        d.timerFired(RTO);
        d.timerFired(RTO);
        assertEquals(DelayedAck.DELACK_MAX, d.timeout(), "at most 200 ms");
        d.dataArrived(0, RTO);
        long t = 0;
        for (int i = 0; i < 10; i++) d.dataArrived(t += 10 * MS, RTO); // data 10 ms apart
        assertEquals(DelayedAck.ATO_MIN, d.timeout(), 1 * MS, "back near 40 ms");
    }
}
