package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undo of spurious retransmissions as Linux does it (tcp_input.c): a loss episode saves the window it reduces
 * (tcp_init_undo, prior_cwnd, prior_ssthresh); a timestamp echo older than the first retransmission (RFC 3522's
 * Eifel detection, tcp_packet_delayed) or a D-SACK for every retransmission (RFC 2883, tcp_check_dsack) shows
 * nothing was lost, and tcp_undo_cwnd_reduction takes the reduction back: tcp_try_undo_recovery (TCPFullUndo),
 * tcp_try_undo_partial (TCPPartialUndo), tcp_try_undo_dsack (TCPDSACKUndo), tcp_try_undo_loss (TCPLossUndo).
 */
class UndoTest {

    /** A pair with timestamps and SACK as asked; the client has sent {@code segments} full segments, held here. */
    private static EnginePair pair(boolean timestamps, boolean sack) {
        EnginePair p = new EnginePair();
        for (EnginePair.Side s : new EnginePair.Side[] {p.client, p.server}) {
            s.sysctls.set("net.ipv4.tcp_timestamps", timestamps ? "1" : "0");
            s.sysctls.set("net.ipv4.tcp_sack", sack ? "1" : "0");
            s.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // no tail loss probe: the RTO alone, as the RFC tells it
        }
        p.establish();
        p.advanceBy(ms(10));
        return p;
    }

    /** The client writes {@code segments} full segments; returns them as they left, taken off the wire. */
    private static List<TcpSegment> send(EnginePair p, int segments) {
        int mss = p.client.conn.info(p.now).mss();
        p.client.write(new byte[segments * mss], p.now);
        List<TcpSegment> held = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        assertEquals(segments, held.size(), "the initial window lets them all go");
        return held;
    }

    /** Delivers {@code seg} to the server, and everything the server answers to the client. */
    private static void arrive(EnginePair p, TcpSegment seg) {
        p.inject(p.server, seg);
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server);
    }

    private static long counter(EnginePair p, Counter c) {
        return p.client.counters.get(c);
    }

    /** The first segment is reordered behind the rest: three duplicate ACKs start fast recovery and its retransmission. */
    private static List<TcpSegment> reorderFirst(EnginePair p, int segments) {
        List<TcpSegment> held = send(p, segments);
        p.advanceBy(ms(5));
        for (int i = 1; i < segments; i++) arrive(p, held.get(i));
        assertTrue(p.client.conn.info(p.now).cwnd() < segments, "fast recovery reduced the window");
        List<TcpSegment> again = p.client.sent(s -> s.payloadLength > 0 && s.seq == held.get(0).seq);
        assertEquals(2, again.size(), "the first segment was resent (fast retransmit)");
        return held;
    }

    @Test
    void anEchoOlderThanTheRetransmissionUndoesTheRecovery() {
        // tcp_try_undo_recovery: "Happy end! We did not retransmit anything or our original transmission succeeded."
        EnginePair p = pair(true, true);
        TcpInfo before = p.client.conn.info(p.now);
        List<TcpSegment> held = reorderFirst(p, 10);
        p.dropAll(p.client); // the retransmission is lost; the original arrives late, and its TSval comes back
        arrive(p, held.get(0));
        TcpInfo after = p.client.conn.info(p.now);
        assertEquals(0, after.unacked());
        assertEquals(1, counter(p, Counter.TCP_FULL_UNDO));
        assertEquals(before.cwnd(), after.cwnd(), "cwnd back to prior_cwnd (tcp_reno_undo_cwnd)");
        assertEquals(before.ssthreshBytes(), after.ssthreshBytes(), "ssthresh back to prior_ssthresh (still infinite)");
    }

    @Test
    void withoutTimestampsTheFullAckUndoesNothingButTheDsackDoes() {
        // tcp_check_dsack brings undo_retrans to 0; tcp_try_undo_dsack then undoes in the open state.
        EnginePair p = pair(false, true);
        int cwndBefore = p.client.conn.info(p.now).cwnd();
        List<TcpSegment> held = reorderFirst(p, 10);
        TcpSegment retransmission = p.client.outbox.poll();
        p.dropAll(p.client);
        arrive(p, held.get(0));
        TcpInfo ended = p.client.conn.info(p.now);
        assertEquals(0, counter(p, Counter.TCP_FULL_UNDO), "no evidence yet: the retransmission may have been needed");
        assertTrue(ended.cwnd() < cwndBefore, "recovery ended with the window reduced");
        arrive(p, retransmission); // a duplicate at the receiver: a D-SACK comes back
        assertTrue(p.server.counters.get(Counter.TCP_DSACK_OLD_SENT) > 0, "the receiver sent a D-SACK");
        assertEquals(1, counter(p, Counter.TCP_DSACK_UNDO));
        assertEquals(cwndBefore, p.client.conn.info(p.now).cwnd());
    }

    @Test
    void aDsackOfMoreThanWasRetransmittedIsDubious() {
        // tcp_dsack_seen: "Skip the DSACK if dup segs weren't retransmitted by sender" (dsack_dups > total_retrans):
        // one segment was resent, a D-SACK of two is not evidence (tcp_check_dsack: TCPDSACKIgnoredDubious).
        EnginePair p = pair(false, true);
        int mss = p.client.conn.info(p.now).mss();
        List<TcpSegment> held = reorderFirst(p, 10);
        p.dropAll(p.client);
        arrive(p, held.get(0));
        TcpSegment forged = p.forgeAck(p.server);
        forged.options.sackBlocks = 1;
        forged.options.sackLeft[0] = held.get(0).seq;
        forged.options.sackRight[0] = held.get(0).seq + 2 * mss;
        p.inject(p.client, forged);
        assertEquals(0, counter(p, Counter.TCP_DSACK_UNDO));
        assertTrue(p.client.conn.info(p.now).cwnd() < 10);
    }

    @Test
    void aPartialAckWithAnOldEchoUndoesWhenNoRetransmissionIsOut() {
        // tcp_try_undo_partial: "Plain luck! Hole if filled with delayed packet, rather than with a retransmit."
        EnginePair p = pair(true, true);
        int mss = p.client.conn.info(p.now).mss();
        int cwndBefore = p.client.conn.info(p.now).cwnd();
        p.client.write(new byte[20 * mss], p.now); // ten go, ten wait: SACK recovery sends new data, not segment 8
        List<TcpSegment> held = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        p.advanceBy(ms(5));
        for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 9}) arrive(p, held.get(i)); // 0 and 8 are late
        assertEquals(1, counter(p, Counter.TCP_SACK_RECOVERY));
        assertEquals(1, p.client.sent(s -> s.payloadLength > 0 && s.seq == held.get(8).seq).size(), "8 not resent");
        p.dropAll(p.client);
        arrive(p, held.get(0)); // acknowledges up to segment 8, echoing the original's TSval; 0's retransmission is acked
        assertEquals(1, counter(p, Counter.TCP_PARTIAL_UNDO));
        assertTrue(p.client.conn.info(p.now).cwnd() >= cwndBefore, "the reduction was taken back");
        p.dropAll(p.client);
        arrive(p, held.get(8)); // the engine's recovery ends: the window stays undone
        assertTrue(p.client.conn.info(p.now).cwnd() >= cwndBefore);
    }

    @Test
    void newRenoTakesNoPartialUndo() {
        // The engine's NewReno inflates its window (RFC 5681 §3.2) and runs on to the recovery point: no partial
        // undo there (Linux's Reno has no inflation); the full ACK's tcp_try_undo_recovery still applies.
        EnginePair p = pair(true, false);
        List<TcpSegment> held = send(p, 8);
        p.advanceBy(ms(5));
        for (int i : new int[] {1, 2, 4, 5, 6, 7}) arrive(p, held.get(i)); // 0 and 3 are late
        assertEquals(1, p.client.counters.get(Counter.TCP_RENO_RECOVERY));
        p.dropAll(p.client);
        arrive(p, held.get(0));
        assertEquals(0, counter(p, Counter.TCP_PARTIAL_UNDO));
    }

    @Test
    void aTimeoutWhoseOriginalsArriveLateIsUndoneByTheirTimestamps() {
        // tcp_try_undo_loss(sk, false) on the first ACK after the timeout: tcp_may_undo by tcp_packet_delayed.
        EnginePair p = pair(true, true);
        TcpInfo before = p.client.conn.info(p.now);
        List<TcpSegment> held = send(p, 10);
        p.advanceBy(ms(300)); // past the RTO (200 ms): the head is resent
        assertEquals(1, p.client.counters.get(Counter.TCP_TIMEOUTS));
        assertEquals(1, p.client.outbox.size(), "one segment after a timeout");
        p.dropAll(p.client);
        p.client.forget();
        for (TcpSegment seg : held) arrive(p, seg);
        assertEquals(1, counter(p, Counter.TCP_LOSS_UNDO));
        assertEquals(0, counter(p, Counter.TCP_SPURIOUS_RTOS), "the timestamps decided, not F-RTO");
        assertTrue(p.client.conn.info(p.now).cwnd() >= before.cwnd(), "cwnd back to prior_cwnd");
        assertTrue(p.client.sent(s -> s.payloadLength > 0).isEmpty(), "nothing resent: the loss marks are gone");
        assertEquals(0, p.client.conn.info(p.now).unacked());
    }

    @Test
    void aRealLossIsNotUndone() {
        // The retransmission repaired a real loss: the echo is the retransmission's own TSval; no undo.
        EnginePair p = pair(true, true);
        List<TcpSegment> held = send(p, 10);
        p.advanceBy(ms(5));
        for (int i = 1; i < 10; i++) arrive(p, held.get(i));
        p.advanceBy(ms(5));
        p.deliverAll(); // the retransmission arrives, and the ACKs come back
        assertEquals(0, p.client.conn.info(p.now).unacked());
        assertEquals(0, counter(p, Counter.TCP_FULL_UNDO) + counter(p, Counter.TCP_DSACK_UNDO)
                + counter(p, Counter.TCP_PARTIAL_UNDO) + counter(p, Counter.TCP_LOSS_UNDO));
        assertTrue(p.client.conn.info(p.now).cwnd() < 10);
    }
}
