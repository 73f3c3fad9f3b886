package io.threeway.tcp;

import io.threeway.wire.Seq;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/** RFC 3042: on each of the first two duplicate ACKs, one new segment beyond the congestion window. */
class LimitedTransmitTest {

    @Test
    void theFirstTwoDuplicateAcksEachReleaseOneNewSegment() {
        EnginePair p = new EnginePair();
        for (EnginePair.Side side : new EnginePair.Side[] {p.client, p.server}) side.sysctls.set("net.ipv4.tcp_sack", "0");
        p.establish();
        p.transfer(p.client, new byte[10]); // the peer's scaled window is known: later ACKs are true duplicates
        int mss = p.client.conn.info(0).mss();
        int cwnd = p.client.conn.info(0).cwndBytes();
        p.client.write(new byte[cwnd + 4 * mss], p.now);
        int inFlight = p.client.outbox.size();
        assertEquals(cwnd / mss, inFlight, "the window is full and data waits");
        TcpSegment lost = p.dropOne(p.client);
        p.client.forget();

        p.deliverOne(p.client);                       // segment 2 arrives: the first duplicate ACK comes back
        TcpSegment dup1 = p.deliverOne(p.server);
        assertEquals(lost.seq, dup1.ack);
        assertEquals(1, p.client.sentLog.size(), "limited transmit: one new segment on the first duplicate ACK");
        assertTrue(Seq.geq(p.client.lastSent().seq, lost.seq + inFlight * mss), "and it is new data");

        p.deliverOne(p.client);
        p.deliverOne(p.server);                       // the second duplicate ACK
        assertEquals(2, p.client.sentLog.size(), "one more on the second");

        p.deliverOne(p.client);
        p.deliverOne(p.server);                       // the third: fast retransmit, no more limited transmit
        assertEquals(lost.seq, p.client.lastSent().seq, "the third duplicate ACK retransmits the lost segment");
    }
}
