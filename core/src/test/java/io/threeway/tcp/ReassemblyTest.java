package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9293 §3.10.7.4 seventh step ("segments with higher beginning sequence numbers may be held"),
 * with RFC 2018 SACK blocks for what is held. Property tests are seeded: a failure names its seed.
 */
class ReassemblyTest {

    /** Sends {@code data} from client to server over a path that loses, duplicates and reorders; returns what was read. */
    private static byte[] sendOverBadPath(long seed, byte[] data, double loss, double dup) {
        Random rnd = new Random(seed);
        EnginePair p = new EnginePair().establish();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int off = 0;
        for (int round = 0; round < 200_000 && got.size() < data.length; round++) {
            if (off < data.length) off += p.client.conn.write(data, off, data.length - off, p.now);
            p.deliverUnreliably(p.client, rnd, loss, dup, true);
            p.deliverUnreliably(p.server, rnd, loss / 2, dup, true);
            got.writeBytes(p.server.readAll(p.now));
            if (p.client.outbox.isEmpty() && p.server.outbox.isEmpty()) {
                long next = Math.min(p.client.conn.nextDeadline(), p.server.conn.nextDeadline());
                p.advanceTo(Math.min(next, p.now + ms(50)));
            }
            assertNotEquals(TcpState.CLOSED, p.client.state(), "seed " + seed + ": the connection gave up");
        }
        return got.toByteArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
    void dataArrivesByteIdenticalDespiteReorderingDuplicationAndLoss(long seed) {
        byte[] data = new byte[60_000 + (int) (seed * 997)];
        new Random(~seed).nextBytes(data);
        byte[] got = sendOverBadPath(seed, data, 0.1, 0.1);
        assertEquals(data.length, got.length, "seed " + seed);
        assertArrayEquals(data, got, "seed " + seed);
    }

    @Test
    void reorderingAloneNeedsNoRetransmissionTimeout() {
        Random rnd = new Random(99);
        EnginePair p = new EnginePair().establish();
        byte[] data = new byte[8 * p.client.conn.info(0).mss()];
        rnd.nextBytes(data);
        p.client.write(data, p.now);
        p.deliverUnreliably(p.client, rnd, 0, 0, true);
        assertArrayEquals(data, p.server.readAll(p.now), "all there, in order, with no time passing");
        assertTrue(p.server.counters.get(Counter.TCP_OFO_QUEUE) > 0, "the shuffle did put something out of order");
    }

    @Test
    void sackBlocksDescribeWhatIsHeldOutOfOrder() {
        EnginePair p = new EnginePair().establish();
        assertTrue(p.server.conn.info(0).sack());
        int mss = p.client.conn.info(0).mss();
        byte[] data = new byte[4 * mss];
        new Random(5).nextBytes(data);
        p.client.write(data, p.now);
        TcpSegment s1 = p.deliverOne(p.client);
        TcpSegment s2 = p.dropOne(p.client);
        TcpSegment s3 = p.deliverOne(p.client);
        TcpSegment ack3 = p.server.lastSent();
        assertEquals(s2.seq, ack3.ack, "the cumulative ACK stops at the hole");
        assertEquals(1, ack3.options.sackBlocks);
        assertEquals(s3.seq, ack3.options.sackLeft[0]);
        assertEquals(s3.seq + s3.payloadLength, ack3.options.sackRight[0]);
        TcpSegment s4 = p.deliverOne(p.client);
        TcpSegment ack4 = p.server.lastSent();
        assertEquals(1, ack4.options.sackBlocks, "adjacent out-of-order data merges into one block");
        assertEquals(s3.seq, ack4.options.sackLeft[0]);
        assertEquals(s4.seq + s4.payloadLength, ack4.options.sackRight[0]);
        // The hole fills: no more SACK blocks, and the cumulative ACK jumps over everything.
        p.server.conn.segmentArrives(s2, p.now);
        TcpSegment ack = p.server.lastSent();
        assertEquals(0, ack.options.sackBlocks);
        assertEquals(s4.seq + s4.payloadLength, ack.ack);
        assertEquals(1001, s1.seq);
        assertArrayEquals(data, p.server.readAll(p.now));
    }

    @Test
    void twoHolesGiveTwoSackBlocks() {
        EnginePair p = new EnginePair().establish();
        int mss = p.client.conn.info(0).mss();
        p.client.write(new byte[5 * mss], p.now);
        p.dropOne(p.client);
        TcpSegment b = p.deliverOne(p.client);
        p.dropOne(p.client);
        TcpSegment d = p.deliverOne(p.client);
        TcpSegment ack = p.server.lastSent();
        assertEquals(2, ack.options.sackBlocks);
        java.util.Set<Integer> lefts = java.util.Set.of(ack.options.sackLeft[0], ack.options.sackLeft[1]);
        assertEquals(java.util.Set.of(b.seq, d.seq), lefts);
    }
}
