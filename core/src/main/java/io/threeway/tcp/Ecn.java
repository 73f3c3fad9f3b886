package io.threeway.tcp;

import io.threeway.stats.Counter;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.tcp.cc.Prr;
import io.threeway.tcp.recovery.CaState;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * ECN on the data path once the handshake agreed to it (RFC 3168 §6.1), as Linux's tcp_ecn_* functions do it, over
 * the flags of {@link Tcb#ecnFlags} (Linux's tp->ecn_flags):
 * <ul>
 * <li>the receiver, on a data segment whose IP header says CE ("Congestion Experienced"), sets ECE on every segment
 *     it sends until a segment with CWR arrives (tcp_ecn_check_ce, tcp_ecn_accept_cwr, tcp_ecn_send), and
 *     acknowledges at once: "Better not delay acks, sender can have a very low cwnd" (tcp_enter_quickack_mode);
 * <li>the sender, on an ACK with ECE, reduces its window once per window of data (tcp_enter_cwr: the CWR state
 *     with PRR, {@link io.threeway.tcp.cc.Prr}; {@link #onAck}) and sets CWR on its next
 *     new data segment (tcp_ecn_queue_cwr, TCP_ECN_QUEUE_CWR).
 * </ul>
 */
final class Ecn {
    /** TCP_ECN_QUEUE_CWR: the next new data segment carries CWR (RFC 3168 §6.1.2). */
    static final byte QUEUE_CWR = 2;
    /** TCP_ECN_DEMAND_CWR: CE arrived; every segment we send carries ECE until CWR arrives (§6.1.3). */
    static final byte DEMAND_CWR = 4;
    /** TCP_ECN_SEEN: an ECT or CE data segment arrived (ss's {@code ecnseen}, TCPI_OPT_ECN_SEEN). */
    static final byte SEEN = 8;
    /** RFC 3168 §5's codepoint 11, Congestion Experienced. */
    static final int CE = 3;
    /** tcp_enter_quickack_mode(sk, 2) on CE: at most two quick ACKs. */
    static final int QUICK_ACKS_ON_CE = 2;

    private Ecn() {}

    /**
     * tcp_ecn_accept_cwr, for a segment that reaches tcp_data_queue: CWR ends the demand for it; and "If the sender is
     * telling us it has entered CWR, then its cwnd may be very low (even just 1 packet), so we should ACK
     * immediately" when it carries data. Returns whether an ACK must go now.
     */
    static boolean acceptCwr(Tcb tcb, TcpSegment seg) {
        if (!tcb.ecnOk || !seg.cwr()) return false;
        tcb.ecnFlags &= ~DEMAND_CWR;
        return seg.payloadLength > 0;
    }

    /**
     * __tcp_ecn_check_ce for a data segment: CE starts the demand for CWR (and quick ACKs, when it was not already
     * demanded); an ECT or CE segment sets SEEN; a Not-ECT one after ECT was seen is "probably a retransmit", also
     * answered with quick ACKs. Returns how many quick ACKs to grant (tcp_enter_quickack_mode's max), or 0.
     */
    static int checkCe(Tcb tcb, TcpSegment seg) {
        if (!tcb.ecnOk) return 0;
        switch (seg.ecn) {
            case TcpSegment.NOT_ECT -> {
                return (tcb.ecnFlags & SEEN) != 0 ? QUICK_ACKS_ON_CE : 0;
            }
            case CE -> {
                int quick = (tcb.ecnFlags & DEMAND_CWR) == 0 ? QUICK_ACKS_ON_CE : 0;
                tcb.ecnFlags |= DEMAND_CWR | SEEN;
                return quick;
            }
            default -> {
                tcb.ecnFlags |= SEEN;
                return 0;
            }
        }
    }

    /**
     * tcp_ecn_send for a segment built after the handshake: new data goes out ECT(0), with CWR if a reduction queued
     * it (INET_ECN_xmit; "Not-retransmitted data segment: set ECT and inject CWR"); and every segment carries ECE
     * while the peer owes us a CWR.
     */
    static void send(Tcb tcb, TcpSegment s, boolean newData) {
        if (!tcb.ecnOk) return;
        if (newData) {
            s.ecn = TcpSegment.ECT_0;
            if ((tcb.ecnFlags & QUEUE_CWR) != 0) {
                tcb.ecnFlags &= ~QUEUE_CWR;
                s.flags |= TcpFlags.CWR;
            }
        }
        if ((tcb.ecnFlags & DEMAND_CWR) != 0 && (s.flags & (TcpFlags.SYN | TcpFlags.RST)) == 0) s.flags |= TcpFlags.ECE;
    }

    /** tcp_ecn_queue_cwr: the reduction is announced on the next new data segment. */
    static void queueCwr(Tcb tcb) {
        if (tcb.ecnOk) tcb.ecnFlags |= QUEUE_CWR;
    }

    /** tcp_ecn_rcv_ecn_echo: an ACK (not a SYN) with ECE on a connection that agreed to ECN. */
    static boolean echoed(Tcb tcb, TcpSegment seg) {
        return tcb.ecnOk && seg.ece() && !seg.syn();
    }

    /** Whether an ECT or CE data segment has arrived (ss's {@code ecnseen}). */
    static boolean seen(Tcb tcb) {
        return (tcb.ecnFlags & SEEN) != 0;
    }

    /**
     * ECN-Echo (RFC 3168 §6.1.2) as Linux's tcp_fastretrans_alert and tcp_cong_control take it: CWR ends once SND.UNA
     * passes high_seq (tcp_end_cwnd_reduction); an ECE in Open or Disorder enters CWR (tcp_enter_cwr: ssthresh from
     * the congestion control, at most once per window); any new reduction, a loss's too, announces itself with CWR
     * on the next new segment (tcp_init_cwnd_reduction's tcp_ecn_queue_cwr); in CWR each ACK runs tcp_cwnd_reduction.
     * {@code reductionsBefore} is PRR's count of reductions before this ACK.
     */
    static void onAck(Sender sender, Tcb tcb, TcpSegment seg, int acked, int reductionsBefore, long now) {
        int mss = Math.max(1, tcb.mss);
        int segments = (acked + mss - 1) / mss;
        boolean ece = echoed(tcb, seg);
        if (ece) tcb.counters().add(Counter.TCP_DELIVERED_CE, segments); // tcp_count_delivered(..., ece_ack)
        CongestionControl cc = sender.congestionControl();
        Prr prr = sender.prrIfMade();
        if (prr != null && prr.cwrDone(tcb.sndUna)) prr.end(cc);
        if (ece && sender.caState() <= CaState.DISORDER) (prr = sender.prr()).start(Prr.CWR, cc, tcb.mss, tcb.sndNxt, now);
        if (prr == null) return;
        if (prr.reductions() != reductionsBefore) queueCwr(tcb);
        int inFlight = tcb.sndMax - tcb.sndUna - sender.sackedInFlight();
        if (prr.reason() == Prr.CWR) prr.onAck(cc, segments, inFlight, tcb.mss, acked > 0, false);
    }
}
