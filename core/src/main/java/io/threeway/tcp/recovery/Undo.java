package io.threeway.tcp.recovery;

import io.threeway.stats.Counter;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;

/**
 * Undo of spurious retransmissions, as Linux does it: a loss episode (fast recovery, or the loss state after a
 * retransmission timeout) saves the window it reduces (tp->prior_cwnd, tp->prior_ssthresh) and where it began
 * (tcp_init_undo: undo_marker, undo_retrans); when the ACKs then show that nothing was lost, the reduction is
 * taken back (tcp_undo_cwnd_reduction). The evidence: a D-SACK (RFC 2883, RFC 3708) for every retransmission
 * (tcp_check_dsack counts undo_retrans down to 0), or a timestamp echo older than the first retransmission, so
 * the original reached the peer (the Eifel detection of RFC 3522; tcp_packet_delayed), or F-RTO's verdict
 * ({@link Frto}, RFC 5682). tcp_try_undo_recovery (TCPFullUndo), tcp_try_undo_partial (TCPPartialUndo),
 * tcp_try_undo_dsack (TCPDSACKUndo) and tcp_try_undo_loss (TCPLossUndo, with TCPSpuriousRTOs for F-RTO).
 *
 * <p>The engine's sender makes one at a connection's first loss episode (an idle or loss-free connection never
 * pays for it), calls {@link #enterRecovery}/{@link #enterLoss} as an episode begins, {@link #onRetransmit} for
 * every retransmitted segment, and {@link #beforeAck}/{@link #afterAck} around each acceptable ACK; it acts on
 * {@link #afterAck}'s answer. Windows in bytes; timestamps in the connection's TSval clock.
 */
public final class Undo {
    /** {@link #afterAck}: nothing for the sender to do. */
    public static final int NOTHING = 0;
    /**
     * {@link #afterAck}: the loss episode was undone; what the timeout marked lost is not (tcp_undo_cwnd_reduction's
     * unmark_loss): the sender stops going back over it and goes on from SND.MAX.
     */
    public static final int UNMARK_LOST = 1;
    /** {@link #afterAck}: F-RTO step 2b, send new data now (REXMIT_NEW); then call {@link #newDataSent}. */
    public static final int SEND_NEW = 2;
    /** {@link #afterAck}: F-RTO step 3a, the loss was real: resend from SND.UNA (REXMIT_LOST). */
    public static final int RETRANSMIT_LOST = 3;

    /** No episode under way (Linux's TCP_CA_Open or Disorder). */
    private static final int OPEN = 0;
    /** Fast recovery (TCP_CA_Recovery). */
    private static final int RECOVERY = 1;
    /** After a retransmission timeout (TCP_CA_Loss). */
    private static final int LOSS = 2;
    /** Fast recovery undone while the engine's recovery runs on: its window is restored again when it ends. */
    private static final int RECOVERY_UNDONE = 3;

    /** The sender: its sequence variables, congestion control and counters. */
    private final RecoverySender sender;
    /** F-RTO's state for the current timeout. */
    private final Frto frto = new Frto();
    /** OPEN, RECOVERY, LOSS or RECOVERY_UNDONE. */
    private int state;
    /** Whether an undo is still possible (Linux's undo_marker != 0). */
    private boolean marked;
    /** SND.UNA when the episode began (tp->undo_marker). */
    private int undoMarker;
    /** Retransmissions not yet shown spurious by a D-SACK; -1 when none was ever in flight (tp->undo_retrans). */
    private int undoRetrans;
    /** cwnd before the reduction (tp->prior_cwnd). */
    private int priorCwnd;
    /** ssthresh before the reduction, as tcp_current_ssthresh gave it; 0 for none (tp->prior_ssthresh). */
    private int priorSsthresh;
    /** Whether {@link #retransStamp} holds the episode's first retransmission. */
    private boolean stamped;
    /** The TSval clock at the episode's first retransmission (tp->retrans_stamp). */
    private int retransStamp;
    /** SND.MAX when the episode began, moved on by F-RTO's new data (tp->high_seq). */
    private int highSeq;
    /** Segments the peer reported by D-SACK since this object was made (tp->dsack_dups). */
    private int dsackDups;
    /** The ACK being processed: SND.UNA before it (prior_snd_una). */
    private int priorUna;
    /** The ACK being processed: whether it echoed one of our timestamps, and which. */
    private boolean ecrSeen;
    /** The ACK being processed: its TSecr. */
    private int tsEcr;
    /** The ACK being processed: whether it acknowledged never-retransmitted data cumulatively (part of FLAG_ORIG_SACK_ACKED). */
    private boolean origCumAcked;
    /** The ACK being processed: SACKed bytes of never-retransmitted data up to high_seq before it arrived. */
    private int origSackedBefore;
    /** The ACK being processed: SACKed bytes above SND.UNA before it arrived. */
    private int sackedBefore;
    /** The end of the highest retransmission, as {@link #beforeAck} was told (never-retransmitted data lies above it). */
    private int retransHigh;

    /** Undo for the connection behind {@code sender}. */
    public Undo(RecoverySender sender) {
        this.sender = sender;
    }

    /**
     * Fast recovery began on this ACK (tcp_enter_recovery: "tp->prior_ssthresh = tcp_current_ssthresh(sk)",
     * tcp_init_cwnd_reduction's prior_cwnd, tcp_init_undo), with the window as it was before the ACK. Not while a
     * timeout's loss episode runs: Linux never goes from TCP_CA_Loss to TCP_CA_Recovery.
     *
     * @param retransOut segments retransmitted and not yet acknowledged (the fast retransmission just sent)
     * @param tsNow      the TSval clock now (the fast retransmission's time)
     */
    public void enterRecovery(int cwndBefore, int ssthreshBefore, int retransOut, int tsNow) {
        if (state == LOSS && Seq.lt(sender.sndUna(), highSeq)) return;
        state = RECOVERY;
        priorCwnd = cwndBefore;
        priorSsthresh = currentSsthresh(cwndBefore, ssthreshBefore);
        initUndo(retransOut);
        stamped = retransOut > 0;
        retransStamp = tsNow;
        highSeq = sender.sndMax();
    }

    /**
     * A retransmission timeout (tcp_enter_loss), before the window is reduced: "Reduce ssthresh if it has not yet
     * been made inside this window" saves the window and starts the undo's books; F-RTO runs "if no previous loss
     * recovery is underway except recurring timeout(s) on the same SND.UNA".
     *
     * @param recovering  whether the engine's fast recovery was under way
     * @param retransmits timeouts in a row before this one (icsk_retransmits)
     * @param retransOut  segments retransmitted and not yet acknowledged
     * @param frtoEnabled net.ipv4.tcp_frto is not 0
     */
    public void enterLoss(boolean recovering, int retransmits, int retransOut, boolean frtoEnabled) {
        // The engine's recovery may run on after an undo (RECOVERY_UNDONE): RFC 5681's inflated window is no prior_cwnd.
        if (state == RECOVERY_UNDONE) state = recovering ? RECOVERY : OPEN;
        if (state == RECOVERY && !recovering) state = OPEN;
        boolean newRecovery = state == OPEN;
        CongestionControl cc = sender.congestionControl();
        if (newRecovery || !Seq.gt(highSeq, sender.sndUna()) || (state == LOSS && retransmits == 0)) {
            priorSsthresh = state == RECOVERY ? cc.ssthresh() : currentSsthresh(cc.cwnd(), cc.ssthresh());
            priorCwnd = cc.cwnd();
            initUndo(retransOut);
            stamped = false;
        }
        frto.start(frtoEnabled && (newRecovery || retransmits > 0));
        state = LOSS;
        highSeq = sender.sndMax();
    }

    /** tcp_init_undo: "tp->undo_marker = tp->snd_una; tp->undo_retrans = tp->retrans_out ? : -1". */
    private void initUndo(int retransOut) {
        marked = true;
        undoMarker = sender.sndUna();
        undoRetrans = retransOut > 0 ? retransOut : -1;
    }

    /** tcp_current_ssthresh outside a reduction: max(ssthresh, 3/4 cwnd). */
    private static int currentSsthresh(int cwnd, int ssthresh) {
        return Math.max(ssthresh, (cwnd >> 1) + (cwnd >> 2));
    }

    /**
     * A segment was retransmitted (tcp_retransmit_skb: "Save stamp of the first (attempted) retransmit",
     * "tp->undo_retrans += tcp_skb_pcount(skb)").
     */
    public void onRetransmit(int tsNow) {
        if (!stamped) {
            stamped = true;
            retransStamp = tsNow;
        }
        if (undoRetrans < 0) undoRetrans = 0;
        undoRetrans++;
    }

    /**
     * An acceptable ACK arrived, before SND.UNA moves and before the SACK scoreboard takes it: reads its D-SACK
     * (tcp_check_dsack) and its timestamp echo, and notes what F-RTO needs to know of the data it covers.
     *
     * @param recovery     the loss recovery, for what was SACKed before (null when none was made)
     * @param retransHigh  the end of the highest retransmitted data
     * @param totalRetrans segments retransmitted on the connection (tp->total_retrans)
     * @param maxWindow    the largest window the peer offered (tp->max_window)
     * @param tsOk         whether the connection uses timestamps
     */
    public void beforeAck(TcpSegment seg, LossRecovery recovery, int retransHigh, int totalRetrans, int maxWindow,
            boolean tsOk) {
        priorUna = sender.sndUna();
        this.retransHigh = retransHigh;
        ecrSeen = tsOk && seg.options.timestamps && seg.options.tsEcr != 0;
        tsEcr = seg.options.tsEcr;
        checkDsack(seg.options, seg.ack, totalRetrans, maxWindow);
        origCumAcked = false;
        if (state != LOSS || !frto.active()) return;
        int from = Seq.max(priorUna, retransHigh);
        int to = Seq.min(seg.ack, highSeq);
        origCumAcked = Seq.lt(from, to) && to - from > sacked(recovery, from, to);
        int above = Seq.max(seg.ack, priorUna);
        origSackedBefore = sacked(recovery, Seq.max(above, retransHigh), highSeq);
        sackedBefore = sacked(recovery, above, sender.sndMax());
    }

    /** SACKed bytes in [from, to), none when the range is empty or there is no scoreboard. */
    private static int sacked(LossRecovery recovery, int from, int to) {
        return recovery == null || !Seq.lt(from, to) ? 0 : recovery.sackedBetween(from, to);
    }

    /**
     * tcp_check_dsack and tcp_dsack_seen: the first block is a D-SACK when it lies below SEG.ACK or inside the
     * second block (RFC 2883 §4); a range larger than the peer's largest window is dubious, and so are more
     * duplicates than were ever retransmitted; "D-SACK for already forgotten data... Do dumb counting" takes
     * undo_retrans down by the duplicated segments, as tcp_sacktag_one does for a retransmission still queued.
     */
    private void checkDsack(TcpOptions o, int ack, int totalRetrans, int maxWindow) {
        if (o.sackBlocks == 0) return;
        int start = o.sackLeft[0];
        int end = o.sackRight[0];
        boolean dsack = Seq.lt(start, ack)
                || (o.sackBlocks > 1 && Seq.leq(end, o.sackRight[1]) && Seq.geq(start, o.sackLeft[1]));
        if (!dsack || !Seq.lt(start, end) || end - start > maxWindow) return;
        int mss = Math.max(1, sender.mss());
        int dupSegs = end - start > mss ? (end - start + mss - 1) / mss : 1;
        dsackDups += dupSegs;
        if (dsackDups > totalRetrans) return; // "Skip the DSACK if dup segs weren't retransmitted by sender"
        if (marked && undoRetrans > 0 && Seq.gt(end, undoMarker)
                && (Seq.leq(end, priorUna) || Seq.lt(start, retransHigh))) {
            undoRetrans = Math.max(0, undoRetrans - dupSegs);
        }
    }

    /**
     * The ACK has been processed (SND.UNA moved, the engine's recovery ran, the send window updated): the
     * undo half of tcp_fastretrans_alert for the state the connection is in.
     *
     * @param duplicate   a duplicate ACK (RFC 5681 §2)
     * @param recovering  whether the engine's fast recovery is still under way
     * @param retransOut  segments retransmitted and not yet acknowledged (tp->retrans_out)
     * @param sack        whether the connection uses SACK (tcp_is_sack)
     * @param recovery    the loss recovery, for what is SACKed now (null when none was made)
     * @return {@link #NOTHING}, {@link #UNMARK_LOST}, {@link #SEND_NEW} or {@link #RETRANSMIT_LOST} (a fast
     *         recovery's undo asks nothing of the caller: tcp_undo_cwnd_reduction here ends PRR's reduction itself)
     */
    public int afterAck(boolean duplicate, boolean recovering, int retransOut, boolean sack, LossRecovery recovery) {
        boolean advanced = Seq.gt(sender.sndUna(), priorUna);
        switch (state) {
            case RECOVERY -> recoveryAck(advanced, recovering, retransOut, sack);
            case RECOVERY_UNDONE -> {
                if (recovering) break;
                sender.congestionControl().setCwnd(Math.max(sender.congestionControl().cwnd(), priorCwnd));
                state = OPEN;
            }
            case LOSS -> {
                return lossAck(advanced, duplicate, sack, recovery);
            }
            default -> {
                if (tryUndoDsack()) state = OPEN; // tcp_fastretrans_alert's default case: a late D-SACK
            }
        }
        return NOTHING;
    }

    /**
     * TCP_CA_Recovery: tcp_try_undo_recovery when the engine's recovery ended ("Happy end! We did not retransmit
     * anything or our original transmission succeeded"), else tcp_try_undo_partial on a partial ACK ("Plain
     * luck! Hole if filled with delayed packet, rather than with a retransmit"), then tcp_try_undo_dsack.
     */
    private void recoveryAck(boolean advanced, boolean recovering, int retransOut, boolean sack) {
        if (!recovering) {
            state = OPEN;
            if (mayUndo(sack)) undoCwndReduction(Counter.TCP_FULL_UNDO);
            return;
        }
        // Not for the engine's NewReno: its recovery inflates the window by RFC 5681 §3.2 (Linux's Reno does not)
        // and runs on to the recovery point, so an undo in its middle would keep an inflated window, and did in
        // the lab's sack-recovery runs without SACK (no reduction kept under random loss).
        if (advanced && sack && marked && packetDelayed(sack)) {
            // "If there are no retransmits out then we can undo. Otherwise we clock out new packets but do not
            // mark more packets lost or retransmit more."
            if (retransOut > 0) return;
            undoCwndReduction(Counter.TCP_PARTIAL_UNDO);
            state = RECOVERY_UNDONE;
            return;
        }
        if (tryUndoDsack()) state = RECOVERY_UNDONE;
    }

    /** tcp_process_loss: undo on evidence, F-RTO's steps, or the end of the episode when high_seq is acknowledged. */
    private int lossAck(boolean advanced, boolean duplicate, boolean sack, LossRecovery recovery) {
        int una = sender.sndUna();
        boolean recovered = !Seq.lt(una, highSeq);
        if (advanced && tryUndoLoss(false, sack)) return UNMARK_LOST;
        int action = NOTHING;
        if (frto.active()) {
            int above = Seq.max(una, priorUna);
            boolean origSacked = sacked(recovery, Seq.max(above, retransHigh), highSeq) > origSackedBefore;
            boolean dataSacked = sacked(recovery, above, sender.sndMax()) > sackedBefore;
            boolean canSendNew = sender.notSent() > 0 && Seq.gt(una + sender.sndWnd(), sender.sndMax());
            int step = frto.onAck(origCumAcked || origSacked, dataSacked || duplicate, Seq.gt(sender.sndMax(), highSeq),
                    advanced && !recovered, canSendNew);
            if (step == Frto.SPURIOUS && tryUndoLoss(true, sack)) return UNMARK_LOST;
            if (step == Frto.SEND_NEW) {
                highSeq = sender.sndMax();
                return SEND_NEW;
            }
            if (step == Frto.REAL_LOSS) action = RETRANSMIT_LOST;
        }
        if (recovered) {
            // "F-RTO RFC5682 sec 3.1 step 2.a and 1st part of step 3.a": tcp_try_undo_recovery in TCP_CA_Loss.
            state = OPEN;
            frto.stop();
            if (mayUndo(sack)) undoCwndReduction(Counter.TCP_LOSS_UNDO);
        }
        return action;
    }

    /** F-RTO's new data could not be sent after all (tcp_xmit_recovery: "tp->frto = 0"). */
    public void newDataSent(boolean any) {
        if (!any) frto.stop();
    }

    /** tcp_try_undo_loss: "Undo during loss recovery after partial ACK or using F-RTO". */
    private boolean tryUndoLoss(boolean frtoUndo, boolean sack) {
        if (!frtoUndo && !mayUndo(sack)) return false;
        undoCwndReduction(Counter.TCP_LOSS_UNDO);
        if (frtoUndo) sender.counters().inc(Counter.TCP_SPURIOUS_RTOS);
        frto.stop();
        state = OPEN;
        return true;
    }

    /** tcp_try_undo_dsack: "Try to undo cwnd reduction, because D-SACKs acked all retransmitted data". */
    private boolean tryUndoDsack() {
        if (!marked || undoRetrans != 0) return false;
        undoCwndReduction(Counter.TCP_DSACK_UNDO);
        return true;
    }

    /** tcp_may_undo: "tp->undo_marker && (!tp->undo_retrans || tcp_packet_delayed(tp))". */
    private boolean mayUndo(boolean sack) {
        return marked && (undoRetrans == 0 || packetDelayed(sack));
    }

    /**
     * tcp_packet_delayed: "Received an echoed timestamp before the first retransmission?" (RFC 3522's Eifel
     * detection); with nothing retransmitted, the data was merely delayed, except that a connection without SACK
     * holds its state until something above high_seq is acknowledged (tcp_is_non_sack_preventing_reopen).
     */
    private boolean packetDelayed(boolean sack) {
        if (stamped) return ecrSeen && Seq.lt(tsEcr, retransStamp);
        return sack || Seq.lt(sender.sndUna(), highSeq);
    }

    /** tcp_undo_cwnd_reduction: the algorithm's undo_cwnd and the prior ssthresh; no second undo of this episode. */
    private void undoCwndReduction(Counter counter) {
        if (priorSsthresh > 0) sender.congestionControl().undoCwndReduction(priorCwnd, priorSsthresh);
        sender.prr().abandon(); // the state is Open again (tcp_try_keep_open): PRR reduces no more
        marked = false;
        sender.counters().inc(counter);
    }

    /** Whether a timeout's loss episode is under way (Linux's TCP_CA_Loss), for tests and the sender. */
    public boolean inLoss() {
        return state == LOSS;
    }
}
