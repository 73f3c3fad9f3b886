package io.threeway.tcp.recovery;

import io.threeway.stats.Counter;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * Fast retransmit and fast recovery for a sender without SACK: RFC 5681 §3.2 with RFC 6582's NewReno partial
 * acknowledgments, in the "Impatient" variant (the timer restarts on the first partial ACK only, so many losses
 * in one window end in a timeout and go-back-N rather than one repair per round trip).
 */
public final class NewRenoRecovery implements LossRecovery {
    /** The sender that retransmits and owns the congestion control. */
    private final RecoverySender sender;
    /** In fast recovery. */
    private boolean inRecovery;
    /** Partial ACKs in the current recovery (RFC 6582 §4.1). */
    private int partialAcks;
    /** RFC 6582's "recover": the highest sequence number sent when recovery (or a timeout) began. */
    private int recover;
    /** Duplicate ACKs in a row (RFC 5681 §2). */
    private int dupAcks;

    /** A new sender whose first sequence number is {@code iss} (RFC 6582 §3.2 step 1: recover = ISS). */
    public NewRenoRecovery(RecoverySender sender, int iss) {
        this.sender = sender;
        this.recover = iss;
    }

    @Override
    public boolean onAckArrival(TcpSegment seg, long now) {
        return !inRecovery;
    }

    @Override
    public boolean restartsTimerOnAck() {
        return !(inRecovery && partialAcks > 0);
    }

    @Override
    public void onAckProcessed(int ackedBytes, boolean duplicate, long now) {
        if (ackedBytes > 0) {
            dupAcks = 0;
            afterCumulativeAck(ackedBytes, now);
        } else if (duplicate) {
            duplicateAck(now);
        }
    }

    /** RFC 6582 §3.2 step 3: a full acknowledgment ends recovery, a partial one repairs the next hole. */
    private void afterCumulativeAck(int acked, long now) {
        if (!inRecovery) return;
        CongestionControl cc = sender.congestionControl();
        int mss = sender.mss();
        if (Seq.geq(sender.sndUna(), recover)) {
            inRecovery = false;
            cc.onRecoveryExit(sender.sndMax() - sender.sndUna(), mss);
            return;
        }
        // Partial acknowledgment: retransmit the first unacknowledged segment, deflate by the amount acked.
        if (partialAcks == 0) sender.restartRetransmitTimer(now); // the Impatient variant restarts the timer once
        sender.retransmit(sender.sndUna(), sender.currentMss(), now);
        cc.setCwnd(Math.max(cc.cwnd() - acked + mss, mss));
        partialAcks++;
    }

    /** A duplicate acknowledgment (RFC 5681 §2): DupThresh of them start fast retransmit and fast recovery (§3.2). */
    private void duplicateAck(long now) {
        dupAcks++;
        CongestionControl cc = sender.congestionControl();
        int mss = sender.mss();
        if (inRecovery) {
            // RFC 5681 §3.2 step 4: inflate the window by one segment per duplicate ACK.
            cc.setCwnd(cc.cwnd() + mss);
            return;
        }
        if (dupAcks == sender.reorderingThreshold() && Seq.gt(sender.sndUna(), recover - 1)) {
            // RFC 6582 §3.2 step 2: only when the ACK covers more than "recover" (avoids multiple reductions).
            inRecovery = true;
            partialAcks = 0;
            recover = sender.sndMax();
            // RFC 5681 §3.2 steps 2 and 3 with Linux's ssthresh (tcp_init_cwnd_reduction: icsk_ca_ops->ssthresh, from
            // cwnd, as SACK recovery takes it): cwnd = ssthresh + 3*SMSS, then inflation.
            cc.onCongestion(mss, now);
            cc.setCwnd(cc.ssthresh() + 3 * mss);
            sender.counters().inc(Counter.TCP_RENO_RECOVERY);
            sender.counters().inc(Counter.TCP_FAST_RETRANS);
            sender.retransmit(sender.sndUna(), sender.currentMss(), now);
        }
    }

    @Override
    public void onRetransmitTimeout(long now) {
        // RFC 6582 §4: recover = the highest sequence number sent; the timeout ends recovery.
        inRecovery = false;
        recover = sender.sndMax();
        dupAcks = 0;
    }

    /**
     * tcp_try_undo_loss sets TCP_CA_Open and Linux's Reno may start fast recovery on the next three duplicate ACKs
     * (only snd_una == high_seq holds it back, tcp_is_non_sack_preventing_reopen): RFC 6582's guard, recover, set
     * by the timeout that proved spurious, would otherwise keep fast retransmit off until the next timeout.
     */
    @Override
    public void onLossUndone() {
        recover = sender.sndUna() - 1;
        dupAcks = 0;
    }

    @Override
    public boolean inRecovery() {
        return inRecovery;
    }

    @Override
    public int limitedTransmitDupAcks() {
        return inRecovery ? 0 : dupAcks;
    }

    @Override
    public boolean drivesTransmission() {
        return false;
    }

    @Override
    public boolean usesSack() {
        return false;
    }

    @Override
    public int skipDelivered(int sndNxt, int sndMax, int mss) {
        return sndNxt;
    }
}
