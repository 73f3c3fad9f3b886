package io.threeway.tcp.cc;

import io.threeway.wire.Seq;

/**
 * Proportional Rate Reduction (RFC 6937, made a standard as RFC 9937) as Linux runs it: how a window reduction is
 * spread over the round trip after congestion is signalled, in fast recovery (a loss) and in the CWR state (an
 * ECN-Echo), instead of cutting cwnd to ssthresh at once and falling silent for half a window. Linux's
 * tcp_init_cwnd_reduction starts it, tcp_cwnd_reduction sets cwnd on every ACK, tcp_end_cwnd_reduction ends it.
 *
 * <p>On each ACK during the reduction, with {@code pipe} the segments in flight (tcp_packets_in_flight, RFC 6675's
 * pipe), {@code DeliveredData} the segments the ACK newly acknowledged or SACKed:
 * <pre>
 *   prr_delivered += DeliveredData
 *   if (pipe > ssthresh)      // proportional: ssthresh/RecoverFS of what was delivered, rounded up
 *       sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out
 *   else                      // PRR-CRB, plus one segment (PRR-SSRB) when the ACK is "safe"
 *       sndcnt = MIN(ssthresh - pipe, MAX(prr_delivered - prr_out, DeliveredData) + (safeACK ? 1 : 0))
 *   cwnd = pipe + MAX(sndcnt, prr_out == 0 ? 1 : 0)
 * </pre>
 * RecoverFS is Linux's {@code prior_cwnd}, the window when the reduction began; a safe ACK advances SND.UNA and
 * marks nothing newly lost (Linux's {@code FLAG_SND_UNA_ADVANCED && !newly_lost}, RFC 9937's safeACK); the first
 * ACK always lets one segment out ("Force a fast retransmit upon entering fast recovery"). Counts are in segments,
 * as Linux keeps them; the congestion control's windows are in bytes.
 *
 * <p>Made the first time a connection reduces its window (an idle or loss-free connection never has one).
 */
public final class Prr {
    /** Linux's TCP_CA_CWR: reducing after an ECN-Echo, with no loss to repair. */
    public static final int CWR = 2;
    /** Linux's TCP_CA_Recovery: reducing during fast recovery. */
    public static final int RECOVERY = 3;
    /** Not reducing. */
    private static final int NONE = 0;

    /** Linux's tp->prior_cwnd (RFC 6937's RecoverFS): cwnd in bytes when the reduction began. */
    private int priorCwnd;
    /** Linux's tp->prr_delivered: segments delivered to the receiver since the reduction began. */
    private int prrDelivered;
    /** Linux's tp->prr_out: segments sent (new or again) since the reduction began. */
    private int prrOut;
    /** Why the window is being reduced: {@link #CWR}, {@link #RECOVERY}, or none. */
    private int reason = NONE;
    /** Linux's tp->high_seq for CWR: SND.NXT when it began; CWR ends once SND.UNA has passed it. */
    private int highSeq;
    /** Reductions begun so far (each one announces itself with CWR when ECN is on: tcp_ecn_queue_cwr). */
    private int reductions;

    /**
     * Linux's tcp_init_cwnd_reduction: RecoverFS = cwnd, the counters at zero, {@code snd_ssthresh =
     * icsk_ca_ops->ssthresh(sk)}. Does nothing while a reduction is under way: tcp_enter_recovery and
     * tcp_enter_cwr start one only {@code if (!tcp_in_cwnd_reduction(sk))}, so a loss during CWR (or an ECN-Echo
     * during recovery) does not reduce twice.
     *
     * @param why    {@link #CWR} or {@link #RECOVERY}
     * @param sndNxt SND.NXT now (tp->high_seq)
     * @return whether a new reduction began
     */
    public boolean start(int why, CongestionControl cc, int mss, int sndNxt, long now) {
        if (reason != NONE) {
            if (why == RECOVERY) reason = RECOVERY; // tcp_set_ca_state(sk, TCP_CA_Recovery) over CWR
            return false;
        }
        priorCwnd = cc.cwnd();
        prrDelivered = 0;
        prrOut = 0;
        highSeq = sndNxt;
        reason = why;
        reductions++;
        cc.onCongestion(mss, now);
        return true;
    }

    /**
     * Linux's tcp_cwnd_reduction, on an ACK that is not older than SND.UNA: sets cwnd to what is in flight plus
     * what PRR lets out now (see the class comment). An ACK that delivered nothing changes nothing.
     *
     * @param delivered   segments this ACK newly acknowledged or SACKed (newly_acked_sacked)
     * @param pipe        bytes in flight (counted in whole segments, tcp_packets_in_flight)
     * @param unaAdvanced the ACK moved SND.UNA (FLAG_SND_UNA_ADVANCED)
     * @param newlyLost   the ACK marked data lost that was not before (rs->losses)
     */
    public void onAck(CongestionControl cc, int delivered, int pipe, int mss, boolean unaAdvanced, boolean newlyLost) {
        if (reason == NONE || delivered <= 0 || priorCwnd <= 0) return;
        long inFlight = segments(pipe, mss);
        long ssthresh = cc.ssthresh() / mss;
        long prior = Math.max(1, priorCwnd / mss);
        long delta = ssthresh - inFlight;
        prrDelivered += delivered;
        long sndcnt;
        if (delta < 0) {
            sndcnt = (ssthresh * prrDelivered + prior - 1) / prior - prrOut;
        } else {
            sndcnt = Math.max(prrDelivered - prrOut, delivered);
            if (unaAdvanced && !newlyLost) sndcnt++;   // PRR-SSRB on a safe ACK
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, prrOut == 0 ? 1 : 0); // "Force a fast retransmit upon entering fast recovery"
        cc.setCwnd((int) Math.min((inFlight + sndcnt) * mss, CongestionControl.MAX_CWND));
    }

    /** Segments sent during the reduction (Linux adds tcp_skb_pcount to prr_out in tcp_write_xmit and on retransmit). */
    public void sent(int segments) {
        if (reason != NONE) prrOut += segments;
    }

    /**
     * Linux's tcp_end_cwnd_reduction: "Reset cwnd to ssthresh in CWR or Recovery (unless it's undone)", and the
     * state is Open again.
     */
    public void end(CongestionControl cc) {
        if (reason == NONE) return;
        if (cc.ssthresh() < CongestionControl.MAX_CWND) cc.setCwnd(cc.ssthresh());
        reason = NONE;
    }

    /**
     * Whether the CWR state ends with an ACK up to {@code sndUna} (tcp_fastretrans_alert: "CWR is to be held
     * something *above* high_seq is ACKed for CWR bit to reach receiver").
     */
    public boolean cwrDone(int sndUna) {
        return reason == CWR && Seq.gt(sndUna, highSeq);
    }

    /** Forgets the reduction without touching cwnd (a retransmission timeout takes over: TCP_CA_Loss). */
    public void abandon() {
        reason = NONE;
    }

    /** Whether a reduction is under way (Linux's tcp_in_cwnd_reduction). */
    public boolean active() {
        return reason != NONE;
    }

    /** How many reductions have begun (a caller compares before and after an ACK to see that one did). */
    public int reductions() {
        return reductions;
    }

    /** {@link #CWR}, {@link #RECOVERY}, or 0 when not reducing. */
    public int reason() {
        return reason;
    }

    /** {@code bytes} in whole segments, rounded up, as Linux counts packets. */
    private static long segments(int bytes, int mss) {
        return bytes <= 0 ? 0 : (bytes + (long) mss - 1) / mss;
    }

    // For tests.
    int priorCwnd() { return priorCwnd; }
    int prrDelivered() { return prrDelivered; }
    int prrOut() { return prrOut; }
}
