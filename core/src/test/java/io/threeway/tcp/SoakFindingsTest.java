package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/** Bugs the soak ({@code threeway soak}, fuzz's {@code io.threeway.soak}) found, each as the smallest run that shows it. */
class SoakFindingsTest {

    /**
     * Soak seeds 1, 2 and 7: the peer's window shrank below a segment (and below half its largest) while data was in
     * flight, and the ACKs after it were lost. The retransmission timer went back to SND.UNA and asked the ordinary
     * output path to send, whose sender-side silly-window avoidance held the small piece back: nothing went out,
     * timeout after timeout, until tcp_retries2 killed a connection whose peer was waiting with an open window.
     * Linux's tcp_retransmit_timer always sends the head of the retransmission queue (tcp_retransmit_skb, cut to
     * the window, or to one MSS when the window has none).
     */
    @Test
    void aRetransmissionTimeoutSendsTheHeadEvenIntoAWindowSillyWindowAvoidanceWouldNotUse() {
        EnginePair p = new EnginePair();
        p.server.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        byte[] data = new byte[40_000];
        p.server.write(data, p.now);
        int sndUna = p.server.conn.info(p.now).sndUna();
        assertTrue(p.dropAll(p.server) > 1, "a flight of segments, all lost");
        TcpSegment shrink = p.forge(p.client, TcpFlags.ACK, p.client.conn.info(p.now).sndNxt(), sndUna);
        shrink.window = 1; // scaled by the server's view of our shift: far below a segment and half the largest window
        p.inject(p.server, shrink);
        int window = p.server.conn.info(p.now).sndWnd();
        assertTrue(window > 0 && window < p.server.conn.maxSegment(), "a small, open window: " + window);
        p.dropAll(p.server);
        for (int timeout = 1; timeout <= 3; timeout++) {
            p.advanceTo(p.server.conn.nextDeadline());
            TcpSegment resent = p.dropOne(p.server);
            assertNotNull(resent, "timeout " + timeout + " resent nothing");
            assertEquals(sndUna, resent.seq, "the head of the queue");
            assertEquals(Math.min(window, p.server.conn.maxSegment()), resent.payloadLength, "as much as the window takes");
        }
    }

    /**
     * Soak seed 1: a server sent its answer and closed (an orphan) while the client's window was zero; the window
     * update that reopened it was lost. An orphan's retransmission timer takes the ordinary path (only a socket
     * with an application probes a zero window), which sent nothing into a zero window: no probe, no answer, and
     * after tcp_orphan_retries the connection was dropped with the answer half delivered. Linux's
     * __tcp_retransmit_skb sends the head, up to one MSS, even with no window, and the peer's ACK carries its window.
     */
    @Test
    void anOrphansRetransmissionTimeoutSendsTheHeadIntoAZeroWindow() {
        EnginePair p = new EnginePair();
        p.server.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        p.server.write(new byte[20_000], p.now);
        int sndUna = p.server.conn.info(p.now).sndUna();
        p.dropAll(p.server);
        TcpSegment closed = p.forge(p.client, TcpFlags.ACK, p.client.conn.info(p.now).sndNxt(), sndUna);
        closed.window = 0;
        p.inject(p.server, closed);
        assertEquals(0, p.server.conn.info(p.now).sndWnd());
        p.server.conn.close(p.now);
        assertTrue(p.server.conn.isOrphaned());
        p.dropAll(p.server);
        p.advanceTo(p.server.conn.nextDeadline());
        TcpSegment resent = p.dropOne(p.server);
        assertNotNull(resent, "the timeout sent nothing");
        assertEquals(sndUna, resent.seq);
        assertEquals(p.server.conn.maxSegment(), resent.payloadLength, "one MSS, as Linux");
    }

    /**
     * The hour's soak, at 3,193 s of virtual time: a server wrote its answer and closed while the client's window was
     * zero. The data had been acknowledged, so nothing was in flight and no byte was left to send, only the FIN, which
     * needs window too: the persist timer was armed only for data, so the orphan sat in LAST-ACK with no timer at
     * all, forever. Linux's tcp_check_probe_timer arms the zero-window probe for any unsent head, a FIN included.
     */
    @Test
    void aFinWaitingForAZeroWindowHasThePersistTimer() {
        EnginePair p = new EnginePair().establish();
        p.server.write(new byte[1000], p.now);
        p.deliverAll();
        int end = p.server.conn.info(p.now).sndMax();
        TcpSegment shut = p.forge(p.client, TcpFlags.ACK, p.client.conn.info(p.now).sndNxt(), end);
        shut.window = 0;
        p.inject(p.server, shut);
        assertEquals(0, p.server.conn.info(p.now).sndWnd());
        p.server.conn.close(p.now);
        assertEquals(end, p.server.conn.info(p.now).sndMax(), "the FIN waits for window");
        assertTrue(p.server.conn.nextDeadline() != Long.MAX_VALUE, "a timer runs: the persist timer");
        p.dropAll(p.server);
        p.advanceTo(p.server.conn.nextDeadline());
        TcpSegment probe = p.dropOne(p.server);
        assertNotNull(probe, "a zero-window probe");
        TcpSegment open = p.forge(p.client, TcpFlags.ACK, p.client.conn.info(p.now).sndNxt(), end);
        open.window = 100;
        p.inject(p.server, open);
        TcpSegment fin = p.dropOne(p.server);
        assertNotNull(fin, "the window opened: the FIN goes");
        assertTrue((fin.flags & TcpFlags.FIN) != 0);
    }
}
