package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.tcp.recovery.CaState;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fast recovery's window as Linux's tcp_cwnd_reduction paces it (RFC 6937's Proportional Rate Reduction): entering
 * recovery (tcp_enter_recovery, tcp_init_cwnd_reduction) keeps cwnd and sets ssthresh; while more than ssthresh is in
 * flight, each SACK lets out ssthresh/RecoverFS of what it delivered, where RFC 6675 alone (cwnd = ssthresh at once)
 * would stay silent until pipe fell below ssthresh; the full ACK ends it with cwnd = ssthresh
 * (tcp_end_cwnd_reduction). tcpi_ca_state follows: Disorder, Recovery, Open.
 */
class PrrRecoveryTest {

    /** A client that has grown its window to 20 segments, with 20 segments in flight all but the first SACKed in turn. */
    @Test
    void theWindowComesDownInProportionToWhatIsDelivered() {
        EnginePair p = new EnginePair();
        p.establish();
        int mss = p.client.conn.info(0).mss();
        p.transfer(p.client, new byte[10 * mss]);             // slow start: every segment delivered adds one
        assertEquals(20, p.client.conn.info(p.now).cwnd(), "precondition: cwnd 20 segments");
        p.client.write(new byte[40 * mss], p.now);
        List<TcpSegment> flight = new ArrayList<>();
        for (TcpSegment s; (s = p.dropOne(p.client)) != null; ) flight.add(s);
        assertEquals(20, flight.size());
        int una = flight.get(0).seq;
        p.client.forget();

        sack(p, una, flight.get(1).seq, flight.get(1).seq + mss);
        assertEquals(CaState.DISORDER, p.client.conn.info(p.now).caState(), "a SACK: tcp_try_keep_open's Disorder");
        sack(p, una, flight.get(1).seq, flight.get(2).seq + mss);
        // In Disorder cwnd stays 20 and each SACKed segment leaves the pipe: one new segment each (RFC 3042)
        assertEquals(2, p.client.sentLog.size());
        int highData = p.client.conn.info(p.now).sndMax();
        p.client.forget();
        sack(p, una, flight.get(1).seq, flight.get(3).seq + mss);
        TcpInfo entered = p.client.conn.info(p.now);
        assertEquals(CaState.RECOVERY, entered.caState());
        assertEquals(14, entered.ssthresh(), "CUBIC's ssthresh: 0.7 of cwnd 20");
        // pipe 18 (22 less 3 SACKed, less the lost head) > ssthresh 14: CEIL(1 * 14 / 20) - 0 = 1
        assertEquals(1, p.client.sentLog.size(), "the fast retransmission alone");
        assertEquals(una, p.client.lastSent().seq);
        assertEquals(19, entered.cwnd(), "cwnd = pipe 18 + sndcnt 1, not ssthresh");

        p.client.forget();
        sack(p, una, flight.get(1).seq, flight.get(4).seq + mss);
        // prr_delivered 2: CEIL(2 * 14 / 20) - prr_out 1 = 1. RFC 6675 with cwnd = 14 and pipe 16 sends nothing here.
        assertEquals(1, p.client.sentLog.size(), "PRR lets one new segment out while pipe > ssthresh");
        assertEquals(highData, p.client.lastSent().seq, "and it is new data");

        for (int i = 5; i < 20; i++) sack(p, una, flight.get(1).seq, flight.get(i).seq + mss);
        // Proportional while pipe > ssthresh: at the 14th delivered segment prr_out = CEIL(14 * 14 / 20) = 10 and
        // pipe has come down to ssthresh; from there PRR-CRB holds it at ssthresh (MIN(ssthresh - pipe, ...)): one
        // segment for each one delivered, none on the ACK that brings pipe to 14. 12 sent for 17 delivered.
        int sent = p.client.sentLog.size() + 1;               // with the fast retransmission
        assertEquals(12, sent, "tcp_cwnd_reduction's prr_out at the end of the SACKs");
        assertEquals(14, p.client.conn.info(p.now).cwnd(), "pipe 13 + 1: the window has come down to ssthresh");

        TcpSegment full = p.forge(p.server, TcpFlags.ACK, p.server.conn.info(p.now).sndNxt(), highData);
        p.inject(p.client, full);
        TcpInfo open = p.client.conn.info(p.now);
        assertEquals(CaState.OPEN, open.caState(), "recovery over: Open");
        assertEquals(open.ssthresh(), open.cwnd(), "tcp_end_cwnd_reduction: cwnd = ssthresh");
        assertEquals(14, open.cwnd());
    }

    /**
     * tcp_try_undo_partial, then tcp_try_keep_open: after an undo the state is Open again, so tcp_cong_control stops
     * calling tcp_cwnd_reduction; the ACKs that follow while the engine's recovery runs to its end must not bring the
     * restored window back down by PRR.
     */
    @Test
    void anUndoEndsTheReduction() {
        EnginePair p = new EnginePair();
        for (EnginePair.Side s : new EnginePair.Side[] {p.client, p.server}) s.sysctls.set("net.ipv4.tcp_timestamps", "1");
        // RACK (tcp_recovery 1) would deem 8 lost once 9 is SACKed, as Linux does, and resend it: RFC 6675's IsLost
        // alone keeps 8 outstanding, which this test of an undo during recovery needs (as UndoTest's partial undo).
        p.client.sysctls.set("net.ipv4.tcp_recovery", "0");
        p.establish();
        p.advanceBy(EnginePair.ms(10));
        int mss = p.client.conn.info(p.now).mss();
        int cwndBefore = p.client.conn.info(p.now).cwnd();
        p.client.write(new byte[20 * mss], p.now);
        List<TcpSegment> held = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        p.advanceBy(EnginePair.ms(5));
        for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 9}) deliver(p, held.get(i)); // 0 and 8 are late
        assertEquals(CaState.RECOVERY, p.client.conn.info(p.now).caState());
        List<TcpSegment> sentInRecovery = new ArrayList<>(p.client.outbox);
        p.client.outbox.clear();
        deliver(p, held.get(0));                           // the late original: Eifel says spurious, partial undo
        assertTrue(p.client.conn.info(p.now).cwnd() >= cwndBefore, "the reduction was taken back");
        p.client.outbox.clear();
        for (TcpSegment s : sentInRecovery) deliver(p, s);  // SACKs above the hole at 8, recovery still running
        assertTrue(p.client.conn.info(p.now).cwnd() >= cwndBefore,
                "no PRR after the undo: " + p.client.conn.info(p.now).cwnd() + " < " + cwndBefore);
    }

    /** Delivers {@code seg} to the server and the server's answers to the client. */
    private static void deliver(EnginePair p, TcpSegment seg) {
        p.inject(p.server, seg);
        while (!p.server.outbox.isEmpty()) p.deliverOne(p.server);
    }

    /** An ACK of {@code ack} from the server with one SACK block [left, right). */
    private static void sack(EnginePair p, int ack, int left, int right) {
        TcpSegment s = p.forge(p.server, TcpFlags.ACK, p.server.conn.info(p.now).sndNxt(), ack);
        s.options.sackBlocks = 1;
        s.options.sackLeft[0] = left;
        s.options.sackRight[0] = right;
        p.inject(p.client, s);
    }
}
