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
     * tcp_create_openreq_child), so data sent within the ATO of the handshake already counts as an answer
     * (tcp_event_data_sent: "If it is a reply for ato after last received packet, increase pingpong count"), and
     * the peer's next data waits for a delayed ACK.
     */
    @Test
    void dataSentRightAfterTheHandshakeIsAnAnswer() {
        DelayedAck d = new DelayedAck();
        d.start(500 * MS);
        d.dataSent(510 * MS);
        d.dataArrived(530 * MS, RTO);
        assertFalse(d.ackAtOnce(100, 1448, false), "interactive from the first data: no quick ACK");
        DelayedAck late = new DelayedAck();
        late.start(500 * MS);
        late.dataSent(600 * MS);                        // 100 ms after the handshake: not an answer
        late.dataArrived(630 * MS, RTO);
        assertTrue(late.ackAtOnce(100, 1448, false), "a quick ACK");
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
