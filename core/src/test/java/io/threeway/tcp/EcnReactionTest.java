package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.tcp.recovery.CaState;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ECN's reaction on the data path (RFC 3168 §6.1.2 and §6.1.3) as Linux does it: the receiver of a CE-marked
 * segment echoes ECE on every segment until CWR arrives (tcp_ecn_check_ce, tcp_ecn_send, tcp_ecn_accept_cwr) and
 * acknowledges at once (tcp_enter_quickack_mode); the sender of the data enters CWR on the ECE (tcp_enter_cwr):
 * ssthresh from the congestion control, the window brought down by PRR (tcp_cwnd_reduction), CWR on its next new
 * segment (tcp_ecn_queue_cwr), at most one reduction per window, and tcp_end_cwnd_reduction once SND.UNA passes the
 * SND.NXT the reduction began at.
 */
class EcnReactionTest {
    private static final int CE = 3;

    /** A pair that agreed to ECN (the client asks, tcp_ecn = 1; the server accepts with Linux's default 2). */
    private static EnginePair ecnPair() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.establish();
        assertTrue(p.client.conn.info(0).ecn() && p.server.conn.info(0).ecn(), "precondition: ECN agreed");
        return p;
    }

    @Test
    void aCeMarkedSegmentIsEchoedWithEceUntilCwrArrives() {
        EnginePair p = ecnPair();
        int mss = p.client.conn.info(0).mss();
        p.transfer(p.client, new byte[40 * mss]);      // past the first quick ACKs (TCP_MAX_QUICKACKS)
        assertTrue(p.server.conn.info(p.now).ecnSeen(), "ECT(0) data arrived: TCPI_OPT_ECN_SEEN");
        p.client.write(new byte[mss], p.now);
        p.server.forget();
        p.deliverOne(p.client);
        assertEquals(0, p.server.sentLog.size(), "precondition: an unmarked segment's ACK is delayed");
        p.advanceBy(EnginePair.ms(60));                 // the delayed ACK goes (no idle restart: well under the RTO)
        assertFalse(p.server.lastSent().ece(), "no ECE without CE");
        p.client.outbox.clear();
        p.client.write(new byte[mss], p.now);
        TcpSegment data = p.client.outbox.poll();
        assertEquals(TcpSegment.ECT_0, data.ecn, "new data goes out ECT(0)");
        data.ecn = CE;                                  // a router on the way marks it
        p.server.forget();
        p.inject(p.server, data);
        assertEquals(1, p.server.sentLog.size(), "CE: acknowledged at once (tcp_enter_quickack_mode)");
        assertTrue(p.server.lastSent().ece(), "with ECE (TCP_ECN_DEMAND_CWR)");
        assertEquals(TcpSegment.NOT_ECT, p.server.lastSent().ecn, "a pure ACK is not ECN-capable");

        // The server's own data carries ECE too, until the client's CWR arrives.
        p.server.write(new byte[100], p.now);
        TcpSegment answer = p.server.lastSent();
        assertTrue(answer.ece(), "every segment echoes until CWR");
        p.server.outbox.clear();

        TcpSegment cwr = p.forge(p.client, TcpFlags.ACK | TcpFlags.CWR, p.client.conn.info(p.now).sndNxt(),
                p.client.conn.info(p.now).rcvNxt() + 100, new byte[10]);
        p.server.forget();
        p.inject(p.server, cwr);
        assertEquals(1, p.server.sentLog.size(), "CWR on data: ACK at once (tcp_ecn_accept_cwr's ICSK_ACK_NOW)");
        assertFalse(p.server.lastSent().ece(), "CWR ends the echo");
    }

    @Test
    void anEcnEchoEntersCwrOncePerWindowAndAnnouncesIt() {
        EnginePair p = ecnPair();
        int mss = p.client.conn.info(0).mss();
        p.client.write(new byte[4 * mss], p.now);
        List<TcpSegment> flight = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        assertEquals(4, flight.size());
        assertEquals(10, p.client.conn.info(p.now).cwnd());

        TcpSegment ece = p.forge(p.server, TcpFlags.ACK | TcpFlags.ECE, p.server.conn.info(p.now).sndNxt(), flight.get(1).seq);
        p.inject(p.client, ece);
        TcpInfo cwr = p.client.conn.info(p.now);
        assertEquals(CaState.CWR, cwr.caState(), "tcp_enter_cwr");
        assertEquals(7, cwr.ssthresh(), "CUBIC's ssthresh: 0.7 of cwnd 10");
        // 3 in flight, ssthresh 7: MAX(prr_delivered 1 - prr_out 0, 1) + 1 (SND.UNA advanced, nothing lost) = 2
        assertEquals(5, cwr.cwnd(), "tcp_cwnd_reduction: cwnd = 3 in flight + 2");
        assertEquals(1, p.client.counters.get(Counter.TCP_DELIVERED_CE));

        p.client.write(new byte[3 * mss], p.now);
        List<TcpSegment> sent = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        assertEquals(2, sent.size(), "PRR lets two new segments out");
        assertTrue(sent.get(0).cwr(), "the next new segment carries CWR (TCP_ECN_QUEUE_CWR)");
        assertFalse(sent.get(1).cwr(), "once");

        TcpSegment again = p.forge(p.server, TcpFlags.ACK | TcpFlags.ECE, p.server.conn.info(p.now).sndNxt(), flight.get(2).seq);
        p.inject(p.client, again);
        assertEquals(7, p.client.conn.info(p.now).ssthresh(), "a second ECE in the same window: no second reduction");
        p.client.outbox.clear();

        // An ACK beyond the SND.NXT at which CWR began ends it: cwnd = ssthresh (tcp_end_cwnd_reduction).
        int end = sent.get(1).seq + sent.get(1).payloadLength;
        p.inject(p.client, p.forge(p.server, TcpFlags.ACK, p.server.conn.info(p.now).sndNxt(), end));
        TcpInfo open = p.client.conn.info(p.now);
        assertEquals(CaState.OPEN, open.caState());
        assertEquals(7, open.cwnd());
    }

    /** tcp_enter_recovery: "if (!tcp_in_cwnd_reduction(sk)) ... tcp_init_cwnd_reduction(sk)": a loss in CWR does not cut again. */
    @Test
    void aLossDuringCwrBecomesRecoveryWithoutASecondReduction() {
        EnginePair p = ecnPair();
        int mss = p.client.conn.info(0).mss();
        p.client.write(new byte[10 * mss], p.now);
        List<TcpSegment> flight = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        p.inject(p.client, p.forge(p.server, TcpFlags.ACK | TcpFlags.ECE, p.server.conn.info(p.now).sndNxt(), flight.get(1).seq));
        assertEquals(CaState.CWR, p.client.conn.info(p.now).caState());
        int ssthresh = p.client.conn.info(p.now).ssthreshBytes();
        for (int i = 2; i <= 4; i++) {                  // flight[1] is lost: three SACKs above it
            TcpSegment s = p.forge(p.server, TcpFlags.ACK, p.server.conn.info(p.now).sndNxt(), flight.get(1).seq);
            s.options.sackBlocks = 1;
            s.options.sackLeft[0] = flight.get(2).seq;
            s.options.sackRight[0] = flight.get(i).seq + mss;
            p.inject(p.client, s);
        }
        TcpInfo recovering = p.client.conn.info(p.now);
        assertEquals(CaState.RECOVERY, recovering.caState(), "the loss turns CWR into Recovery");
        assertEquals(ssthresh, recovering.ssthreshBytes(), "no second multiplicative decrease within the window");
        assertEquals(1, p.client.counters.get(io.threeway.stats.Counter.TCP_SACK_RECOVERY));
    }

    @Test
    void withoutEcnAgreedCeAndEceChangeNothing() {
        EnginePair p = new EnginePair();
        p.establish();                                   // tcp_ecn = 2 on both: nobody asks
        int mss = p.client.conn.info(0).mss();
        p.client.write(new byte[2 * mss], p.now);
        TcpSegment data = p.client.outbox.poll();
        assertEquals(TcpSegment.NOT_ECT, data.ecn);
        data.ecn = CE;
        p.inject(p.server, data);
        assertFalse(p.server.conn.info(p.now).ecnSeen());
        p.inject(p.client, p.forge(p.server, TcpFlags.ACK | TcpFlags.ECE, p.server.conn.info(p.now).sndNxt(), data.seq + mss));
        assertEquals(CaState.OPEN, p.client.conn.info(p.now).caState());
        assertEquals(Integer.MAX_VALUE, p.client.conn.info(p.now).ssthreshBytes());
    }
}
