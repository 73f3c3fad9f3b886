package io.threeway.tcp.recovery;

import io.threeway.stats.Counter;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.tcp.cc.Prr;
import io.threeway.tcp.sack.SackRecovery;
import io.threeway.tcp.sack.SackScoreboard;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * Loss recovery with SACK (RFC 6675): {@link SackRecovery} decides when recovery starts and ends over a
 * {@link SackScoreboard}; this class acts on its verdicts and, while recovering, sends what NextSeg() chooses as
 * long as the pipe leaves room in the congestion window (§5 step (C)). The engine switches to it on the first SACK
 * block or duplicate ACK of a connection that agreed to SACK, so an idle or loss-free connection never makes one.
 */
public final class SackLossRecovery implements LossRecovery {
    /** Guards the step (C) loop against a scoreboard bug: never more segments than this for one ACK. */
    private static final int MAX_SEGMENTS_PER_ACK = 10_000;

    /** The sender that retransmits and owns the congestion control. */
    private final RecoverySender sender;
    /** RFC 6675's recovery state over its scoreboard. */
    private final SackRecovery rfc6675;
    /** What {@link SackRecovery#onAck} decided for the ACK being processed. */
    private int verdict;
    /** The ACK being processed: segments it newly acknowledged or SACKed (Linux's newly_acked_sacked). */
    private int delivered;
    /** The ACK being processed moved SND.UNA (FLAG_SND_UNA_ADVANCED). */
    private boolean unaAdvanced;
    /** The ACK being processed lies below SND.UNA: Linux's old_ack path, which resends but runs no tcp_cong_control. */
    private boolean oldAck;
    /** The ACK being processed made IsLost true for data it was not true for (Linux's rs->losses). */
    private boolean newlyLost;

    /** Starts the scoreboard at the sender's SND.UNA and SND.MAX. */
    public SackLossRecovery(RecoverySender sender) {
        this.sender = sender;
        this.rfc6675 = new SackRecovery(new SackScoreboard(SackScoreboard.DEFAULT_MAX_RANGES));
        rfc6675.reset(sender.sndUna(), sender.sndMax(), sender.mss(), sender.reorderingThreshold());
    }

    @Override
    public boolean onAckArrival(TcpSegment seg, long now) {
        SackScoreboard board = rfc6675.scoreboard();
        int una = sender.sndUna();
        unaAdvanced = Seq.gt(seg.ack, una);
        oldAck = Seq.lt(seg.ack, una);
        int ackedNew = unaAdvanced ? seg.ack - una - sackedBetween(una, seg.ack) : 0; // tcp_clean_rtx_queue's count
        int lostBefore = board.lostBelow();
        // RFC 6675: every acceptable ACK updates the scoreboard, cumulative or not.
        verdict = rfc6675.onAck(seg.ack, sender.sndMax(), seg.options.sackLeft, seg.options.sackRight,
                seg.options.sackBlocks);
        int mss = Math.max(1, sender.mss());
        delivered = (int) ((Math.max(0, ackedNew) + (long) board.newlySacked() + mss - 1) / mss);
        newlyLost = Seq.gt(board.lostBelow(), Seq.max(lostBefore, seg.ack));
        if (board.lastWasDsack()) sender.counters().inc(Counter.TCP_DSACK_RECV);
        if (board.lastDiscarded() > 0) sender.counters().add(Counter.TCP_SACK_DISCARD, board.lastDiscarded());
        return !rfc6675.inRecovery() && verdict != SackRecovery.EXIT_RECOVERY;
    }

    @Override
    public boolean restartsTimerOnAck() {
        return true;
    }

    @Override
    public void onAckProcessed(int ackedBytes, boolean duplicate, long now) {
        CongestionControl cc = sender.congestionControl();
        Prr prr = sender.prr();
        switch (verdict) {
            case SackRecovery.ENTER_RECOVERY -> {
                // tcp_enter_recovery: tcp_init_cwnd_reduction (ssthresh from the congestion control, RFC 6675 (4.2)'s
                // "ssthresh = cwnd = (FlightSize / 2)" replaced by PRR's gradual reduction), then tcp_cwnd_reduction
                // for this ACK; (4.3) retransmit the first segment presumed lost, then what the window PRR set allows.
                prr.start(Prr.RECOVERY, cc, sender.mss(), sender.sndMax(), now);
                sender.counters().inc(Counter.TCP_SACK_RECOVERY);
                sender.counters().inc(Counter.TCP_FAST_RETRANS);
                reduce(prr, cc);
                int len = sender.retransmit(sender.sndUna(), firstHole(sender.sndUna(), sender.currentMss()), now);
                rfc6675.firstRetransmission(sender.sndUna() + len);
                transmit(now);
            }
            case SackRecovery.IN_RECOVERY -> {
                if (!oldAck) reduce(prr, cc); // tcp_ack's old_ack path: tcp_xmit_recovery without tcp_cong_control
                transmit(now);
            }
            case SackRecovery.EXIT_RECOVERY -> {
                // tcp_fastretrans_alert: SND.UNA reached high_seq: tcp_end_cwnd_reduction, cwnd = ssthresh.
                prr.end(cc);
                cc.onRecoveryExit(sender.sndMax() - sender.sndUna(), sender.mss());
            }
            default -> { }
        }
    }

    /** Linux's tcp_cong_control in recovery: tcp_cwnd_reduction with what this ACK delivered and what is in flight. */
    private void reduce(Prr prr, CongestionControl cc) {
        prr.onAck(cc, delivered, rfc6675.scoreboard().pipe(), sender.mss(), unaAdvanced, newlyLost);
    }

    /**
     * RFC 6675 (4.3)'s "first unacknowledged segment": at most an MSS from SND.UNA, and never into data the peer
     * SACKed (Linux resends the skb as it was first sent, tcp_retransmit_skb; what is SACKed is not lost).
     */
    private int firstHole(int una, int mss) {
        SackScoreboard board = rfc6675.scoreboard();
        for (int i = 0; i < board.sackedRanges(); i++) {
            if (Seq.gt(board.sackedStart(i), una)) return Math.min(mss, board.sackedStart(i) - una);
        }
        return mss;
    }

    /**
     * RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, send what NextSeg() chooses, cwnd being the window PRR set
     * for this ACK (Linux's tcp_xmit_retransmit_queue, then tcp_write_xmit, against tcp_packets_in_flight).
     */
    private void transmit(long now) {
        SackScoreboard board = rfc6675.scoreboard();
        CongestionControl cc = sender.congestionControl();
        int mss = sender.mss();
        for (int guard = 0; guard < MAX_SEGMENTS_PER_ACK && cc.cwnd() - board.pipe() >= mss; guard++) {
            int unsent = sender.notSent();
            boolean canSendNew = unsent > 0
                    && (sender.sndMax() - sender.sndUna()) + Math.min(unsent, mss) <= sender.sndWnd();
            int kind = board.nextSeg(sender.currentMss(), canSendNew, true);
            if (kind == SackScoreboard.NONE) break;
            if (kind == SackScoreboard.NEW_DATA) {
                if (!sender.sendNewData(now)) break;
                board.newDataSent(sender.sndMax());
            } else {
                int start = board.segStart();
                int len = sender.retransmit(start, board.segEnd() - start, now);
                if (len <= 0) break;
                board.retransmitted(start, start + len);
                if (kind == SackScoreboard.RESCUE) rfc6675.rescueSent();
            }
        }
    }

    @Override
    public void onRetransmitTimeout(long now) {
        rfc6675.onRetransmitTimeout();
        sender.prr().abandon(); // tcp_enter_loss: the reduction gives way to the loss window
    }

    /** Recovery; Loss after a timeout until what was outstanding then is acknowledged; Disorder while SACKs stand. */
    @Override
    public int caState() {
        if (rfc6675.inRecovery()) return CaState.RECOVERY;
        if (rfc6675.heldOff()) return CaState.LOSS;
        return rfc6675.scoreboard().sackedRanges() > 0 ? CaState.DISORDER : CaState.OPEN;
    }

    @Override
    public boolean inRecovery() {
        return rfc6675.inRecovery();
    }

    @Override
    public int limitedTransmitDupAcks() {
        return rfc6675.inRecovery() ? 0 : rfc6675.dupAcks();
    }

    @Override
    public boolean drivesTransmission() {
        return rfc6675.inRecovery();
    }

    @Override
    public boolean usesSack() {
        return true;
    }

    @Override
    public int skipDelivered(int sndNxt, int sndMax, int mss) {
        SackScoreboard board = rfc6675.scoreboard();
        int next = sndNxt;
        while (Seq.lt(next, sndMax) && board.isSacked(next)) next += Math.min(mss, sndMax - next);
        return next;
    }

    @Override
    public int sackedBetween(int from, int to) {
        SackScoreboard board = rfc6675.scoreboard();
        long bytes = 0;
        for (int i = 0; i < board.sackedRanges(); i++) {
            int start = Seq.max(board.sackedStart(i), from);
            int end = Seq.min(board.sackedEnd(i), to);
            if (Seq.lt(start, end)) bytes += end - start;
        }
        return (int) bytes;
    }
}
