package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6298 (the retransmission timer, Karn's algorithm), RFC 5681 §3.2 (fast retransmit), and Linux's
 * limits on how long to keep trying (tcp_retries2, tcp_synack_retries).
 */
class RetransmissionTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** Timestamps off on both sides: RTT is measured Karn's way, one timed segment at a time. */
    private static EnginePair withoutTimestamps() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_timestamps", "0");
        p.server.sysctls.set("net.ipv4.tcp_timestamps", "0");
        return p;
    }

    /** Drops everything the client sends from now on, advancing timer by timer; returns the send times. */
    private static List<Long> dropClientUntilClosed(EnginePair p, long limit) {
        List<Long> sends = new ArrayList<>();
        while (p.client.state() != TcpState.CLOSED && p.now < limit) {
            while (!p.client.outbox.isEmpty()) {
                p.dropOne(p.client);
                sends.add(p.now);
            }
            p.advanceTo(p.client.conn.nextDeadline());
        }
        return sends;
    }

    @Test
    void lostDataIsRetransmittedAfterTheRtoWithExponentialBackoff() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        long rto = p.client.conn.info(0).rto();
        long t0 = p.now;
        p.client.write(bytes(100), p.now);
        TcpSegment original = p.client.outbox.peek();
        List<Long> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TcpSegment s = p.dropOne(p.client);
            assertEquals(original.seq, s.seq, "always the same bytes");
            assertEquals(100, s.payloadLength);
            sends.add(p.now - t0);
            p.advanceTo(p.client.conn.nextDeadline());
        }
        assertEquals(List.of(0L, rto, 3 * rto, 7 * rto, 15 * rto), sends, "RFC 6298 §5.5: the timer doubles each time");
        assertEquals(5, p.client.counters.get(Counter.TCP_TIMEOUTS));
        assertEquals(5, p.client.counters.get(Counter.RETRANS_SEGS), "the fifth is on its way");
        assertEquals(5, p.client.conn.info(0).backoff(), "five expirations, five doublings");
        // The retransmission gets through: everything is acknowledged and the backoff is forgotten.
        p.deliverAll();
        assertArrayEquals(bytes(100), p.server.readAll(p.now));
        assertEquals(0, p.client.conn.info(0).unacked());
        assertEquals(0, p.client.conn.info(0).backoff());
        assertEquals(rto, p.client.conn.info(0).rto());
    }

    @Test
    void karnTakesNoRttSampleFromARetransmittedSegment() {
        EnginePair p = withoutTimestamps().establish();
        assertFalse(p.client.conn.info(0).timestamps());
        long srtt = p.client.conn.info(0).srtt();
        p.client.write(bytes(100), p.now);
        p.dropAll(p.client);
        p.advanceTo(p.client.conn.nextDeadline()); // the retransmission
        p.deliverOne(p.client);
        p.advanceBy(ms(300)); // its ACK comes back late; timing it against either send would be wrong
        p.deliverAll();
        assertEquals(0, p.client.conn.info(0).unacked());
        assertEquals(srtt, p.client.conn.info(0).srtt(), "Karn: no sample from an ambiguous acknowledgment");
        // A segment sent once is timed.
        p.client.write(bytes(50), p.now);
        p.deliverOne(p.client);
        p.advanceBy(ms(80));
        p.deliverAll();
        assertNotEquals(srtt, p.client.conn.info(0).srtt());
        assertTrue(p.client.conn.info(0).srtt() > ms(1), "the 80 ms sample was folded in: srtt " + p.client.conn.info(0).srtt());
    }

    @Test
    void srttAndRttvarFollowRfc6298FromKnownSamples() {
        EnginePair p = withoutTimestamps();
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        p.deliverOne(p.client);
        p.advanceTo(ms(100));
        p.deliverOne(p.server);               // SYN-ACK after 100 ms: R = 100 ms
        assertEquals(ms(100), p.client.conn.info(0).srtt(), "§2.2: SRTT <- R");
        assertEquals(ms(50), p.client.conn.info(0).rttvar(), "§2.2: RTTVAR <- R/2");
        assertEquals(ms(300), p.client.conn.info(0).rto(), "SRTT + max(4*RTTVAR, 200 ms)");
        p.deliverAll();
        p.client.write(bytes(100), p.now);
        p.deliverOne(p.client);
        p.advanceBy(ms(60));
        p.deliverAll();                        // R' = 60 ms
        assertEquals((3 * ms(50) + ms(40)) / 4, p.client.conn.info(0).rttvar(), "§2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|");
        assertEquals((7 * ms(100) + ms(60)) / 8, p.client.conn.info(0).srtt(), "§2.3: SRTT <- 7/8 SRTT + 1/8 R'");
        assertEquals(ms(95) + ms(200), p.client.conn.info(0).rto(), "4*RTTVAR = 190 ms is below the 200 ms floor");
    }

    @Test
    void rtoHasA200msFloorAndFollowsTcpRtoMin() {
        EnginePair p = new EnginePair().establish();
        // Back to back, the RTT is (almost) nothing; the RTO is still 200 ms (Linux's TCP_RTO_MIN).
        assertTrue(p.client.conn.info(0).srtt() < ms(1));
        assertTrue(p.client.conn.info(0).rto() >= ms(200) && p.client.conn.info(0).rto() < ms(201), "rto " + p.client.conn.info(0).rto());
        EnginePair q = new EnginePair();
        q.client.sysctls.set("net.ipv4.tcp_rto_min_us", "50000");
        q.client.conn = new TcpConnection(q.client, q.client.conn.tuple(), new ConnectionOptions());
        q.establish();
        assertTrue(q.client.conn.info(0).rto() >= ms(50) && q.client.conn.info(0).rto() < ms(51), "rto " + q.client.conn.info(0).rto());
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitBeforeTheTimer() {
        // RFC 5681's Reno arithmetic: without SACK (RFC 6675 recovery is tested in SackRecoveryEngineTest) and with
        // NewReno's window (CUBIC's multiplicative decrease is 0.7, not 0.5).
        EnginePair p = new EnginePair();
        for (EnginePair.Side side : new EnginePair.Side[] {p.client, p.server}) {
            side.sysctls.set("net.ipv4.tcp_sack", "0");
            side.sysctls.set("net.ipv4.tcp_congestion_control", "reno");
        }
        p.establish();
        // One exchange first, so the client has seen the server's scaled window: an ACK that changes the
        // window is not a duplicate (RFC 5681 §2 condition (e); Linux's FLAG_WIN_UPDATE).
        p.transfer(p.client, bytes(10));
        int mss = p.client.conn.info(0).mss();
        byte[] data = bytes(6 * mss);
        p.client.write(data, p.now);
        assertEquals(6, p.client.outbox.size());
        TcpSegment lost = p.dropOne(p.client);
        p.client.forget();
        int cwnd = p.client.conn.info(0).cwndBytes();
        for (int i = 0; i < 3; i++) {
            p.deliverOne(p.client);
            TcpSegment dup = p.deliverOne(p.server);
            assertEquals(lost.seq, dup.ack, "duplicate ACK " + (i + 1));
        }
        assertEquals(1, p.client.sentLog.size(), "the third duplicate ACK retransmits at once, no timer involved");
        TcpSegment rtx = p.client.lastSent();
        assertEquals(lost.seq, rtx.seq);
        assertEquals(mss, rtx.payloadLength);
        assertEquals(1, p.client.counters.get(Counter.TCP_FAST_RETRANS));
        assertEquals(1, p.client.counters.get(Counter.TCP_RENO_RECOVERY));
        assertEquals(0, p.client.counters.get(Counter.TCP_TIMEOUTS));
        // RFC 5681 eq. 4 halves FlightSize; Linux halves cwnd (tcp_reno_ssthresh, via tcp_init_cwnd_reduction)
        assertEquals(cwnd / 2, p.client.conn.info(0).ssthreshBytes(), "tcp_reno_ssthresh: ssthresh = cwnd/2");
        assertEquals(cwnd / 2 + 3 * mss, p.client.conn.info(0).cwndBytes(), "cwnd = ssthresh + 3*SMSS");
        p.deliverAll();
        assertArrayEquals(data, p.server.readAll(p.now));
        assertEquals(0, p.client.conn.info(0).unacked());
        assertEquals(cwnd / 2, p.client.conn.info(0).cwndBytes(), "RFC 6582: deflate to ssthresh on the full ACK");
    }

    @Test
    void silentPeerTimesOutAfter924point6sWithRetries2Of15() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        p.server.conn.write(bytes(10), 0, 10, p.now);
        p.deliverAll();
        long t0 = p.now;
        p.client.write(bytes(1000), p.now);
        List<Long> sends = dropClientUntilClosed(p, sec(2000));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        double elapsed = (p.now - t0) / 1e9;
        assertTrue(elapsed >= 924.6 && elapsed < 925.0, "gave up after " + elapsed + " s");
        assertEquals(16, sends.size(), "the original and tcp_retries2 = 15 retransmissions");
        assertEquals(15, p.client.counters.get(Counter.RETRANS_SEGS));
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_TIMEOUT));
        assertEquals(1, p.client.counters.get(Counter.ESTAB_RESETS));
        assertTrue(p.client.sent(TcpSegment::rst).isEmpty(), "the peer is unreachable: no RST");
    }

    @Test
    void silentPeerTimesOutAfter12point6sWithRetries2Of5() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_retries2", "5");
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        long t0 = p.now;
        p.client.write(bytes(1000), p.now);
        List<Long> sends = dropClientUntilClosed(p, sec(100));
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        double elapsed = (p.now - t0) / 1e9;
        assertTrue(elapsed >= 12.6 && elapsed < 12.7, "gave up after " + elapsed + " s");
        assertEquals(6, sends.size());
    }

    @Test
    void timeoutIsMeasuredFromTheFirstRetransmittedSegmentsOriginalSend() {
        // Data that was acknowledged earlier does not count: the clock starts when the segment that is
        // eventually retransmitted was first sent (Linux's retrans_stamp).
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_retries2", "5");
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // RFC 6298's timer alone: no tail loss probe before it (tcp_early_retrans 0; TailLossProbeTest has the probe)
        p.establish();
        p.client.write(bytes(100), p.now);
        p.deliverAll();
        p.advanceBy(sec(30));
        long t0 = p.now;
        p.client.write(bytes(100), p.now);
        dropClientUntilClosed(p, sec(200));
        double elapsed = (p.now - t0) / 1e9;
        assertTrue(elapsed >= 12.6 && elapsed < 12.7, "gave up after " + elapsed + " s");
    }

    @Test
    void synAckIsRetransmittedTcpSynackRetriesTimesThenTheHalfOpenConnectionIsDropped() {
        EnginePair p = new EnginePair();
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        p.deliverOne(p.client);
        List<Long> synAcks = new ArrayList<>();
        while (p.server.state() == TcpState.SYN_RECEIVED && p.now < sec(200)) {
            p.dropAll(p.client);
            while (!p.server.outbox.isEmpty()) {
                assertTrue(EnginePair.isSynAck(p.dropOne(p.server)));
                synAcks.add(p.now / 1_000_000_000L);
            }
            p.advanceTo(p.server.conn.nextDeadline());
        }
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 31L), synAcks, "tcp_synack_retries = 5, doubling from 1 s");
        assertEquals(sec(63), p.now, "dropped when the fifth retransmission's timer expires");
        assertTrue(p.server.transitions.contains("SYN_RECEIVED->LISTEN"));
        assertEquals(TcpState.CLOSED, p.server.state());
        assertEquals(5, p.server.counters.get(Counter.TCP_SYN_RETRANS));
        assertEquals(1, p.server.counters.get(Counter.ATTEMPT_FAILS));
        assertEquals(Long.MAX_VALUE, p.server.conn.nextDeadline());
    }

    @Test
    void tcpSynackRetriesIsHonoured() {
        EnginePair p = new EnginePair();
        p.server.sysctls.set("net.ipv4.tcp_synack_retries", "2");
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        p.deliverOne(p.client);
        while (p.server.state() == TcpState.SYN_RECEIVED) {
            p.dropAll(p.client);
            p.dropAll(p.server);
            p.advanceTo(p.server.conn.nextDeadline());
        }
        assertEquals(sec(7), p.now);
        assertEquals(3, p.server.sent(EnginePair::isSynAck).size());
    }
}
