package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.3.2, Figure 5: every edge of the state diagram, driven through the engine's user calls,
 * arriving segments and timers. Each test names the edge it walks and checks the segment that goes with it.
 */
class StateTransitionTest {

    @Nested
    class FromClosed {
        @Test
        void closedToListenOnPassiveOpen() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            assertEquals(TcpState.LISTEN, p.server.state());
            assertEquals(List.of("CLOSED->LISTEN"), p.server.transitions);
            assertTrue(p.server.sentLog.isEmpty(), "a passive open sends nothing");
        }

        @Test
        void closedToSynSentOnActiveOpenSendsSyn() {
            EnginePair p = new EnginePair();
            p.client.conn.connect(0);
            assertEquals(TcpState.SYN_SENT, p.client.state());
            TcpSegment syn = p.client.lastSent();
            assertTrue(EnginePair.isSyn(syn));
            assertEquals(1000, syn.seq, "SEQ = ISS");
            assertEquals(1, p.client.counters.get(Counter.ACTIVE_OPENS));
        }
    }

    @Nested
    class FromListen {
        @Test
        void listenToSynReceivedOnSynSendsSynAck() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.client.conn.connect(0);
            p.deliverOne(p.client);
            assertEquals(TcpState.SYN_RECEIVED, p.server.state());
            TcpSegment synAck = p.server.lastSent();
            assertTrue(EnginePair.isSynAck(synAck));
            assertEquals(5000, synAck.seq);
            assertEquals(1001, synAck.ack);
            assertEquals(1, p.server.counters.get(Counter.PASSIVE_OPENS));
            assertEquals(0, p.server.counters.get(Counter.CURR_ESTAB));
        }

        @Test
        void listenToClosedOnClose() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.server.conn.close(0);
            assertEquals(TcpState.CLOSED, p.server.state());
            assertEquals(List.of("CLOSED->LISTEN", "LISTEN->CLOSED"), p.server.transitions);
            assertTrue(p.server.sentLog.isEmpty(), "closing a listener sends nothing");
            assertEquals(0, p.server.counters.get(Counter.ATTEMPT_FAILS));
        }

        @Test
        void listenAnswersAnAckWithResetAndStaysListening() {
            // §3.10.7.2: "Any acknowledgment is bad if it arrives on a connection still in the LISTEN state".
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.inject(p.server, p.forge(p.client, TcpFlags.ACK, 777, 4242));
            assertEquals(TcpState.LISTEN, p.server.state());
            TcpSegment rst = p.server.lastSent();
            assertEquals(TcpFlags.RST, rst.flags);
            assertEquals(4242, rst.seq, "<SEQ=SEG.ACK><CTL=RST>");
        }

        @Test
        void listenIgnoresReset() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.inject(p.server, p.forge(p.client, TcpFlags.RST, 777, 0));
            assertEquals(TcpState.LISTEN, p.server.state());
            assertTrue(p.server.sentLog.isEmpty());
        }
    }

    @Nested
    class FromSynSent {
        @Test
        void synSentToEstablishedOnSynAck() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.client.conn.connect(0);
            p.deliverOne(p.client);
            p.deliverOne(p.server);
            assertEquals(TcpState.ESTABLISHED, p.client.state());
            TcpSegment ack = p.client.lastSent();
            assertEquals(TcpFlags.ACK, ack.flags);
            assertEquals(1001, ack.seq);
            assertEquals(5001, ack.ack);
            assertEquals(1, p.client.counters.get(Counter.CURR_ESTAB));
        }

        @Test
        void synSentToSynReceivedOnBareSyn() {
            EnginePair p = new EnginePair();
            p.client.conn.connect(0);
            p.server.conn.connect(0);
            p.deliverOne(p.server); // the server's SYN reaches the client, which is in SYN-SENT
            assertEquals(TcpState.SYN_RECEIVED, p.client.state());
            TcpSegment synAck = p.client.lastSent();
            assertTrue(EnginePair.isSynAck(synAck));
            assertEquals(1000, synAck.seq, "<SEQ=ISS>");
            assertEquals(5001, synAck.ack, "<ACK=RCV.NXT>");
            assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->SYN_RECEIVED"), p.client.transitions);
        }

        @Test
        void synSentToClosedOnClose() {
            EnginePair p = new EnginePair();
            p.client.conn.connect(0);
            p.client.forget();
            p.client.conn.close(0);
            assertEquals(TcpState.CLOSED, p.client.state());
            assertTrue(p.client.sentLog.isEmpty(), "nothing to tell a peer that never answered");
            assertEquals(Long.MAX_VALUE, p.client.conn.nextDeadline(), "no SYN retransmission after close");
            assertEquals(1, p.client.counters.get(Counter.ATTEMPT_FAILS));
        }

        @Test
        void synSentToClosedOnTimeout() {
            EnginePair p = new EnginePair();
            p.client.sysctls.set("net.ipv4.tcp_syn_retries", "2");
            p.client.sysctls.set("net.ipv4.tcp_syn_linear_timeouts", "0");
            p.client.conn.connect(0);
            p.advanceBy(sec(6.999));
            assertEquals(TcpState.SYN_SENT, p.client.state());
            p.advanceBy(ms(1));
            assertEquals(TcpState.CLOSED, p.client.state(), "1 + 2 + 4 s");
            assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
            assertEquals(3, p.client.sent(EnginePair::isSyn).size());
            assertEquals(2, p.client.counters.get(Counter.TCP_SYN_RETRANS));
            assertEquals(1, p.client.counters.get(Counter.ATTEMPT_FAILS));
        }
    }

    @Nested
    class FromSynReceived {
        @Test
        void synReceivedToEstablishedOnAckOfSyn() {
            EnginePair p = new EnginePair();
            p.server.conn.listen(0);
            p.client.conn.connect(0);
            p.deliverAll();
            assertEquals(TcpState.ESTABLISHED, p.server.state());
            assertEquals(5001, p.server.conn.info(0).sndUna());
            assertEquals(Long.MAX_VALUE, p.server.conn.nextDeadline(), "the SYN-ACK's timer stops");
        }

        @Test
        void synReceivedToListenOnResetForPassiveOpen() {
            EnginePair p = new EnginePair();
            EnginePair.Side s = p.reach(TcpState.SYN_RECEIVED);
            p.inject(s, p.forge(p.client, TcpFlags.RST, 1001, 0));
            assertEquals(List.of("CLOSED->LISTEN", "LISTEN->SYN_RECEIVED", "SYN_RECEIVED->LISTEN"), s.transitions);
            assertEquals(TcpState.CLOSED, s.state(), "the clone is discarded; the listener never left LISTEN");
            assertNull(s.conn.error(), "nobody accepted this connection: nobody to tell");
            assertEquals(1, s.counters.get(Counter.ATTEMPT_FAILS));
        }

        @Test
        void synReceivedToFinWait1OnCloseAfterSimultaneousOpen() {
            EnginePair p = new EnginePair();
            p.client.conn.connect(0);
            p.server.conn.connect(0);
            p.deliverOne(p.client);
            p.deliverOne(p.server); // both SYNs crossed: both in SYN-RECEIVED, each SYN-ACK queued
            assertEquals(TcpState.SYN_RECEIVED, p.client.state());
            p.client.conn.shutdownOutput(p.now);
            assertEquals(TcpState.FIN_WAIT_1, p.client.state());
            TcpSegment fin = p.client.lastSent();
            assertTrue(fin.fin());
            assertEquals(1001, fin.seq, "the FIN follows the SYN");
            p.deliverAll();
            assertEquals(TcpState.FIN_WAIT_2, p.client.state());
            assertEquals(TcpState.CLOSE_WAIT, p.server.state());
            p.server.conn.shutdownOutput(p.now);
            p.deliverAll();
            assertEquals(TcpState.TIME_WAIT, p.client.state());
            assertEquals(TcpState.CLOSED, p.server.state());
        }

        @Test
        void synReceivedToFinWait1SurvivesLossOfTheSynAck() {
            // The FIN goes out while our SYN is unacknowledged; if the peer never saw our SYN-ACK, the
            // retransmission timer must resend the SYN-ACK (not bytes before the send buffer).
            EnginePair p = new EnginePair();
            p.client.conn.connect(0);
            p.server.conn.connect(0);
            p.deliverOne(p.client);
            p.deliverOne(p.server);
            p.dropAll(p.client);      // the client's SYN-ACK is lost
            p.client.conn.shutdownOutput(p.now);
            p.dropAll(p.client);      // and so is its FIN
            p.deliverAll();           // the server's SYN-ACK reaches the client
            p.client.forget();
            p.advanceBy(sec(1));
            assertFalse(p.client.sentLog.isEmpty(), "something is retransmitted");
            for (TcpSegment s : p.client.sentLog) assertEquals(0, s.payloadLength, "no data was ever written: " + s);
            p.deliverAll();
            p.advanceBy(sec(3));
            p.deliverAll();
            assertEquals(TcpState.FIN_WAIT_2, p.client.state());
            assertEquals(TcpState.CLOSE_WAIT, p.server.state());
        }
    }

    @Nested
    class FromEstablished {
        @Test
        void establishedToFinWait1OnCloseSendsFin() {
            EnginePair p = new EnginePair().establish();
            p.client.conn.shutdownOutput(p.now);
            assertEquals(TcpState.FIN_WAIT_1, p.client.state());
            TcpSegment fin = p.client.lastSent();
            assertEquals(TcpFlags.FIN | TcpFlags.ACK, fin.flags);
            assertEquals(1001, fin.seq);
            assertEquals(0, p.client.counters.get(Counter.CURR_ESTAB), "FIN-WAIT-1 is not counted in CurrEstab");
        }

        @Test
        void establishedToCloseWaitOnFin() {
            EnginePair p = new EnginePair().establish();
            p.client.conn.shutdownOutput(p.now);
            p.deliverOne(p.client);
            assertEquals(TcpState.CLOSE_WAIT, p.server.state());
            TcpSegment ack = p.server.lastSent();
            assertEquals(1002, ack.ack, "the FIN takes one sequence number and is acknowledged at once");
            assertEquals(1, p.server.counters.get(Counter.CURR_ESTAB), "CLOSE-WAIT counts in CurrEstab, as in Linux");
        }
    }

    @Nested
    class FromFinWait1 {
        @Test
        void finWait1ToFinWait2OnAckOfFin() {
            EnginePair p = new EnginePair().establish();
            p.client.conn.shutdownOutput(p.now);
            p.deliverOne(p.client);
            p.deliverOne(p.server);
            assertEquals(TcpState.FIN_WAIT_2, p.client.state());
            assertEquals(Long.MAX_VALUE, p.client.conn.nextDeadline(), "nothing left to retransmit; not orphaned, so no fin timeout");
        }

        @Test
        void finWait1ToClosingOnFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.CLOSING);
            assertEquals(TcpState.CLOSING, c.state());
            assertEquals(TcpState.CLOSING, p.server.state());
            assertTrue(c.transitions.contains("FIN_WAIT_1->CLOSING"));
        }

        @Test
        void finWait1ToTimeWaitOnFinAcknowledgingOurFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.FIN_WAIT_1);
            // One segment carries the peer's FIN and acknowledges ours.
            p.inject(c, p.forge(p.server, TcpFlags.FIN | TcpFlags.ACK, 5001, 1002));
            assertEquals(TcpState.TIME_WAIT, c.state());
            // Like Linux (tcp_rcv_state_process, then tcp_fin), the ACK is processed first and the FIN second,
            // so the connection passes through FIN-WAIT-2 within the one segment.
            assertEquals("FIN_WAIT_1", c.transitions.get(c.transitions.size() - 2).split("->")[0]);
            assertEquals("FIN_WAIT_2->TIME_WAIT", c.transitions.get(c.transitions.size() - 1));
            assertEquals(5002, c.lastSent().ack);
        }
    }

    @Nested
    class FromFinWait2 {
        @Test
        void finWait2ToTimeWaitOnFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.FIN_WAIT_2);
            p.server.conn.shutdownOutput(p.now);
            p.deliverOne(p.server);
            assertEquals(TcpState.TIME_WAIT, c.state());
            assertEquals(5002, c.lastSent().ack);
            assertEquals(p.now + TcpConnection.TIME_WAIT_NANOS, c.conn.nextDeadline());
        }
    }

    @Nested
    class FromCloseWait {
        @Test
        void closeWaitToLastAckOnCloseSendsFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.CLOSE_WAIT);
            c.conn.shutdownOutput(p.now);
            assertEquals(TcpState.LAST_ACK, c.state());
            assertTrue(c.lastSent().fin());
            assertEquals(0, c.counters.get(Counter.CURR_ESTAB));
        }
    }

    @Nested
    class FromClosing {
        @Test
        void closingToTimeWaitOnAckOfFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.CLOSING);
            p.inject(c, p.forge(p.server, TcpFlags.ACK, 5002, 1002));
            assertEquals(TcpState.TIME_WAIT, c.state());
        }

        @Test
        void closingRetransmitsItsFinUntilAcknowledged() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.CLOSING);
            p.advanceBy(sec(1));
            assertTrue(c.outbox.stream().anyMatch(TcpSegment::fin), "the FIN is retransmitted in CLOSING");
            p.deliverAll();
            assertEquals(TcpState.TIME_WAIT, p.client.state());
            assertEquals(TcpState.TIME_WAIT, p.server.state());
        }
    }

    @Nested
    class FromLastAck {
        @Test
        void lastAckToClosedOnAckOfFin() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.LAST_ACK);
            p.inject(c, p.forge(p.server, TcpFlags.ACK, 5002, 1002));
            assertEquals(TcpState.CLOSED, c.state());
            assertNull(c.conn.error(), "an orderly close is no error");
            assertEquals(Long.MAX_VALUE, c.conn.nextDeadline());
            assertEquals(0, c.counters.get(Counter.ESTAB_RESETS));
        }
    }

    @Nested
    class FromTimeWait {
        @Test
        void timeWaitToClosedAfterExactlySixtySeconds() {
            EnginePair p = new EnginePair();
            EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
            long entered = p.now;
            p.advanceTo(entered + sec(60) - 1);
            assertEquals(TcpState.TIME_WAIT, c.state());
            p.advanceTo(entered + sec(60));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(1, c.counters.get(Counter.TW));
            assertEquals("TIME_WAIT->CLOSED", c.transitions.get(c.transitions.size() - 1));
        }
    }
}
