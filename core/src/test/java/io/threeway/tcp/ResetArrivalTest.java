package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9293 §3.10.7.3 and §3.10.7.4 "second, check the RST bit", with RFC 5961 §3.2's blind-reset
 * mitigation: only an RST with SEG.SEQ = RCV.NXT resets; one elsewhere in the window draws a challenge ACK.
 */
class ResetArrivalTest {

    /** An RST from the peer of {@code to} at sequence number {@code seq}. */
    private static TcpSegment rst(EnginePair p, EnginePair.Side to, int seq) {
        return p.forge(p.peer(to), TcpFlags.RST, seq, 0);
    }

    @ParameterizedTest
    @EnumSource(names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
    void exactResetInASynchronizedStateClosesWithEconnreset(TcpState state) {
        // RFC 9293: "any outstanding RECEIVEs and SEND should receive 'reset' responses"; Linux's tcp_reset
        // sets ECONNRESET in every state the application can still see, except CLOSE-WAIT (EPIPE there,
        // "as BSD sees it"); the engine reports ECONNRESET in CLOSE-WAIT too, as the RFC says.
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(state);
        c.forget();
        p.inject(c, rst(p, c, c.conn.info(0).rcvNxt()));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(Errno.ECONNRESET, c.conn.error());
        assertTrue(c.sentLog.isEmpty(), "an RST is never answered");
        assertEquals(Long.MAX_VALUE, c.conn.nextDeadline(), "every timer is off once CLOSED");
        boolean counted = state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT;
        assertEquals(counted ? 1 : 0, c.counters.get(Counter.ESTAB_RESETS), "EstabResets counts ESTABLISHED and CLOSE-WAIT");
        assertEquals(0, c.counters.get(Counter.CURR_ESTAB));
    }

    @Test
    void exactResetInTimeWaitEndsTimeWaitSilently() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        c.forget();
        p.inject(c, rst(p, c, c.conn.info(0).rcvNxt()));
        assertEquals(TcpState.CLOSED, c.state(), "RFC 9293: TIME-WAIT, RST: enter the CLOSED state");
        assertNull(c.conn.error(), "the connection had already ended in order");
        assertTrue(c.sentLog.isEmpty());
    }

    @Test
    void inexactResetInTimeWaitIsIgnoredSilently() {
        // Linux's tcp_timewait_state_process: an RST not exactly at RCV.NXT neither ends TIME-WAIT nor is answered.
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        c.forget();
        p.inject(c, rst(p, c, c.conn.info(0).rcvNxt() + 1));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertTrue(c.sentLog.isEmpty(), "no challenge ACK from TIME-WAIT");
    }

    @Test
    void rfc1337IgnoresResetInTimeWait() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_rfc1337", "1");
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        long entered = p.now;
        p.inject(c, rst(p, c, c.conn.info(0).rcvNxt()));
        assertEquals(TcpState.TIME_WAIT, c.state(), "RFC 1337 hazard TIME-WAIT-1: do not let an RST assassinate TIME-WAIT");
        p.advanceTo(entered + sec(60));
        assertEquals(TcpState.CLOSED, c.state(), "TIME-WAIT still ends on its own");
    }

    @Test
    void exactResetInSynReceivedFromPassiveOpenReturnsToListen() {
        EnginePair p = new EnginePair();
        EnginePair.Side s = p.reach(TcpState.SYN_RECEIVED);
        p.inject(s, rst(p, s, s.conn.info(0).rcvNxt()));
        assertTrue(s.transitions.contains("SYN_RECEIVED->LISTEN"));
        assertNull(s.conn.error(), "never accepted: no application to tell");
        assertEquals(1, s.counters.get(Counter.ATTEMPT_FAILS));
        assertEquals(Long.MAX_VALUE, s.conn.nextDeadline(), "the SYN-ACK is not retransmitted");
    }

    @Test
    void exactResetInSynReceivedFromActiveOpenIsConnectionRefused() {
        // §3.10.7.4: "If this connection was initiated with an active OPEN (i.e., came from SYN-SENT state),
        // then the connection was refused; signal the user 'connection refused'". (Linux's tcp_reset would say
        // ECONNRESET for a simultaneous-open socket in SYN-RECV; the engine follows the RFC here.)
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.server.conn.connect(0);
        p.deliverOne(p.server);
        p.dropAll(p.client);
        assertEquals(TcpState.SYN_RECEIVED, p.client.state());
        p.inject(p.client, rst(p, p.client, p.client.conn.info(0).rcvNxt()));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ECONNREFUSED, p.client.conn.error());
        assertEquals(1, p.client.counters.get(Counter.ATTEMPT_FAILS));
    }

    @Test
    void resetWithAcceptableAckInSynSentIsConnectionRefused() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.inject(p.client, p.forge(p.server, TcpFlags.RST | TcpFlags.ACK, 0, 1001));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ECONNREFUSED, p.client.conn.error());
        assertTrue(p.client.conn.connectDone(), "connect() returns with the error");
        assertEquals(1, p.client.counters.get(Counter.ATTEMPT_FAILS));
        assertEquals(0, p.client.counters.get(Counter.OUT_RSTS));
    }

    @Test
    void resetWithoutAckInSynSentIsIgnored() {
        // §3.10.7.3: "If the ACK was acceptable, then signal ... connection reset ... Otherwise (no ACK), drop
        // the segment and return."
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.client.forget();
        p.inject(p.client, p.forge(p.server, TcpFlags.RST, 0, 0));
        assertEquals(TcpState.SYN_SENT, p.client.state());
        assertNull(p.client.conn.error());
        assertTrue(p.client.sentLog.isEmpty());
    }

    @Test
    void resetWithUnacceptableAckInSynSentIsIgnored() {
        // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT ... (unless the RST bit is set, if so drop the segment and return)".
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.client.forget();
        p.inject(p.client, p.forge(p.server, TcpFlags.RST | TcpFlags.ACK, 0, 1000));
        p.inject(p.client, p.forge(p.server, TcpFlags.RST | TcpFlags.ACK, 0, 1002));
        assertEquals(TcpState.SYN_SENT, p.client.state());
        assertTrue(p.client.sentLog.isEmpty(), "an RST is never answered, not even an unacceptable one");
        p.deliverAll();
    }

    @ParameterizedTest
    @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
    void inexactResetInWindowDrawsChallengeAckAndConnectionSurvives(TcpState state) {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(state);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        p.inject(c, rst(p, c, rcvNxt + 1));
        assertEquals(state, c.state());
        assertNull(c.conn.error());
        assertEquals(1, c.sentLog.size(), "one challenge ACK");
        TcpSegment ack = c.lastSent();
        assertEquals(TcpFlags.ACK, ack.flags);
        assertEquals(rcvNxt, ack.ack, "<ACK=RCV.NXT>: tells a legitimate peer the exact sequence number to use");
        assertEquals(1, c.counters.get(Counter.TCP_CHALLENGE_ACK));
    }

    @Test
    void challengeAcksAreRateLimitedPerConnection() {
        // Linux's tcp_send_challenge_ack -> __tcp_oow_rate_limited: at most one per tcp_invalid_ratelimit (500 ms).
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.ESTABLISHED);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        p.inject(c, rst(p, c, rcvNxt + 10));
        p.inject(c, rst(p, c, rcvNxt + 20));
        assertEquals(1, c.sentLog.size());
        p.advanceBy(ms(500));
        p.inject(c, rst(p, c, rcvNxt + 30));
        assertEquals(2, c.sentLog.size());
        assertEquals(2, c.counters.get(Counter.TCP_CHALLENGE_ACK));
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void legitimatePeerResetsAfterChallengeAck() {
        // RFC 5961 §3.2: the peer that really meant to reset answers the challenge ACK with an exact RST.
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.ESTABLISHED);
        p.inject(c, rst(p, c, c.conn.info(0).rcvNxt() + 100));
        TcpSegment challenge = c.lastSent();
        p.inject(c, rst(p, c, challenge.ack));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(Errno.ECONNRESET, c.conn.error());
    }

    @Test
    void resetOutsideTheWindowIsIgnoredSilently() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.ESTABLISHED);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        int wnd = c.conn.info(0).rcvWnd();
        p.inject(c, rst(p, c, rcvNxt + wnd + 1));
        p.inject(c, rst(p, c, rcvNxt - 1));
        p.inject(c, rst(p, c, rcvNxt + Integer.MIN_VALUE));
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue(c.sentLog.isEmpty(), "§3.10.7.4: an unacceptable RST is dropped without reply");
        assertEquals(0, c.counters.get(Counter.TCP_CHALLENGE_ACK));
    }

    @Test
    void resetFromAbortReachesThePeerAsExactReset() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.abort(p.now);
        TcpSegment r = p.client.lastSent();
        assertTrue(r.rst());
        assertEquals(p.server.conn.info(0).rcvNxt(), r.seq, "<SEQ=SND.NXT>");
        assertEquals(1, p.client.counters.get(Counter.OUT_RSTS));
        p.deliverAll();
        assertEquals(TcpState.CLOSED, p.server.state());
        assertEquals(Errno.ECONNRESET, p.server.conn.error());
    }
}
