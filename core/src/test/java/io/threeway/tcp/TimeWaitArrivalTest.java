package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * Segments arriving in TIME-WAIT: Linux's tcp_timewait_state_process by default, FreeBSD's tcp_twcheck under
 * {@link EngineProfile#bsdTimeWait()}.
 */
class TimeWaitArrivalTest {

    private static TcpSegment segment(EnginePair p, EnginePair.Side to, int flags, int seq) {
        return p.forge(p.peer(to), flags, seq, to.conn.info(0).sndMax());
    }

    @Test
    void linuxLeavesOnlyAnExactBareAckUnanswered() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt));
        assertTrue(c.sentLog.isEmpty(), "a bare ACK at RCV.NXT is in the window: nothing to say");
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt + 1));
        assertEquals(1, c.sentLog.size(), "any other segment is acknowledged, even one RFC 9293 would call in the window");
        assertEquals(rcvNxt, c.lastSent().ack);
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt + 2));
        assertEquals(1, c.sentLog.size(), "pure ACKs at most every tcp_invalid_ratelimit (TCPACKSkippedTimeWait)");
        p.inject(c, segment(p, c, TcpFlags.FIN | TcpFlags.ACK, rcvNxt - 1));
        assertEquals(2, c.sentLog.size(), "a retransmitted FIN is always acknowledged");
        assertEquals(TcpState.TIME_WAIT, c.state());
    }

    @Test
    void linuxAcknowledgesAnAcklessSegment() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        c.forget();
        p.inject(c, segment(p, c, TcpFlags.FIN, c.conn.info(0).rcvNxt() - 1));
        assertEquals(1, c.sentLog.size());
    }

    @Test
    void bsdDropsAcklessSegmentsAndAcknowledgesAllButExactDuplicates() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        c.engineProfile = EngineProfile.LINUX.withBsdTimeWait(true);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        p.inject(c, segment(p, c, TcpFlags.FIN, rcvNxt - 1));
        assertTrue(c.sentLog.isEmpty(), "tcp_twcheck: drop the segment if it does not contain an ACK");
        p.inject(c, segment(p, c, TcpFlags.RST, rcvNxt));
        assertEquals(TcpState.TIME_WAIT, c.state(), "RSTs are dropped in TIME-WAIT");
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt));
        assertTrue(c.sentLog.isEmpty(), "an exact duplicate ACK goes unanswered");
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt - 1));
        p.inject(c, segment(p, c, TcpFlags.ACK, rcvNxt + 1));
        assertEquals(2, c.sentLog.size(), "every other ACK-bearing segment is acknowledged, without a rate limit");
    }
}
