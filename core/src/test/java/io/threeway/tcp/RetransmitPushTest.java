package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A retransmission keeps its original's PSH: Linux keeps the flag in the skb (tcp_mark_push; tcp_send_syn_data
 * marks a Fast Open SYN's data "TCPHDR_ACK | TCPHDR_PSH") and tcp_retransmit_skb resends the skb as it went, so
 * SACK recovery resends a pushed segment with PSH and an unpushed one without.
 */
class RetransmitPushTest {

    @Test
    void sackRecoveryResendsEachSegmentWithTheFlagsItFirstHad() {
        EnginePair p = new EnginePair().establish();
        int mss = p.client.conn.info(p.now).mss();
        p.client.write(new byte[100], p.now);
        p.client.write(new byte[6 * mss], p.now);
        List<TcpSegment> sent = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        assertEquals(7, sent.size());
        assertTrue(push(sent.get(0)), "the first write's end is pushed");
        int unpushed = -1;
        for (int i = 2; i < 6 && unpushed < 0; i++) if (!push(sent.get(i))) unpushed = i; // not next to the first
        assertTrue(unpushed > 0, "some full segment inside the second write went without PSH");
        // The pushed short segment and an unpushed full one are lost; the rest arrives and is SACKed.
        for (int i = 0; i < sent.size(); i++) {
            if (i != 0 && i != unpushed) p.inject(p.server, sent.get(i));
        }
        p.client.forget();
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server);
        for (int lost : new int[] {0, unpushed}) {
            TcpSegment original = sent.get(lost);
            List<TcpSegment> again = p.client.sent(s -> s.seq == original.seq && s.payloadLength > 0);
            assertFalse(again.isEmpty(), "segment " + lost + " was resent");
            assertEquals(original.payloadLength, again.get(0).payloadLength);
            assertEquals(push(original), push(again.get(0)), "segment " + lost + " keeps its PSH flag as it was");
        }
    }

    private static boolean push(TcpSegment s) {
        return (s.flags & TcpFlags.PSH) != 0;
    }
}
