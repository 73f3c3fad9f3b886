package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9293 §3.10.7.4, "first, check sequence number": the four cases of the acceptability test, what
 * becomes of unacceptable segments, trimming to the window; RFC 5961 §4 for SYNs and the fifth step for
 * ACKs of unsent data. The client is the receiver under test; segments are forged as the server's.
 */
class AcceptabilityTest {

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** An ACK from the server at {@code seq}, acknowledging nothing new, offering {@code window} (raw). */
    private static TcpSegment ackAt(EnginePair p, int seq, int window) {
        TcpSegment s = p.forge(p.server, TcpFlags.ACK, seq, p.client.conn.info(0).sndNxt());
        s.window = window;
        return s;
    }

    /** Establishes, then fills the client's small receive buffer until it advertises a zero window. */
    private static EnginePair zeroWindow() {
        EnginePair p = new EnginePair();
        p.client.conn.options().rcvBuf = 4096;
        p.establish();
        p.server.write(bytes(20_000, 1), p.now);
        p.deliverAll();
        // The receiver keeps its right edge (it never shrinks the window), so the last few bytes before zero
        // go out only when the sender's persist timer forces them.
        for (int i = 0; i < 10 && p.client.conn.info(0).rcvWnd() != 0; i++) {
            p.advanceTo(p.server.conn.nextDeadline());
            p.deliverAll();
        }
        assertEquals(0, p.client.conn.info(0).rcvWnd(), "the fixture reaches a zero window");
        p.client.forget();
        return p;
    }

    @Nested
    class ZeroLengthSegment {
        @Test
        void zeroWindowAcceptsOnlySeqEqualRcvNxt() {
            // Case 1: SEG.LEN = 0, RCV.WND = 0: acceptable iff SEG.SEQ = RCV.NXT.
            EnginePair p = zeroWindow();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            p.inject(p.client, ackAt(p, rcvNxt + 1, 77));
            assertEquals(1, p.client.sentLog.size(), "unacceptable: answered with an ACK");
            assertEquals(rcvNxt, p.client.lastSent().ack);
            assertNotEquals(77 << p.client.conn.info(0).sndWscale(), p.client.conn.info(0).sndWnd(), "and its window ignored");
            p.inject(p.client, ackAt(p, rcvNxt, 77));
            assertEquals(1, p.client.sentLog.size(), "acceptable: a bare ACK draws no reply");
            assertEquals(77 << p.client.conn.info(0).sndWscale(), p.client.conn.info(0).sndWnd(), "and its window is taken");
        }

        @Test
        void openWindowAcceptsSeqFromRcvNxtToTheRightEdge() {
            // Case 2: SEG.LEN = 0, RCV.WND > 0: acceptable iff RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
            EnginePair p = new EnginePair();
            p.client.sysctls.set("net.ipv4.tcp_invalid_ratelimit", "0"); // every rejection answered (see OutOfWindowRateLimit)
            p.establish();
            p.client.forget();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            int wnd = p.client.conn.info(0).rcvWnd();
            int scale = p.client.conn.info(0).sndWscale();
            p.inject(p.client, ackAt(p, rcvNxt + wnd - 1, 11));
            assertTrue(p.client.sentLog.isEmpty());
            assertEquals(11 << scale, p.client.conn.info(0).sndWnd());
            p.inject(p.client, ackAt(p, rcvNxt - 1, 22));
            assertEquals(1, p.client.sentLog.size(), "one before RCV.NXT: unacceptable");
            assertEquals(11 << scale, p.client.conn.info(0).sndWnd());
            p.inject(p.client, ackAt(p, rcvNxt + wnd + 1, 33));
            assertEquals(2, p.client.sentLog.size(), "beyond the right edge: unacceptable");
            assertEquals(11 << scale, p.client.conn.info(0).sndWnd());
            // Linux's tcp_sequence also takes a bare ACK exactly at the right edge (RCV.NXT + RCV.WND),
            // which the RFC's test would not; the engine follows Linux.
            p.inject(p.client, ackAt(p, rcvNxt + wnd, 44));
            assertEquals(2, p.client.sentLog.size());
            assertEquals(44 << scale, p.client.conn.info(0).sndWnd());
        }
    }

    @Nested
    class SegmentWithData {
        @Test
        void zeroWindowAcceptsNoDataButStillAnswers() {
            // Case 3: SEG.LEN > 0, RCV.WND = 0: not acceptable ("special allowance ... for valid ACKs").
            EnginePair p = zeroWindow();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            int readable = p.client.conn.readable();
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt, p.client.conn.info(0).sndNxt(), bytes(100, 2)));
            assertEquals(readable, p.client.conn.readable(), "no byte enters a zero window");
            assertEquals(rcvNxt, p.client.conn.info(0).rcvNxt());
            assertEquals(1, p.client.sentLog.size());
            assertEquals(rcvNxt, p.client.lastSent().ack);
            assertEquals(0, p.client.lastSent().window, "the ACK repeats the zero window");
            assertEquals(1, p.client.counters.get(Counter.TCP_ZERO_WINDOW_DROP));
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt + 50, p.client.conn.info(0).sndNxt(), bytes(100, 2)));
            assertEquals(2, p.client.sentLog.size());
            assertEquals(readable, p.client.conn.readable());
        }

        @Test
        void openWindowAcceptsASegmentThatStartsOrEndsInside() {
            // Case 4: acceptable iff the first or the last byte falls in the window.
            EnginePair p = new EnginePair().establish();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            byte[] a = bytes(300, 3);
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt, 1001, Arrays.copyOf(a, 100)));
            // Starts before RCV.NXT (50 bytes old), ends inside: the new 150 bytes are kept.
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt + 50, 1001, Arrays.copyOfRange(a, 50, 250)));
            assertEquals(rcvNxt + 250, p.client.conn.info(0).rcvNxt());
            assertArrayEquals(Arrays.copyOf(a, 250), p.client.readAll(p.now));
        }

        @Test
        void oldDuplicateIsAnsweredWithAnAckAndDropped() {
            EnginePair p = new EnginePair().establish();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            byte[] a = bytes(200, 4);
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt, 1001, a));
            p.client.readAll(p.now);
            p.client.forget();
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt, 1001, a)); // the same segment again
            assertEquals(rcvNxt + 200, p.client.conn.info(0).rcvNxt());
            assertEquals(0, p.client.conn.readable(), "nothing is delivered twice");
            assertEquals(1, p.client.sentLog.size(), "an old duplicate draws an immediate ACK");
            assertEquals(rcvNxt + 200, p.client.lastSent().ack);
        }

        @Test
        void segmentBeyondTheWindowIsTrimmedToIt() {
            EnginePair p = new EnginePair();
            p.client.conn.options().rcvBuf = 4096;
            p.establish();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            int wnd = p.client.conn.info(0).rcvWnd();
            assertTrue(wnd > 0 && wnd < 3000);
            byte[] a = bytes(3000, 5);
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, rcvNxt, 1001, a));
            assertEquals(rcvNxt + wnd, p.client.conn.info(0).rcvNxt(), "only the part inside the window is taken");
            assertArrayEquals(Arrays.copyOf(a, wnd), p.client.readAll(p.now));
            assertEquals(TcpState.ESTABLISHED, p.client.state(), "the FIN lay beyond the window: not yet received");
            assertEquals(rcvNxt + wnd, p.client.lastSent().ack);
        }

        @Test
        void segmentEntirelyBeyondTheWindowIsUnacceptable() {
            EnginePair p = new EnginePair().establish();
            p.client.forget();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            int wnd = p.client.conn.info(0).rcvWnd();
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK, rcvNxt + wnd, 1001, bytes(10, 6)));
            assertEquals(rcvNxt, p.client.conn.info(0).rcvNxt());
            assertEquals(1, p.client.sentLog.size());
            assertEquals(rcvNxt, p.client.lastSent().ack);
            assertEquals(0, p.client.counters.get(Counter.TCP_OFO_QUEUE), "not even held out of order");
        }
    }

    @Nested
    class SynInSynchronizedState {
        @ParameterizedTest
        @EnumSource(names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
        void inWindowSynDrawsChallengeAck(TcpState state) {
            // RFC 5961 §4.2, RFC 9293 §3.10.7.4 fourth step: challenge ACK, drop the segment, stay.
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(state);
            c.forget();
            int rcvNxt = c.conn.info(0).rcvNxt();
            p.inject(c, p.forge(p.server, TcpFlags.SYN, rcvNxt + 5, 0));
            assertEquals(state, c.state());
            assertNull(c.conn.error());
            assertEquals(1, c.sentLog.size());
            assertEquals(TcpFlags.ACK, c.lastSent().flags);
            assertEquals(rcvNxt, c.lastSent().ack);
            assertEquals(1, c.counters.get(Counter.TCP_SYN_CHALLENGE));
            assertEquals(1, c.counters.get(Counter.TCP_CHALLENGE_ACK));
            assertEquals(0, c.counters.get(Counter.OUT_RSTS), "RFC 793 would have reset; RFC 5961 does not");
        }

        @Test
        void outOfWindowSynAlsoDrawsChallengeAck() {
            // RFC 5961 §4.2: "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an ACK
            // (also referred to as challenge ACK)"; Linux's tcp_validate_incoming goes to syn_challenge from
            // the sequence check too, so it is counted and rate-limited like any challenge ACK.
            EnginePair p = new EnginePair().establish();
            p.client.forget();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            p.inject(p.client, p.forge(p.server, TcpFlags.SYN, rcvNxt - 1000, 0));
            p.inject(p.client, p.forge(p.server, TcpFlags.SYN, rcvNxt + 100_000_000, 0));
            assertEquals(TcpState.ESTABLISHED, p.client.state());
            assertEquals(2, p.client.counters.get(Counter.TCP_SYN_CHALLENGE));
            assertEquals(1, p.client.sentLog.size(), "the second within tcp_invalid_ratelimit is suppressed");
        }

        @Test
        void retransmittedSynInSynReceivedIsAnsweredWithTheSynAck() {
            // The SYN-ACK was lost and the client's SYN timer fired first: the server answers the retransmitted
            // SYN with its SYN-ACK again (Linux: tcp_check_req -> inet_rtx_syn_ack), not with a bare ACK.
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.client.conn.connect(0);
            p.advanceTo(ms(500));
            p.deliverOne(p.client);
            p.dropAll(p.server);
            p.advanceTo(sec(1)); // the client's SYN again; the server's own timer is not due until 1.5 s
            assertEquals(1, p.client.outbox.size());
            p.server.forget();
            p.deliverOne(p.client);
            assertEquals(1, p.server.sentLog.size());
            assertTrue(EnginePair.isSynAck(p.server.lastSent()), "got " + p.server.lastSent());
            p.deliverAll();
            assertEquals(TcpState.ESTABLISHED, p.client.state());
            assertEquals(TcpState.ESTABLISHED, p.server.state());
        }
    }

    @Nested
    class AckField {
        @Test
        void ackOfUnsentDataDrawsAnAckAndTheSegmentIsDropped() {
            // §3.10.7.4 fifth step: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an
            // ACK, drop the segment, and return."
            EnginePair p = new EnginePair().establish();
            p.client.forget();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            int sndNxt = p.client.conn.info(0).sndNxt();
            p.inject(p.client, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, rcvNxt, sndNxt + 100, bytes(10, 7)));
            assertEquals(rcvNxt, p.client.conn.info(0).rcvNxt(), "its data is not taken");
            assertEquals(0, p.client.conn.readable());
            assertEquals(TcpState.ESTABLISHED, p.client.state(), "nor its FIN");
            assertEquals(sndNxt, p.client.conn.info(0).sndUna());
            assertEquals(1, p.client.sentLog.size());
            assertEquals(rcvNxt, p.client.lastSent().ack);
            assertEquals(sndNxt, p.client.lastSent().seq);
        }

        @Test
        void ackOfUnsentDataInSynReceivedDrawsAReset() {
            // SYN-RECEIVED: "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>".
            EnginePair p = new EnginePair();
            EnginePair.Side s = p.reach(TcpState.SYN_RECEIVED);
            p.inject(s, p.forge(p.client, TcpFlags.ACK, 1001, 9999));
            assertEquals(TcpState.SYN_RECEIVED, s.state());
            assertEquals(TcpFlags.RST, s.lastSent().flags);
            assertEquals(9999, s.lastSent().seq);
        }

        @Test
        void segmentWithoutAckBitIsDropped() {
            EnginePair p = new EnginePair().establish();
            int rcvNxt = p.client.conn.info(0).rcvNxt();
            p.inject(p.client, p.forge(p.server, TcpFlags.PSH, rcvNxt, 0, bytes(10, 8)));
            assertEquals(rcvNxt, p.client.conn.info(0).rcvNxt(), "§3.10.7.4: 'if the ACK bit is off, drop the segment'");
            assertEquals(0, p.client.conn.readable());
        }
    }

    @org.junit.jupiter.api.Nested
    class Rfc5961AckRange {
        @Test
        void anAckFarBelowSndUnaIsDiscardedWithAChallengeAck() {
            EnginePair p = new EnginePair().establish();
            byte[] data = new byte[3000];
            p.transfer(p.client, data);
            int una = p.client.conn.info(0).sndUna();
            long challenges = p.client.counters.get(io.threeway.stats.Counter.TCP_CHALLENGE_ACK);
            p.advanceBy(EnginePair.sec(1));
            // SEG.ACK a megabyte behind, far below SND.UNA - MAX.SND.WND, carrying data: a blind injection (RFC 5961 §5.2).
            int rcvNxtBefore = p.client.conn.info(0).rcvNxt();
            p.inject(p.client, p.forge(p.server, io.threeway.wire.TcpFlags.ACK | io.threeway.wire.TcpFlags.PSH,
                    p.server.conn.info(0).sndNxt(), una - (1 << 20), "evil".getBytes()));
            assertEquals(rcvNxtBefore, p.client.conn.info(0).rcvNxt(), "the data was not accepted");
            assertEquals(challenges + 1, p.client.counters.get(io.threeway.stats.Counter.TCP_CHALLENGE_ACK));
            assertEquals(TcpState.ESTABLISHED, p.client.state());
        }

        @Test
        void anOldAckWithinTheWindowIsStillAccepted() {
            EnginePair p = new EnginePair().establish();
            p.transfer(p.client, new byte[3000]);
            int una = p.client.conn.info(0).sndUna();
            int rcvNxtBefore = p.client.conn.info(0).rcvNxt();
            p.inject(p.client, p.forge(p.server, io.threeway.wire.TcpFlags.ACK | io.threeway.wire.TcpFlags.PSH,
                    p.server.conn.info(0).sndNxt(), una - 100, "fine".getBytes()));
            assertEquals(rcvNxtBefore + 4, p.client.conn.info(0).rcvNxt(), "an old but plausible ACK does not stop the data");
        }
    }

    /** Linux's tcp_oow_rate_limited: answers to out-of-window pure segments at most every tcp_invalid_ratelimit. */
    @org.junit.jupiter.api.Nested
    class OutOfWindowRateLimit {
        @Test
        void pureSegmentsBelowTheWindowAreAnsweredAtMostEvery500ms() {
            EnginePair p = new EnginePair().establish();
            p.client.forget();
            int old = p.client.conn.info(0).rcvNxt() - 1;
            TcpSegment probe = p.forge(p.server, io.threeway.wire.TcpFlags.ACK, old, p.server.conn.info(0).rcvNxt());
            p.inject(p.client, probe);
            assertEquals(1, p.client.sentLog.size(), "the first is answered");
            p.advanceBy(EnginePair.ms(100));
            p.inject(p.client, probe);
            assertEquals(1, p.client.sentLog.size(), "the second, 100 ms later, is not");
            assertEquals(1, p.client.counters.get(io.threeway.stats.Counter.TCP_ACK_SKIPPED_SEQ));
            p.advanceBy(EnginePair.ms(450));
            p.inject(p.client, probe);
            assertEquals(2, p.client.sentLog.size(), "past 500 ms, answered again");
        }

        @Test
        void dataSegmentsAreAlwaysAnswered() {
            EnginePair p = new EnginePair().establish();
            p.client.forget();
            int old = p.client.conn.info(0).rcvNxt() - 10;
            for (int i = 0; i < 3; i++) {
                p.inject(p.client, p.forge(p.server, io.threeway.wire.TcpFlags.ACK, old - 100, p.server.conn.info(0).rcvNxt(), new byte[10]));
            }
            assertEquals(3, p.client.sentLog.size(), "old data is not an ACK loop: no limit");
        }
    }
}
