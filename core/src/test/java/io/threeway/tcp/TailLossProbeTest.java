package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.recovery.TailLossProbe;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tail loss probes, RFC 8985 §7 as Linux implements it: tcp_schedule_loss_probe ("Probe timeout is 2*rtt. Add
 * minimum RTO to account for delayed ack when there's one outstanding packet ... If the RTO formula yields an
 * earlier time, then use that time"), tcp_send_loss_probe (new data if the window allows, else the last segment
 * again; TCPLossProbes) and tcp_process_tlp_ack (RFC 8985 §7.4.2: "ACK's ack. number > TLP.end_seq: Repaired the
 * single loss (Invoke congestion control to lower cwnd and ssthresh)"; a D-SACK of the probe means no loss). The
 * client sends; the path's RTT is 100 ms, so SRTT = 100 ms and the RTO is 300 ms (SRTT + TCP_RTO_MIN).
 */
class TailLossProbeTest {
    private static final long RTT = ms(100);

    /** A pair whose client measured a 100 ms RTT in the handshake (SYN at 0, SYN-ACK back at 100 ms). */
    private static EnginePair establishedWithRtt() {
        EnginePair p = new EnginePair();
        p.server.conn.listen(p.now);
        p.client.conn.connect(p.now);
        p.deliverOne(p.client);          // SYN
        p.advanceBy(RTT);
        p.deliverOne(p.server);          // SYN-ACK: the client's first RTT sample
        p.deliverAll();                  // the ACK
        assertEquals(TcpState.ESTABLISHED, p.client.conn.state());
        assertEquals(RTT, p.client.conn.info(p.now).srtt(), "the fixture's SRTT");
        p.client.forget();
        return p;
    }

    private static List<TcpSegment> dataSent(EnginePair.Side s) {
        return s.sent(seg -> seg.payloadLength > 0);
    }

    @Test
    void probeTimeoutIsTwoRttsPlusRtoMinForOnePacketAndNeverAfterTheRto() {
        long rtoMin = ms(200);
        assertEquals(ms(202), TailLossProbe.timeout(RTT, 2, rtoMin, ms(300)), "2*SRTT + TCP_TIMEOUT_MIN");
        assertEquals(ms(300), TailLossProbe.timeout(RTT, 1, rtoMin, ms(300)), "2*SRTT + rto_min = 400 ms > the RTO's 300");
        assertEquals(ms(400), TailLossProbe.timeout(RTT, 1, rtoMin, ms(1000)), "one packet: a delayed ACK's allowance");
        assertEquals(TailLossProbe.TIMEOUT_INIT_NANOS, TailLossProbe.timeout(-1, 3, rtoMin, 0), "no RTT sample: TCP_TIMEOUT_INIT");
        assertTrue(TailLossProbe.enabled(3) && TailLossProbe.enabled(4), "tcp_early_retrans 3 and 4 schedule probes");
        assertFalse(TailLossProbe.enabled(0) || TailLossProbe.enabled(2));
    }

    @Test
    void aLostTailIsProbedWithTheLastSegmentTwoRttsAfterItWasSent() {
        EnginePair p = establishedWithRtt();
        int mss = p.client.conn.info(p.now).mss();
        long sentAt = p.now;
        p.client.write(new byte[2 * mss], p.now);
        assertEquals(2, p.dropAll(p.client), "both segments are lost");
        p.client.forget();
        p.advanceTo(sentAt + ms(202) - 1);
        assertTrue(dataSent(p.client).isEmpty(), "nothing before 2*SRTT + 2 ms");
        p.advanceTo(sentAt + ms(202));
        List<TcpSegment> probe = dataSent(p.client);
        assertEquals(1, probe.size(), "one probe");
        assertEquals(p.client.conn.info(p.now).iss() + 1 + mss, probe.get(0).seq, "the last segment, not the first");
        assertEquals(mss, probe.get(0).payloadLength);
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_PROBES));
        assertEquals(0, p.client.counters.get(Counter.TCP_TIMEOUTS), "before any RTO");
        // The RTO runs again from the probe (tcp_rearm_rto after "icsk_pending = 0"): the first segment at +300 ms.
        p.dropAll(p.client);
        p.client.forget();
        p.advanceTo(sentAt + ms(202) + ms(300));
        assertEquals(1, p.client.counters.get(Counter.TCP_TIMEOUTS));
        assertEquals(p.client.conn.info(p.now).iss() + 1, dataSent(p.client).get(0).seq, "the RTO goes back to SND.UNA");
    }

    @Test
    void theProbeIsNewDataWhenThePeersWindowTakesIt() {
        EnginePair p = establishedWithRtt();
        int mss = p.client.conn.info(p.now).mss();
        int cwnd = p.client.conn.info(p.now).cwnd();
        p.client.write(new byte[(cwnd + 2) * mss], p.now);
        assertEquals(cwnd, p.dropAll(p.client), "the initial window goes and is lost");
        p.client.forget();
        p.advanceBy(ms(202));
        List<TcpSegment> probe = dataSent(p.client);
        assertEquals(1, probe.size(), "one probe, beyond the congestion window (tcp_write_xmit's push_one = 2)");
        assertEquals(p.client.conn.info(p.now).iss() + 1 + cwnd * mss, probe.get(0).seq, "new data at SND.MAX");
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_PROBES));
    }

    @Test
    void anAckBeyondTheProbeAfterARepairedLossLowersTheWindow() {
        EnginePair p = establishedWithRtt();
        int mss = p.client.conn.info(p.now).mss();
        p.client.write(new byte[2 * mss], p.now);
        p.deliverOne(p.client);
        p.dropOne(p.client);                       // the tail is lost
        p.advanceBy(ms(50));
        p.deliverAll();                            // the ACK of the first segment
        p.advanceBy(ms(300));                      // the probe resends the second
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_PROBES));
        p.deliverAll();                            // it arrives: ack = TLP.end_seq, the episode waits
        int ssthreshBefore = p.client.conn.info(p.now).ssthreshBytes();
        p.client.write(new byte[100], p.now);
        p.deliverAll();                            // acked beyond TLP.end_seq: "Repaired the single loss"
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_PROBE_RECOVERY));
        assertTrue(p.client.conn.info(p.now).ssthreshBytes() < ssthreshBefore, "ssthresh lowered");
    }

    @Test
    void aDsackOfTheProbeSaysNothingWasLost() {
        EnginePair p = establishedWithRtt();
        int mss = p.client.conn.info(p.now).mss();
        p.client.write(new byte[2 * mss], p.now);
        p.deliverOne(p.client);
        p.deliverOne(p.client);                    // both arrive...
        p.dropAll(p.server);                       // ...but the ACKs are lost
        p.advanceBy(ms(202));
        assertEquals(1, p.client.counters.get(Counter.TCP_LOSS_PROBES));
        p.deliverOne(p.client);                    // the probe: a duplicate, answered with a D-SACK
        TcpSegment dsack = p.server.outbox.peek();
        assertNotNull(dsack);
        assertTrue(dsack.options.sackBlocks > 0, "the receiver reports the duplicate (RFC 2883)");
        p.deliverAll();
        p.client.write(new byte[100], p.now);
        p.deliverAll();
        assertEquals(0, p.client.counters.get(Counter.TCP_LOSS_PROBE_RECOVERY), "no loss: no window reduction");
    }

    @Test
    void withoutEarlyRetransOnlyTheRtoRepairs() {
        EnginePair p = establishedWithRtt();
        p.client.sysctls.set(Sysctl.TCP_EARLY_RETRANS, 0);
        int mss = p.client.conn.info(p.now).mss();
        long sentAt = p.now;
        p.client.write(new byte[2 * mss], p.now);
        p.dropAll(p.client);
        p.client.forget();
        p.advanceTo(sentAt + ms(299));
        assertTrue(dataSent(p.client).isEmpty(), "no probe with tcp_early_retrans 0");
        p.advanceTo(sentAt + ms(300));
        assertEquals(p.client.conn.info(p.now).iss() + 1, dataSent(p.client).get(0).seq, "the RTO");
        assertEquals(0, p.client.counters.get(Counter.TCP_LOSS_PROBES));
    }
}
