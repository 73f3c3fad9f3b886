package io.threeway.tcp.recovery;

import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * Tail loss probe (RFC 8985 §7, "Tail Loss Probe: Detecting Losses at the Ends of Flights"), as Linux does it:
 * the probe timeout (tcp_schedule_loss_probe), which segment the probe is (tcp_send_loss_probe) and what the ACKs
 * of a probe episode say (tcp_process_tlp_ack). The engine's sender owns the timer (the probe shares the
 * retransmission timer's deadline, as Linux's ICSK_TIME_LOSS_PROBE shares icsk_timeout) and sends the probe; this
 * class keeps the episode: made when a connection first schedules a probe, so a connection that never sends data
 * never has one.
 */
public final class TailLossProbe {
    /** Linux's TCP_TIMEOUT_MIN_US (2 ms): added to 2*SRTT when more than one segment is in flight. */
    public static final long TIMEOUT_MIN_NANOS = 2_000_000L;
    /** Linux's TCP_TIMEOUT_INIT (1 s): the probe timeout before any RTT sample. */
    public static final long TIMEOUT_INIT_NANOS = 1_000_000_000L;
    /** What {@link #onAck} found: the episode goes on, or there was none. */
    public static final int NOTHING = 0;
    /** What {@link #onAck} found: the probe (or what it carried) arrived and nothing was lost; the episode ended. */
    public static final int NO_LOSS = 1;
    /** What {@link #onAck} found: the probe repaired a loss, so the window must be reduced; the episode ended. */
    public static final int LOSS_REPAIRED = 2;

    /** An episode is under way (Linux's tp->tlp_high_seq != 0). */
    private boolean probing;
    /** SND.NXT when the probe went out (Linux's tlp_high_seq, RFC 8985's TLP.end_seq). */
    private int highSeq;
    /** The probe was a retransmission, not new data (Linux's tlp_retrans, RFC 8985's TLP.is_retrans). */
    private boolean retransmitted;
    /** An RTO episode is under way (Linux's TCP_CA_Loss): no probe until SND.UNA passes {@link #lossHighSeq}. */
    private boolean inLoss;
    /** SND.MAX when the retransmission timer expired (tcp_enter_loss's tp->high_seq). */
    private int lossHighSeq;

    /** Where the last new segment sent starts (the end of the last skb's data, or its FIN alone). */
    private int tailStart;

    /** Whether tcp_early_retrans enables probes: Linux 6.x schedules them for 3 and 4 (tcp_schedule_loss_probe). */
    public static boolean enabled(int earlyRetrans) {
        return earlyRetrans == 3 || earlyRetrans == 4;
    }

    /**
     * Linux's tcp_schedule_loss_probe: "Probe timeout is 2*rtt. Add minimum RTO to account for delayed ack when
     * there's one outstanding packet. If no RTT sample is available then probe after TCP_TIMEOUT_INIT." Then "If
     * the RTO formula yields an earlier time, then use that time": never later than the RTO would fire.
     *
     * @param srtt       the smoothed RTT, negative when there is no sample yet
     * @param packetsOut segments in flight (Linux's packets_out)
     * @param rtoMin     the minimum RTO (tcp_rto_min_us: the route's or TCP_RTO_MIN)
     * @param rtoDelta   how far in the future the RTO would fire (tcp_rto_delta_us, or the whole RTO when the
     *                   ACK being processed restarts it)
     */
    public static long timeout(long srtt, int packetsOut, long rtoMin, long rtoDelta) {
        long timeout;
        if (srtt >= 0) {
            timeout = 2 * srtt + (packetsOut == 1 ? rtoMin : TIMEOUT_MIN_NANOS);
        } else {
            timeout = TIMEOUT_INIT_NANOS;
        }
        if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
        return timeout;
    }

    /**
     * Whether a probe may be scheduled now: tcp_schedule_loss_probe's "SACK capable connections not in loss
     * recovery" (TCP_CA_Open or TCP_CA_CWR, so neither fast recovery nor after an RTO).
     */
    public boolean maySchedule(boolean inFastRecovery) {
        return !inFastRecovery && !inLoss;
    }

    /** A new segment starting at {@code seq} was sent: it is now the last one, the one a probe resends. */
    public void tailSent(int seq) {
        tailStart = seq;
    }

    /** Where the last new segment sent starts. */
    public int tailStart() {
        return tailStart;
    }

    /** tcp_send_loss_probe's "At most one outstanding TLP": a probe of this episode is already out. */
    public boolean probing() {
        return probing;
    }

    /** A probe went out (tcp_send_loss_probe's probe_sent: "Record snd_nxt for loss detection"). */
    public void probeSent(int sndNxt, boolean retransmission) {
        probing = true;
        highSeq = sndNxt;
        retransmitted = retransmission;
    }

    /** The retransmission timer expired (tcp_enter_loss): no probe until everything sent before it is acknowledged. */
    public void onRetransmitTimeout(int sndMax) {
        inLoss = true;
        lossHighSeq = sndMax;
        probing = false; // tcp_enter_loss ends any TLP episode (tcp_init_undo/... tlp_high_seq = 0)
    }

    /**
     * An acceptable ACK arrived (SND.UNA not yet moved). Leaves the RTO episode once SND.UNA reaches what was sent
     * before the timeout, then Linux's tcp_process_tlp_ack, RFC 8985 §7.4.2 (TLP_process_ack):
     * <pre>
     * If TLP.end_seq != None AND ACK's ack. number >= TLP.end_seq:
     *     If not TLP.is_retrans:  TLP.end_seq = None    (TLP of new data delivered)
     *     Else if ACK has a DSACK option matching TLP.end_seq:  TLP.end_seq = None  (Retransmission is redundant)
     *     Else If ACK's ack. number > TLP.end_seq:  TLP.end_seq = None  (Repaired the single loss)
     *         (Invoke congestion control to lower cwnd and ssthresh)
     *     Else If ACK is a DUPACK without any SACK option:  TLP.end_seq = None  (TLP recovered the single loss)
     * </pre>
     * Returns {@link #NOTHING}, {@link #NO_LOSS} or {@link #LOSS_REPAIRED}.
     *
     * @param sndUna SND.UNA before this ACK
     */
    public int onAck(TcpSegment seg, int sndUna) {
        int ack = seg.ack;
        if (inLoss && Seq.geq(ack, lossHighSeq)) inLoss = false;
        if (!probing || Seq.lt(ack, highSeq)) return NOTHING;
        if (!retransmitted || dsackEndsAt(seg, highSeq)) {
            probing = false;
            return NO_LOSS;
        }
        if (Seq.gt(ack, highSeq)) {
            probing = false;
            return LOSS_REPAIRED;
        }
        if (ack == sndUna && seg.options.sackBlocks == 0 && seg.payloadLength == 0) {
            probing = false;
            return NO_LOSS;
        }
        return NOTHING;
    }

    /**
     * Whether the ACK's first SACK block is a D-SACK (RFC 2883 §4: below the cumulative ACK, or inside the second
     * block) ending at {@code end}: the peer got the probe's data twice.
     */
    static boolean dsackEndsAt(TcpSegment seg, int end) {
        if (seg.options.sackBlocks == 0) return false;
        int left = seg.options.sackLeft[0];
        int right = seg.options.sackRight[0];
        boolean dsack = Seq.leq(right, seg.ack) || (seg.options.sackBlocks > 1
                && Seq.geq(left, seg.options.sackLeft[1]) && Seq.leq(right, seg.options.sackRight[1]));
        return dsack && right == end;
    }
}
