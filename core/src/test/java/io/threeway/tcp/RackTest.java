package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.tcp.recovery.Rack;
import io.threeway.tcp.sack.SackScoreboard;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RACK, RFC 8985 §6, as Linux's tcp_recovery.c: "A packet is lost if it has not been s/acked beyond the recent RTT
 * plus the reordering window" (tcp_rack_detect_loss); tcp_rack_reo_wnd ("If reordering has not been observed, be
 * aggressive during the recovery or starting the recovery by DUPACK threshold", else "allow min_rtt/4 settling
 * delay"); tcp_rack_reo_timeout ("This is timeout based retransmit"); tcp_check_sack_reordering ("Non-retransmitted
 * hole got filled? That's reordering"); tcp_rack_update_reo_wnd (a D-SACK widens the window a step).
 */
class RackTest {

    /** A scoreboard over [1000, 1000 + n * 1000) with the given blocks SACKed at {@code ack}. */
    private static SackScoreboard board(int ack, int sndMax, int... blocks) {
        SackScoreboard b = new SackScoreboard();
        b.reset(1000, sndMax, 1000, 3);
        int[] left = new int[4];
        int[] right = new int[4];
        for (int i = 0; i < blocks.length / 2; i++) {
            left[i] = blocks[2 * i];
            right[i] = blocks[2 * i + 1];
        }
        b.update(ack, sndMax, left, right, blocks.length / 2);
        return b;
    }

    @Test
    void aSegmentSentBeforeADeliveredOneIsLostOnceRackRttPlusTheWindowHasPassed() {
        Rack rack = new Rack(3);
        for (int i = 0; i < 4; i++) rack.onTransmit(1000 + i * 1000, 1000, false, false, ms(100));
        rack.onTransmit(5000, 1000, false, false, ms(110)); // sent 10 ms later
        // At 210 ms the last segment is SACKed: RACK.rtt = 100 ms, RACK.xmit_ts = 110 ms.
        SackScoreboard b = board(1000, 6000, 5000, 6000);
        rack.onAck(1000, b, 1000, 1000, ms(100), ms(210));
        long reoWnd = ms(25);
        assertFalse(rack.detectLoss(reoWnd, ms(210), false), "sent 10 ms before it: 100 + 25 - 110 = 15 ms to wait");
        assertEquals(ms(210) + ms(15) + Rack.TIMEOUT_MIN_NANOS, rack.deadline(),
                "the reordering timer: the longest wait left plus TCP_TIMEOUT_MIN");
        assertTrue(rack.detectLoss(reoWnd, ms(225), true), "tcp_rack_reo_timeout: now they are lost");
        assertEquals(5000, rack.lostEnd(), "every segment below the delivered one");
        assertEquals(4, rack.lostSegments(1000));
        assertEquals(Long.MAX_VALUE, rack.deadline());
    }

    @Test
    void theWindowIsZeroWithoutReorderingInRecoveryOrAtDupThreshElseAQuarterMinRtt() {
        Rack rack = new Rack(3);
        long minRtt = ms(40);
        long srtt = ms(50);
        assertEquals(0, rack.reoWnd(true, 0, 1, minRtt, srtt), "in recovery");
        assertEquals(0, rack.reoWnd(false, 3, 1, minRtt, srtt), "DupThresh segments SACKed");
        assertEquals(ms(10), rack.reoWnd(false, 3, 1 | Rack.NO_DUPTHRESH, minRtt, srtt), "TCP_RACK_NO_DUPTHRESH");
        assertEquals(ms(10), rack.reoWnd(false, 2, 1, minRtt, srtt), "min_rtt / 4");
        rack.onDsack();
        rack.updateReoWnd(10, 10, 1);
        assertEquals(2, rack.reoWndSteps(), "a D-SACK widens the window one step");
        assertEquals(ms(20), rack.reoWnd(false, 2, 1, minRtt, srtt));
        assertEquals(ms(10), rack.reoWnd(false, 2, 1, minRtt, ms(10)), "never more than SRTT");
    }

    @Test
    void aHoleFilledBelowTheHighestSackIsReordering() {
        Rack rack = new Rack(3);
        for (int i = 0; i < 10; i++) rack.onTransmit(1000 + i * 1000, 1000, false, false, 0);
        SackScoreboard b = board(1000, 11000, 9000, 10000);
        rack.onAck(1000, b, 1000, 1000, 0, ms(100));
        assertFalse(rack.reorderingSeen());
        int fack = b.highestSacked();
        b = board(1000, 11000, 9000, 10000, 3000, 4000);
        int degree = rack.onAck(1000, b, fack, 1000, 0, ms(101));
        assertTrue(rack.reorderingSeen(), "3000:4000 SACKed below 10000");
        assertEquals(7, degree, "tcp_check_sack_reordering: (fack - low_seq) / mss = (10000 - 3000) / 1000");
        assertEquals(7, rack.reordering());
    }

    @Test
    void aRetransmissionKeepsTheSegmentsPsh() {
        Rack rack = new Rack(3);
        rack.onTransmit(1000, 400, false, true, 0);
        rack.onTransmit(1400, 1000, false, false, 0);
        assertTrue(rack.pushedAt(1400));
        assertFalse(rack.pushedAt(2400));
        rack.onTransmit(1000, 400, true, true, ms(5));
        assertTrue(rack.pushedAt(1400), "still pushed after its resend");
    }

    /** The engine: a SACKed tail makes the hole before it lost by time, before three duplicate ACKs. */
    @Test
    void theEngineResendsAHoleWhenTheReorderingTimerExpiresWithoutThreeDuplicates() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // no tail loss probe first: RACK alone
        p.establish();
        int mss = p.client.conn.info(p.now).mss();
        p.advanceBy(ms(10));
        p.client.write(new byte[4 * mss], p.now);
        List<TcpSegment> flight = List.copyOf(p.client.outbox);
        assertEquals(4, flight.size());
        p.dropOne(p.client);                   // the first segment is lost
        for (int i = 0; i < 3; i++) p.deliverOne(p.client);
        p.client.forget();
        p.advanceBy(ms(5));
        // Only the first of the server's duplicate ACKs arrives: one SACK block, below DupThresh (RFC 6675 alone
        // would wait for the RTO).
        TcpSegment dup = p.server.outbox.poll();
        assertNotNull(dup);
        assertTrue(dup.options.sackBlocks > 0);
        p.server.outbox.clear();
        p.inject(p.client, dup);
        p.advanceBy(ms(50));
        List<TcpSegment> resent = p.client.sent(s -> s.payloadLength > 0);
        assertFalse(resent.isEmpty(), "RACK resent the hole without three duplicates");
        assertEquals(flight.get(0).seq, resent.get(0).seq);
        assertEquals(0, p.client.counters.get(Counter.TCP_TIMEOUTS), "no RTO");
        assertEquals(1, p.client.counters.get(Counter.TCP_SACK_RECOVERY), "recovery entered on RACK's mark");
    }

    @Test
    void withoutTcpRecoveryBitOneOnlyDuplicatesOrTheRtoRepair() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_recovery", "0");
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0");
        p.establish();
        int mss = p.client.conn.info(p.now).mss();
        p.advanceBy(ms(10));
        p.client.write(new byte[4 * mss], p.now);
        p.dropOne(p.client);
        for (int i = 0; i < 3; i++) p.deliverOne(p.client);
        p.client.forget();
        p.advanceBy(ms(5));
        TcpSegment dup = p.server.outbox.poll();
        p.server.outbox.clear();
        p.inject(p.client, dup);
        p.advanceBy(ms(50));
        assertTrue(p.client.sent(s -> s.payloadLength > 0).isEmpty(), "RFC 6675 alone: one duplicate is not enough");
        assertTrue((dup.flags & TcpFlags.ACK) != 0);
    }

    /**
     * The log is Linux's retransmit queue, which tcp_clean_rtx_queue empties on every cumulative ACK: before the
     * first SACK (no scoreboard yet) an ACK must still take delivered segments out, or a connection that never
     * loses anything would log every segment it ever sent.
     */
    @Test
    void aConnectionWithoutLossKeepsOnlyWhatIsInFlight() {
        EnginePair p = new EnginePair();
        p.establish();
        int mss = p.client.conn.info(p.now).mss();
        for (int round = 0; round < 20; round++) p.transfer(p.client, new byte[10 * mss]);
        Rack rack = p.client.conn.sender.rack();
        assertNotNull(rack, "a SACK connection with tcp_recovery 1 logs its segments");
        assertEquals(0, rack.segments(), "all 200 segments acknowledged: none left in the log");
    }
}
