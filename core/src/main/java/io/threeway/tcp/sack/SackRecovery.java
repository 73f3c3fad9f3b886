package io.threeway.tcp.sack;

import io.threeway.wire.Seq;

/**
 * RFC 6675 §5: when a SACK sender enters and leaves loss recovery, over a {@link SackScoreboard}. Each ACK
 * goes through {@link #onAck}, which updates the scoreboard and returns what the engine must do; the sending
 * itself (step (C): "while cwnd - pipe >= 1 SMSS, send NextSeg ()") stays the engine's, since only it can
 * build segments.
 *
 * <p>Half-open sequence numbers: RecoveryPoint is SND.MAX at entry, and recovery ends when the cumulative ACK
 * reaches it (the RFC's "cumulative ACK for a sequence number greater than RecoveryPoint", with RecoveryPoint
 * the last octet sent).
 */
public final class SackRecovery {
    /** Nothing for loss recovery to do. */
    public static final int NONE = 0;
    /**
     * §5 step (3): a duplicate ACK below the threshold; the engine MAY send new data while cwnd - pipe >= SMSS
     * (Limited Transmit; HighRxt was reset to HighACK as step (3.1) asks).
     */
    public static final int LIMITED_TRANSMIT = 1;
    /**
     * §5 step (4): enter loss recovery. The engine: (4.2) cc.onLossDetected(FlightSize) so cwnd = ssthresh;
     * (4.3) retransmits the segment at HighACK and reports it with {@link #firstRetransmission}; then (C).
     */
    public static final int ENTER_RECOVERY = 2;
    /** §5 (B): still in recovery; the scoreboard is updated; the engine runs (C). */
    public static final int IN_RECOVERY = 3;
    /** §5 (A): the cumulative ACK covered RecoveryPoint; recovery is over (the engine calls cc.onRecoveryExit). */
    public static final int EXIT_RECOVERY = 4;

    /** What the peer has SACKed, and IsLost, pipe and NextSeg over it. */
    private final SackScoreboard board;
    /** DupThresh (RFC 6675 §2). */
    private int dupThresh;
    /** Duplicate ACKs counted since SND.UNA last moved (§5's DupAcks). */
    private int dupAcks;
    /** In loss recovery (§5 (C) applies). */
    private boolean inRecovery;
    /** RecoveryPoint: HighData when recovery began; recovery ends once it is acknowledged. */
    private int recoveryPoint;
    /** §5.1: after an RTO, no new recovery until HighACK reaches RecoveryPoint. */
    private boolean heldOff;

    public SackRecovery(SackScoreboard board) {
        this.board = board;
    }

    public SackScoreboard scoreboard() { return board; }

    public void reset(int sndUna, int sndMax, int mss, int dupThresh) {
        board.reset(sndUna, sndMax, mss, dupThresh);
        this.dupThresh = dupThresh;
        dupAcks = 0;
        inRecovery = false;
        recoveryPoint = sndUna;
        heldOff = false;
    }

    /**
     * One arriving acceptable ACK: its acknowledgment number, SND.MAX, and its SACK blocks.
     *
     * @return {@link #NONE}, {@link #LIMITED_TRANSMIT}, {@link #ENTER_RECOVERY}, {@link #IN_RECOVERY} or
     *         {@link #EXIT_RECOVERY}
     */
    public int onAck(int ack, int sndMax, int[] left, int[] right, int blocks) {
        boolean cumulative = Seq.gt(ack, board.highAck());
        int newlySacked = board.update(ack, sndMax, left, right, blocks);
        if (heldOff && Seq.geq(ack, recoveryPoint)) heldOff = false;
        if (inRecovery) {
            // "(A) An incoming cumulative ACK for a sequence number greater than RecoveryPoint signals the end of
            // loss recovery ... Any information contained in the scoreboard for sequence numbers greater than
            // the new value of HighACK SHOULD NOT be cleared when leaving the loss recovery phase."
            if (Seq.geq(ack, recoveryPoint)) {
                inRecovery = false;
                dupAcks = 0;
                return EXIT_RECOVERY;
            }
            return IN_RECOVERY;
        }
        // "If the incoming ACK is a cumulative acknowledgment, the TCP MUST reset DupAcks to zero."
        if (cumulative) dupAcks = 0;
        // "If the incoming ACK is a duplicate acknowledgment per the definition in Section 2 (regardless of
        // its status as a cumulative acknowledgment), and the TCP is not currently in loss recovery, the TCP
        // MUST increase DupAcks by one".
        if (newlySacked <= 0 || ack == board.highData()) return NONE;
        dupAcks++;
        // "(1) If DupAcks >= DupThresh, go to step (4)." "(2) If DupAcks < DupThresh but IsLost (HighACK + 1)
        // returns true ... go to step (4)."
        if (!heldOff && (dupAcks >= dupThresh || board.headLost())) return enterRecovery();
        // "(3.1) Set HighRxt to HighACK."
        board.resetHighRxt();
        return LIMITED_TRANSMIT;
    }

    /**
     * "(4.1) RecoveryPoint = HighData": loss recovery starts (on DupThresh, IsLost (HighACK + 1), or RACK's
     * time-based marking, RFC 8985 §6.2). Returns {@link #ENTER_RECOVERY}.
     */
    public int enterRecovery() {
        inRecovery = true;
        recoveryPoint = board.highData();
        board.startRecovery();
        return ENTER_RECOVERY;
    }

    /** Whether recovery may start now (not held off after a timeout until RecoveryPoint, RFC 6675 §5.1). */
    public boolean mayEnterRecovery() {
        return !inRecovery && !heldOff;
    }

    /**
     * (4.3): "Retransmit the first data segment presumed dropped ... set both HighRxt and RescueRxt to the
     * highest sequence number in the retransmitted segment."
     */
    public void firstRetransmission(int end) {
        board.firstRetransmission(end);
    }

    /** The rescue retransmission (NextSeg rule 4) was sent. */
    public void rescueSent() {
        board.rescueRetransmitted(recoveryPoint);
    }

    /**
     * §5.1: "If an RTO occurs during loss recovery as specified in this document, RecoveryPoint MUST be set to
     * HighData. Further, the new value of RecoveryPoint MUST be preserved and the loss recovery algorithm
     * outlined in this document MUST be terminated. In addition, a new recovery phase ... MUST NOT be
     * initiated until HighACK is greater than or equal to the new value of RecoveryPoint." The scoreboard is
     * kept (the RFC lets the RTO recovery use it), unless reneging made it untrustworthy: when the first
     * unacknowledged byte is marked SACKed, the receiver has dropped what it SACKed (RFC 2018 §8), and every mark
     * is forgotten so that go-back-N resends it all (Linux's tcp_timeout_mark_lost, {@code is_reneg}); kept, the
     * marks would make the retransmissions skip data the receiver lacks, forever.
     */
    public void onRetransmitTimeout() {
        if (board.isSacked(board.highAck())) board.clearSacks();
        recoveryPoint = board.highData();
        inRecovery = false;
        heldOff = Seq.lt(board.highAck(), recoveryPoint);
        dupAcks = 0;
        board.resetHighRxt();
    }

    /**
     * The timeout proved spurious and was undone (Linux's tcp_try_undo_loss sets TCP_CA_Open): the hold on a new
     * recovery below the old RecoveryPoint ends with it, as Linux may enter TCP_CA_Recovery from Open at once.
     */
    public void lossUndone() {
        heldOff = false;
    }

    public boolean inRecovery() { return inRecovery; }
    public int recoveryPoint() { return recoveryPoint; }
    public int dupAcks() { return dupAcks; }
    public boolean heldOff() { return heldOff; }
}
