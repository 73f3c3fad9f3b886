package io.threeway.tcp;

import io.threeway.wire.Seq;
import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.8.6: the window, zero-window probing (§3.8.6.1, Linux's tcp_probe_timer) and silly window
 * syndrome avoidance at the receiver (§3.8.6.2.2). The client is a receiver with a small buffer.
 */
class FlowControlTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** A pair whose client has a 4 KiB SO_RCVBUF (2 KiB of window) and does not read. */
    private static EnginePair smallReceiver() {
        EnginePair p = new EnginePair();
        p.client.conn.options().rcvBuf = 4096;
        // Probes are out-of-window pure segments, whose answers Linux rate-limits (tcp_invalid_ratelimit, tested in
        // AcceptabilityTest); here every probe should be seen answered, so the limit is off.
        p.client.sysctls.set("net.ipv4.tcp_invalid_ratelimit", "0");
        return p.establish();
    }

    /** Runs timers and deliveries until the client advertises a zero window and the server has stopped. */
    private static void fillWindow(EnginePair p, byte[] data) {
        p.server.write(data, p.now);
        for (int i = 0; i < 20 && !(p.client.conn.info(0).rcvWnd() == 0 && p.server.conn.info(0).sndWnd() == 0); i++) {
            p.deliverAll();
            if (p.client.conn.info(0).rcvWnd() != 0) p.advanceTo(p.server.conn.nextDeadline());
        }
        assertEquals(0, p.client.conn.info(0).rcvWnd());
        assertEquals(0, p.server.conn.info(0).sndWnd());
    }

    @Test
    void zeroWindowStopsTheSenderAndPersistProbesBackOffAndAreAnswered() {
        EnginePair p = smallReceiver();
        byte[] data = bytes(10_000);
        fillWindow(p, data);
        int held = p.client.conn.readable();
        int unoffered = p.client.conn.info(0).rcvSpace() - held;
        assertTrue(unoffered < Math.min(p.client.conn.info(0).advMss(), p.client.conn.info(0).rcvSpace() / 2),
                "the window is zero because the space left (" + unoffered + ") is too small to offer");
        assertEquals("persist", p.server.conn.info(0).timer());
        int sndUna = p.server.conn.info(0).sndUna();
        List<Long> probeTimes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p.advanceTo(p.server.conn.nextDeadline());
            assertEquals(1, p.server.outbox.size());
            TcpSegment probe = p.deliverOne(p.server);
            assertEquals(0, probe.payloadLength, "a probe carries no data");
            assertEquals(sndUna - 1, probe.seq, "Linux's probe: SEG.SEQ = SND.UNA - 1, which the receiver must ACK");
            TcpSegment answer = p.deliverOne(p.client);
            assertNotNull(answer, "every probe is answered");
            assertEquals(0, answer.window);
            assertEquals(p.client.conn.info(0).rcvNxt(), answer.ack);
            probeTimes.add(p.now);
        }
        for (int i = 2; i < probeTimes.size(); i++) {
            long a = probeTimes.get(i - 1) - probeTimes.get(i - 2);
            long b = probeTimes.get(i) - probeTimes.get(i - 1);
            assertEquals(2 * a, b, "the persist timer backs off exponentially");
        }
        assertEquals(held, p.client.conn.readable(), "no data slipped into a zero window");
        assertEquals(sndUna, p.server.conn.info(0).sndUna());
        assertEquals(TcpState.ESTABLISHED, p.server.state(), "answered probes never time out");
        assertTrue(p.client.counters.get(Counter.TCP_TO_ZERO_WINDOW_ADV) >= 1);

        // The application reads: the window reopens and the transfer completes.
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int round = 0; round < 1000 && got.size() < data.length; round++) {
            got.writeBytes(p.client.readAll(p.now));
            p.deliverAll();
            if (p.client.conn.readable() == 0 && p.client.outbox.isEmpty() && p.server.outbox.isEmpty()) {
                p.advanceBy(ms(10));
            }
        }
        assertArrayEquals(data, got.toByteArray());
        assertTrue(p.client.counters.get(Counter.TCP_FROM_ZERO_WINDOW_ADV) >= 1);
    }

    @Test
    void readingALittleDoesNotOpenATinyWindow() {
        EnginePair p = smallReceiver();
        fillWindow(p, bytes(10_000));
        p.client.forget();
        byte[] buf = new byte[100];
        assertEquals(100, p.client.conn.read(buf, 0, 100, p.now));
        assertTrue(p.client.sentLog.isEmpty(), "100 bytes free is no reason for a window update");
        // The next probe's answer still says zero (§3.8.6.2.2: do not advertise a small window).
        p.advanceTo(p.server.conn.nextDeadline());
        p.deliverAll();
        assertEquals(0, p.client.lastSent().window);
        // Once half the buffer is free the window opens, in one step.
        int half = p.client.conn.info(0).rcvSpace() / 2;
        byte[] more = new byte[half];
        p.client.conn.read(more, 0, half, p.now);
        TcpSegment update = p.client.lastSent();
        int offered = update.window << p.client.conn.info(0).rcvWscale();
        assertTrue(offered >= Math.min(half, p.client.conn.info(0).advMss()), "window update offers " + offered);
    }

    @Test
    void rightEdgeOnlyEverAdvancesInLargeSteps() {
        // Receiver-side SWS avoidance over a whole transfer with a reader that takes small bites: whenever the
        // advertised right edge (ACK + window) moves forward, it moves by at least min(buffer/2, MSS).
        EnginePair p = smallReceiver();
        byte[] data = bytes(30_000);
        int off = 0;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] bite = new byte[97];
        for (int round = 0; round < 100_000 && got.size() < data.length; round++) {
            if (off < data.length) off += p.server.conn.write(data, off, data.length - off, p.now);
            p.deliverAll();
            int n = p.client.conn.read(bite, 0, bite.length, p.now);
            if (n > 0) got.write(bite, 0, n);
            if (n <= 0 && p.client.outbox.isEmpty() && p.server.outbox.isEmpty()) {
                p.advanceTo(Math.min(p.server.conn.nextDeadline(), p.now + ms(10)));
            }
        }
        assertArrayEquals(data, got.toByteArray());
        int step = Math.min(p.client.conn.info(0).rcvSpace() / 2, p.client.conn.info(0).advMss());
        int scale = p.client.conn.info(0).rcvWscale();
        long edge = Long.MIN_VALUE;
        for (TcpSegment s : p.client.sentLog) {
            if (s.syn() || s.rst()) continue;
            long right = Integer.toUnsignedLong(s.ack) + ((long) s.window << scale);
            if (edge != Long.MIN_VALUE && right > edge) {
                assertTrue(right - edge >= step, "the right edge crept forward by " + (right - edge) + " < " + step);
            }
            edge = Math.max(edge, right);
        }
    }

    @Test
    void senderNeverExceedsTheOfferedWindow() {
        EnginePair p = smallReceiver();
        p.server.write(bytes(10_000), p.now);
        int right = p.server.conn.info(0).sndUna() + p.server.conn.info(0).sndWnd();
        for (TcpSegment s : p.server.outbox) {
            assertTrue(Seq.leq(s.seq + s.payloadLength, right), "segment " + s + " beyond the right edge " + right);
        }
        assertTrue(p.server.conn.notSent() > 0, "the rest waits for the window");
    }

    @Test
    void afterTheQuickAckPhaseASingleSegmentIsAcknowledgedByTheDelayedAckTimer() {
        // RFC 9293 §3.8.6.3 / RFC 5681 §4.2 with Linux's numbers: 16 quick ACKs (TCP_MAX_QUICKACKS), then a lone
        // small segment waits for the delayed-ACK timer (40 ms, TCP_ATO_MIN).
        EnginePair p = new EnginePair().establish();
        for (int i = 0; i < 16; i++) {
            p.client.write(new byte[10], p.now);
            p.deliverOne(p.client);
            assertEquals(1, p.server.outbox.size(), "quick ACK " + (i + 1));
            p.deliverAll();
        }
        p.client.write(new byte[10], p.now);
        p.deliverOne(p.client);
        assertTrue(p.server.outbox.isEmpty(), "the 17th small segment is not acknowledged at once");
        long t = p.now;
        p.advanceTo(p.server.conn.nextDeadline());
        assertEquals(ms(40), p.now - t);
        assertEquals(1, p.server.outbox.size());
        assertEquals(1, p.server.counters.get(Counter.DELAYED_ACKS));
    }
}
