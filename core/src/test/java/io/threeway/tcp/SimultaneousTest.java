package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.5 Figure 8 (simultaneous open) and §3.6 Figure 13 (simultaneous close). */
class SimultaneousTest {

    @Test
    void simultaneousOpenEstablishesBothSidesWithCorrectNumbers() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.server.conn.connect(0);
        // The SYNs cross.
        TcpSegment synC = p.deliverOne(p.client);
        TcpSegment synS = p.deliverOne(p.server);
        assertTrue(EnginePair.isSyn(synC) && EnginePair.isSyn(synS));
        assertEquals(TcpState.SYN_RECEIVED, p.client.state());
        assertEquals(TcpState.SYN_RECEIVED, p.server.state());
        // Each answers with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
        TcpSegment synAckC = p.deliverOne(p.client);
        TcpSegment synAckS = p.deliverOne(p.server);
        assertTrue(EnginePair.isSynAck(synAckC) && EnginePair.isSynAck(synAckS));
        assertEquals(1000, synAckC.seq);
        assertEquals(5001, synAckC.ack);
        assertEquals(5000, synAckS.seq);
        assertEquals(1001, synAckS.ack);
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertEquals(TcpState.ESTABLISHED, p.server.state());
        for (EnginePair.Side s : List.of(p.client, p.server)) {
            assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED"), s.transitions, s.name);
            assertEquals(1, s.counters.get(Counter.ACTIVE_OPENS), s.name);
            assertEquals(0, s.counters.get(Counter.PASSIVE_OPENS), s.name);
            assertEquals(1, s.counters.get(Counter.CURR_ESTAB), s.name);
            assertEquals(Long.MAX_VALUE, s.conn.nextDeadline(), s.name + ": no SYN-ACK retransmission pending");
        }
        assertEquals(synAckS.window, p.client.conn.info(0).sndWnd(), "RFC 7323 §2.2: the window in a SYN-ACK is not scaled");
        assertEquals(synAckC.window, p.server.conn.info(0).sndWnd());
        assertEquals(1001, p.client.conn.info(0).sndUna());
        assertEquals(5001, p.client.conn.info(0).rcvNxt());
        assertEquals(5001, p.server.conn.info(0).sndUna());
        assertEquals(1001, p.server.conn.info(0).rcvNxt());
        // Options were agreed symmetrically even though neither side listened.
        assertTrue(p.client.conn.info(0).timestamps() && p.server.conn.info(0).timestamps());
        assertTrue(p.client.conn.info(0).windowScaling() && p.server.conn.info(0).windowScaling());
        p.deliverAll();
        // And the connection works both ways.
        assertArrayEquals("ping".getBytes(), p.transfer(p.client, "ping".getBytes()));
        assertArrayEquals("pong".getBytes(), p.transfer(p.server, "pong".getBytes()));
    }

    /**
     * The peer's SYN-ACK in a simultaneous open repeats its SYN, one below RCV.NXT: Linux's tcp_data_queue takes it
     * for a retransmission ("Force an immediate ack") with a D-SACK block for the SYN (tcp_dsack_set, RFC 2883 §4;
     * Google's simultaneous-fast-open.pkt: "> . 1001:1001(0) ack 1 <nop,nop,sack 0:1>").
     */
    @Test
    void theSynAckOfASimultaneousOpenDrawsAnAckWithADsackForTheRepeatedSyn() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.server.conn.connect(0);
        p.deliverOne(p.client);
        p.deliverOne(p.server); // the SYNs cross
        p.dropOne(p.server);    // the server's SYN-ACK is lost
        p.deliverOne(p.client); // the client's reaches the server
        assertEquals(TcpState.ESTABLISHED, p.server.state());
        TcpSegment ack = p.server.lastSent();
        assertEquals(TcpFlags.ACK, ack.flags & (TcpFlags.ACK | TcpFlags.SYN));
        assertEquals(1001, ack.ack);
        assertEquals(1, ack.options.sackBlocks, "a D-SACK block");
        assertEquals(1000, ack.options.sackLeft[0]);
        assertEquals(1001, ack.options.sackRight[0]);
    }

    @Test
    void simultaneousOpenSurvivesALostSynAck() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.server.conn.connect(0);
        p.deliverOne(p.client);
        p.deliverOne(p.server);
        p.dropAll(p.client); // the client's SYN-ACK is lost; the server's arrives
        p.deliverOne(p.server);
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertEquals(TcpState.SYN_RECEIVED, p.server.state());
        // The client acknowledges the repeated SYN at once (with a D-SACK, as Linux's tcp_data_queue), and that ACK
        // completes the server's side without waiting for its SYN-ACK's retransmission.
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.server.state(), "the ACK of its SYN-ACK");
        assertEquals(0, p.server.counters.get(Counter.TCP_SYN_RETRANS));
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWaitOnBothSides() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.shutdownOutput(p.now);
        p.server.conn.shutdownOutput(p.now);
        TcpSegment finC = p.client.outbox.peek();
        TcpSegment finS = p.server.outbox.peek();
        assertEquals(TcpFlags.FIN | TcpFlags.ACK, finC.flags);
        assertEquals(TcpFlags.FIN | TcpFlags.ACK, finS.flags);
        assertEquals(1001, finC.seq);
        assertEquals(5001, finC.ack, "the FINs cross: neither acknowledges the other");
        assertEquals(5001, finS.seq);
        assertEquals(1001, finS.ack);
        p.deliverOne(p.client);
        p.deliverOne(p.server);
        assertEquals(TcpState.CLOSING, p.client.state());
        assertEquals(TcpState.CLOSING, p.server.state());
        TcpSegment ackC = p.deliverOne(p.client);
        TcpSegment ackS = p.deliverOne(p.server);
        assertEquals(1002, ackC.seq);
        assertEquals(5002, ackC.ack);
        assertEquals(5002, ackS.seq);
        assertEquals(1002, ackS.ack);
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        assertEquals(TcpState.TIME_WAIT, p.server.state());
        for (EnginePair.Side s : List.of(p.client, p.server)) {
            List<String> t = s.transitions;
            assertEquals(List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING", "CLOSING->TIME_WAIT"),
                    t.subList(t.size() - 3, t.size()), s.name);
        }
        long tw = p.now;
        p.advanceTo(tw + sec(60));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(TcpState.CLOSED, p.server.state());
        assertEquals(1, p.client.counters.get(Counter.TW));
        assertEquals(1, p.server.counters.get(Counter.TW));
        assertNull(p.client.conn.error());
        assertNull(p.server.conn.error());
    }

    @Test
    void simultaneousCloseWithDataInFlightDeliversEverything() {
        EnginePair p = new EnginePair().establish();
        byte[] a = new byte[5000];
        byte[] b = new byte[7000];
        new java.util.Random(3).nextBytes(a);
        new java.util.Random(4).nextBytes(b);
        p.client.write(a, p.now);
        p.server.write(b, p.now);
        p.client.conn.shutdownOutput(p.now);
        p.server.conn.shutdownOutput(p.now);
        p.deliverAll();
        assertArrayEquals(b, p.client.readAll(p.now));
        assertArrayEquals(a, p.server.readAll(p.now));
        assertTrue(p.client.conn.atEof() && p.server.conn.atEof());
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        assertEquals(TcpState.TIME_WAIT, p.server.state());
    }
}
