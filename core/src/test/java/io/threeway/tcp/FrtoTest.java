package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * F-RTO (RFC 5682 §3, SACK-enhanced; Linux's net.ipv4.tcp_frto = 2 and tcp_process_loss): after a timeout the
 * sender resends only the first segment; when the first ACK advances SND.UNA it sends new data (step 2b); when
 * the next ACK acknowledges data never retransmitted, the timeout was spurious (step 3b: tcp_try_undo_loss(sk,
 * true), TCPSpuriousRTOs and TCPLossUndo); a duplicate ACK or new SACK information shows the loss was real (step
 * 3a) and the conventional recovery resends from SND.UNA. Without timestamps, so only F-RTO can tell.
 */
class FrtoTest {

    /** A pair without timestamps; the client sent 10 segments (held here, off the wire) with 10 more queued, then timed out. */
    private static EnginePair timedOut(List<TcpSegment> held, boolean sack, String frto) {
        EnginePair p = new EnginePair();
        for (EnginePair.Side s : new EnginePair.Side[] {p.client, p.server}) {
            s.sysctls.set("net.ipv4.tcp_timestamps", "0");
            s.sysctls.set("net.ipv4.tcp_sack", sack ? "1" : "0");
            s.sysctls.set("net.ipv4.tcp_frto", frto);
            s.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // no tail loss probe: the RTO alone, as the RFC tells it
        }
        p.establish();
        p.advanceBy(ms(10));
        int mss = p.client.conn.info(p.now).mss();
        p.client.write(new byte[20 * mss], p.now);
        held.addAll(p.client.outbox);
        p.client.outbox.clear();
        assertEquals(10, held.size());
        p.advanceBy(ms(300)); // the RTO (200 ms) expires: RFC 5682 step 1 resends the first segment only
        assertEquals(1, p.client.counters.get(Counter.TCP_TIMEOUTS));
        assertEquals(1, p.client.outbox.size());
        assertEquals(held.get(0).seq, p.client.outbox.peek().seq);
        p.client.forget();
        return p;
    }

    /** Delivers {@code seg} to the server, and everything the server answers to the client. */
    private static void arrive(EnginePair p, TcpSegment seg) {
        p.inject(p.server, seg);
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server);
    }

    @Test
    void newDataFirstThenAnAckOfUnretransmittedDataUndoesTheTimeout() {
        List<TcpSegment> held = new ArrayList<>();
        EnginePair p = timedOut(held, true, "2");
        int sndMax = held.get(9).seq + held.get(9).payloadLength;
        p.dropAll(p.client); // the retransmission is not needed: the originals were only delayed
        arrive(p, held.get(0));
        // Step 2b: the ACK advanced SND.UNA; new data goes, not the next retransmissions.
        List<TcpSegment> after = p.client.sent(s -> s.payloadLength > 0);
        assertFalse(after.isEmpty(), "new data sent after the first ACK");
        for (TcpSegment s : after) assertTrue(s.seq - sndMax >= 0, "new data only, no go-back-N: " + s.seq);
        assertEquals(0, p.client.counters.get(Counter.TCP_SPURIOUS_RTOS));
        p.client.forget();
        arrive(p, held.get(1)); // never retransmitted, now acknowledged: step 3b
        assertEquals(1, p.client.counters.get(Counter.TCP_SPURIOUS_RTOS));
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_UNDO));
        assertTrue(p.client.conn.info(p.now).cwnd() >= 10, "the timeout's reduction is taken back");
        for (int i = 2; i < 10; i++) arrive(p, held.get(i));
        for (TcpSegment s : p.client.sent(x -> x.payloadLength > 0)) {
            assertTrue(s.seq - sndMax >= 0, "none of the delayed originals was resent: " + s.seq);
        }
    }

    @Test
    void aDuplicateAckAfterTheNewDataShowsTheLossWasReal() {
        List<TcpSegment> held = new ArrayList<>();
        EnginePair p = timedOut(held, true, "2");
        int sndMax = held.get(9).seq + held.get(9).payloadLength;
        p.deliverOne(p.client); // the retransmission arrives; segments 2..10 were really lost
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server);
        List<TcpSegment> fresh = new ArrayList<>(p.client.outbox);
        assertFalse(fresh.isEmpty());
        assertTrue(fresh.get(0).seq - sndMax >= 0, "step 2b sent new data");
        p.client.outbox.clear();
        p.client.forget();
        arrive(p, fresh.get(0)); // above the hole: a duplicate ACK with SACK, step 3a
        assertEquals(0, p.client.counters.get(Counter.TCP_SPURIOUS_RTOS));
        assertEquals(0, p.client.counters.get(Counter.TCP_LOSS_UNDO));
        List<TcpSegment> next = p.client.sent(s -> s.payloadLength > 0);
        assertFalse(next.isEmpty(), "the conventional recovery resends");
        assertEquals(held.get(1).seq, next.get(0).seq, "from SND.UNA: the second segment");
        assertTrue(p.client.conn.info(p.now).cwnd() < 10);
    }

    @Test
    void withoutSackTheSameStepsHold() {
        List<TcpSegment> held = new ArrayList<>();
        EnginePair p = timedOut(held, false, "2");
        p.dropAll(p.client);
        arrive(p, held.get(0));
        arrive(p, held.get(1));
        assertEquals(1, p.client.counters.get(Counter.TCP_SPURIOUS_RTOS));
    }

    @Test
    void tcpFrtoZeroGoesBackAtOnce() {
        // net.ipv4.tcp_frto = 0: the conventional go-back-N after the first ACK, no spurious-timeout detection.
        List<TcpSegment> held = new ArrayList<>();
        EnginePair p = timedOut(held, true, "0");
        p.dropAll(p.client);
        arrive(p, held.get(0));
        List<TcpSegment> after = p.client.sent(s -> s.payloadLength > 0);
        assertFalse(after.isEmpty());
        assertEquals(held.get(1).seq, after.get(0).seq, "go-back-N resends the second segment");
        arrive(p, held.get(1));
        assertEquals(0, p.client.counters.get(Counter.TCP_SPURIOUS_RTOS));
    }
}
