package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.10.7.4, "eighth, check the FIN bit", in every synchronized state. */
class FinArrivalTest {

    @Test
    void finInEstablishedEntersCloseWaitAndReadsEndInEof() {
        EnginePair p = new EnginePair().establish();
        byte[] data = "last words".getBytes();
        // Data and FIN in one segment.
        p.inject(p.client, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN | TcpFlags.PSH, 5001, 1001, data));
        assertEquals(TcpState.CLOSE_WAIT, p.client.state());
        TcpSegment ack = p.client.lastSent();
        assertEquals(5001 + data.length + 1, ack.ack, "the ACK covers the data and the FIN");
        assertFalse(p.client.conn.atEof(), "EOF only after the data is read");
        assertArrayEquals(data, p.client.readAll(p.now));
        assertTrue(p.client.conn.atEof());
        assertEquals(-1, p.client.conn.read(new byte[8], 0, 8, p.now));
        assertTrue(p.client.conn.writable() > 0, "CLOSE-WAIT: our side may still send");
    }

    @Test
    void finWithAckOfOurSynInSynReceivedEntersCloseWait() {
        EnginePair p = new EnginePair();
        EnginePair.Side s = p.reach(TcpState.SYN_RECEIVED);
        p.inject(s, p.forge(p.client, TcpFlags.ACK | TcpFlags.FIN, 1001, 5001));
        assertEquals(TcpState.CLOSE_WAIT, s.state());
        assertTrue(s.transitions.contains("SYN_RECEIVED->ESTABLISHED"));
        assertEquals(1002, s.lastSent().ack);
    }

    @Test
    void finInFinWait1WithoutAckOfOurFinEntersClosing() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.FIN_WAIT_1);
        p.inject(c, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, 5001, 1001));
        assertEquals(TcpState.CLOSING, c.state());
        assertEquals(5002, c.lastSent().ack);
    }

    @Test
    void finInFinWait2EntersTimeWait() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.FIN_WAIT_2);
        p.inject(c, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, 5001, 1002));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(5002, c.lastSent().ack);
        assertEquals(p.now + TcpConnection.TIME_WAIT_NANOS, c.conn.nextDeadline(), "2 MSL starts now");
    }

    @ParameterizedTest
    @EnumSource(names = {"CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
    void retransmittedFinIsAcknowledgedAgain(TcpState state) {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(state);
        c.forget();
        int rcvNxt = c.conn.info(0).rcvNxt();
        // The peer's FIN again (our ACK of it was lost), with the ACK field it had the first time.
        p.inject(c, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, rcvNxt - 1, 1001));
        assertEquals(state, c.state());
        assertEquals(1, c.sentLog.size());
        TcpSegment ack = c.lastSent();
        assertEquals(TcpFlags.ACK, ack.flags);
        assertEquals(rcvNxt, ack.ack);
    }

    @Test
    void retransmittedFinInTimeWaitRestartsTheTwoMslTimer() {
        EnginePair p = new EnginePair();
        EnginePair.Side c = p.reach(TcpState.TIME_WAIT);
        long entered = p.now;
        p.advanceBy(sec(30));
        p.inject(c, p.forge(p.server, TcpFlags.ACK | TcpFlags.FIN, c.conn.info(0).rcvNxt() - 1, 1002));
        long restarted = p.now;
        p.advanceTo(entered + sec(60));
        assertEquals(TcpState.TIME_WAIT, c.state(), "the first 2 MSL no longer applies");
        p.advanceTo(restarted + sec(60) - 1);
        assertEquals(TcpState.TIME_WAIT, c.state());
        p.advanceTo(restarted + sec(60));
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void outOfOrderFinWaitsForTheHoleToFill() {
        EnginePair p = new EnginePair().establish();
        byte[] data = new byte[3000];
        Arrays.fill(data, (byte) 7);
        p.client.write(data, p.now);
        p.client.conn.shutdownOutput(p.now);
        // Minshall's Nagle lets the short tail go with the full segments (tcp_nagle_check), so the FIN goes alone.
        assertEquals(4, p.client.outbox.size(), "1448 + 1448 + 104, then the FIN");
        assertTrue(p.client.outbox.peekLast().fin());
        p.dropOne(p.client);     // the first segment is lost
        p.deliverOne(p.client);
        p.deliverOne(p.client);
        p.deliverOne(p.client);  // the FIN arrives ahead of the hole
        assertEquals(TcpState.ESTABLISHED, p.server.state(), "a FIN beyond RCV.NXT is not yet in order");
        assertEquals(1001, p.server.lastSent().ack, "the ACK still points at the hole");
        assertFalse(p.server.conn.atEof());
        assertEquals(0, p.server.conn.readable());
        p.dropAll(p.server);
        p.advanceTo(p.client.conn.nextDeadline()); // the tail loss probe (RFC 8985 §7): the last segment, the FIN
        assertTrue(p.client.lastSent().fin(), "the probe resends the tail, not the hole");
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.server.state(), "the hole is still there");
        p.advanceTo(p.client.conn.nextDeadline()); // RTO: the first segment again
        p.deliverAll();
        assertEquals(TcpState.CLOSE_WAIT, p.server.state());
        assertArrayEquals(data, p.server.readAll(p.now));
        assertTrue(p.server.conn.atEof());
        assertEquals(TcpState.FIN_WAIT_2, p.client.state());
        assertTrue(p.server.counters.get(Counter.TCP_OFO_QUEUE) >= 1);
    }
}
