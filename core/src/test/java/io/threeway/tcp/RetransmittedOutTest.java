package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SACK recovery's first retransmission and Linux's retrans_out: RFC 6675 (4.3) resends the first unacknowledged
 * segment, never reaching into data the peer SACKed (Linux resends the skb as it went, tcp_retransmit_skb), and
 * tcpi_retrans counts the retransmitted segments until they are acknowledged (tp->retrans_out).
 */
class RetransmittedOutTest {

    @Test
    void theFirstHoleIsResentAsItWasAndCountedUntilAcknowledged() {
        EnginePair p = new EnginePair().establish();
        int mss = p.client.conn.info(p.now).mss();
        p.client.forget();
        p.client.conn.write(new byte[100], 0, 100, p.now);
        p.client.conn.write(new byte[4 * mss], 0, 4 * mss, p.now);
        List<TcpSegment> sent = p.client.sent(s -> s.payloadLength > 0);
        assertEquals(5, sent.size(), "the short segment, then four full ones (Minshall's Nagle lets them go)");
        p.dropOne(p.client); // the 100 bytes are lost
        for (int i = 0; i < 4; i++) p.deliverOne(p.client); // the rest arrives
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server); // its ACKs SACK it
        TcpSegment again = p.client.sent(s -> s.payloadLength > 0).get(5);
        assertEquals(sent.get(0).seq, again.seq);
        assertEquals(100, again.payloadLength, "only the hole, not an MSS reaching into SACKed data");
        assertEquals(1, p.client.conn.info(p.now).retransOut(), "one retransmitted segment out");
        p.deliverAll();
        p.advanceBy(200_000_000L);
        p.deliverAll();
        assertEquals(0, p.client.conn.info(p.now).retransOut(), "acknowledged");
        assertEquals(0, p.client.conn.info(p.now).unacked());
    }
}
