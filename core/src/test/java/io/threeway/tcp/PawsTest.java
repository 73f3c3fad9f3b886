package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/** RFC 7323 §5: Protection Against Wrapped Sequences, and Linux's PAWSEstab / PAWSActive counters. */
class PawsTest {

    @Test
    void anOldTimestampIsRejectedEvenWhenTheSequenceNumberFits() {
        EnginePair p = new EnginePair().establish();
        p.transfer(p.server, new byte[2000]);
        p.advanceBy(EnginePair.ms(500));
        p.client.forget();
        int rcvNxt = p.client.conn.info(0).rcvNxt();
        // A segment from "the past": in-window sequence number, but a timestamp well behind TS.Recent, as an old
        // duplicate from a previous wrap of the sequence space would carry.
        TcpSegment old = p.forge(p.server, TcpFlags.ACK | TcpFlags.PSH, rcvNxt, p.server.conn.info(0).rcvNxt(), "stale".getBytes());
        old.options.tsVal = p.client.conn.info(0).tsRecent() - 1000;
        p.inject(p.client, old);
        assertEquals(rcvNxt, p.client.conn.info(0).rcvNxt(), "the data was not accepted");
        assertEquals(1, p.client.counters.get(Counter.PAWS_ESTAB));
        assertEquals(1, p.client.sentLog.size(), "an ACK answers it (RFC 7323 §5.3 R1)");

        // The same segment with a current timestamp is accepted.
        TcpSegment fresh = p.forge(p.server, TcpFlags.ACK | TcpFlags.PSH, rcvNxt, p.server.conn.info(0).rcvNxt(), "fresh".getBytes());
        fresh.options.tsVal = p.client.conn.info(0).tsRecent() + 10;
        p.inject(p.client, fresh);
        assertEquals(rcvNxt + 5, p.client.conn.info(0).rcvNxt());
    }

    @Test
    void aTimestampOneBehindIsStillAcceptedAsLinuxAllows() {
        EnginePair p = new EnginePair().establish();
        int rcvNxt = p.client.conn.info(0).rcvNxt();
        TcpSegment seg = p.forge(p.server, TcpFlags.ACK | TcpFlags.PSH, rcvNxt, p.server.conn.info(0).rcvNxt(), "x".getBytes());
        seg.options.tsVal = p.client.conn.info(0).tsRecent() - 1; // TCP_PAWS_WINDOW = 1
        p.inject(p.client, seg);
        assertEquals(rcvNxt + 1, p.client.conn.info(0).rcvNxt());
        assertEquals(0, p.client.counters.get(Counter.PAWS_ESTAB));
    }

    @Test
    void aSynAckEchoingATimestampWeNeverSentIsReset() {
        EnginePair p = new EnginePair();
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment syn = p.client.outbox.poll();
        p.advanceBy(EnginePair.ms(5));
        TcpSegment synAck = p.forge(p.server, TcpFlags.SYN | TcpFlags.ACK, 7777, syn.seq + 1);
        synAck.options.timestamps = true;
        synAck.options.tsVal = 1;
        synAck.options.tsEcr = syn.options.tsVal - 5000; // from before this connection's first SYN
        p.client.forget();
        p.inject(p.client, synAck);
        assertEquals(TcpState.SYN_SENT, p.client.state(), "still waiting for the real SYN-ACK");
        assertEquals(1, p.client.counters.get(Counter.PAWS_ACTIVE));
        assertTrue((p.client.lastSent().flags & TcpFlags.RST) != 0, "the old SYN-ACK is reset");
    }
}
