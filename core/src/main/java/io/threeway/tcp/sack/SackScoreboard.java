package io.threeway.tcp.sack;

import io.threeway.wire.Seq;

/**
 * The data sender's SACK scoreboard (RFC 6675 §3 and §4, over RFC 2018's blocks and RFC 2883's D-SACK): what
 * the receiver holds between HighACK and HighData, and the answers loss recovery asks of it: IsLost,
 * SetPipe, NextSeg.
 *
 * <p>Sequence numbers are half-open, as everywhere in the engine. The RFC's variables map as follows:
 * <ul>
 * <li>HighACK + 1, the first unacknowledged octet: {@link #highAck()}, SND.UNA.
 * <li>HighData + 1: {@link #highData()}, SND.MAX, one past the highest octet sent.
 * <li>HighRxt + 1: {@link #highRxt()}, one past the highest octet retransmitted in this recovery.
 * <li>RescueRxt + 1: {@link #rescueRxt()}, one past the rescue retransmission's highest octet.
 * </ul>
 *
 * <p>Per ACK the work is O(number of SACKed ranges) and allocates nothing; the ranges are bounded by
 * {@link SeqRangeSet}. SACK information never frees send-buffer data: the receiver may renege (RFC 2018 §8),
 * so only the cumulative ACK releases data, and {@link #renegingSuspected()} tells the engine when the
 * receiver appears to have discarded what it SACKed.
 */
public final class SackScoreboard {
    /** A generous default bound: a 1 Gbit/s, 100 ms path at 1% loss has about 90 holes per window. */
    public static final int DEFAULT_MAX_RANGES = 1024;

    /** NextSeg's answer: nothing to send (RFC 6675 §4, NextSeg rule 5). */
    public static final int NONE = 0;
    /** Rule 1: the lowest lost, unSACKed, not yet retransmitted segment. */
    public static final int RETRANSMIT_LOST = 1;
    /** Rule 2: new data at HighData. */
    public static final int NEW_DATA = 2;
    /** Rule 3: an unSACKed segment below the highest SACKed octet, not (yet) deemed lost. */
    public static final int RETRANSMIT_UNSACKED = 3;
    /** Rule 4: the rescue retransmission, once per recovery, of the highest outstanding unSACKed data. */
    public static final int RESCUE = 4;

    /** The octets the peer has SACKed, above HighACK. */
    private final SeqRangeSet sacked;
    /** SMSS: the unit of IsLost's count and NextSeg's segments. */
    private int mss;
    /** DupThresh (RFC 6675 §2; Linux's tcp_reordering). */
    private int dupThresh;

    /** HighACK: the highest cumulatively acknowledged sequence number (SND.UNA). */
    private int highAck;
    /** HighData: the highest sequence number sent. */
    private int highData;
    /** HighRxt: the highest sequence number retransmitted in this recovery. */
    private int highRxt;
    /** RescueRxt: the highest sequence number of the rescue retransmission, once defined. */
    private int rescueRxt;
    /** Whether RescueRxt is defined (RFC 6675 leaves it undefined outside recovery). */
    private boolean rescueDefined;
    /**
     * Every unSACKed octet below this is lost (IsLost is monotone: fewer octets are SACKed above a higher
     * sequence number). Equal to highAck when nothing is deemed lost.
     */
    private int lostBelow;
    /** Where RACK's time-based marking (RFC 8985 §6) puts the loss point; lostBelow is at least this. */
    private int timeLost;

    /** The last update: octets newly SACKed. */
    private int newlySacked;
    /** The last update: its first block was a D-SACK (RFC 2883). */
    private boolean dsack;
    /** The last update: blocks discarded as invalid. */
    private int discarded;
    /** The last update: the peer SACKed less than before (reneging, RFC 2018 §8). */
    private boolean reneging;

    /** D-SACK blocks received in all, for the engine's counters. */
    private long dsacksReceived;
    /** Invalid SACK blocks discarded in all, for the engine's counters. */
    private long blocksDiscarded;

    /** NextSeg's last answer: the first sequence number of the segment to send. */
    private int segStart;
    /** NextSeg's last answer: the end of the segment to send. */
    private int segEnd;

    public SackScoreboard(int maxRanges) {
        sacked = new SeqRangeSet(maxRanges);
    }

    public SackScoreboard() {
        this(DEFAULT_MAX_RANGES);
    }

    /**
     * Starts (or restarts) with nothing SACKed.
     *
     * @param sndUna    SND.UNA
     * @param sndMax    SND.MAX
     * @param mss       SMSS
     * @param dupThresh DupThresh (Linux: tcp_reordering, 3)
     */
    public void reset(int sndUna, int sndMax, int mss, int dupThresh) {
        sacked.clear();
        highAck = sndUna;
        highData = sndMax;
        highRxt = sndUna;
        rescueRxt = sndUna;
        rescueDefined = false;
        lostBelow = sndUna;
        timeLost = sndUna;
        this.mss = mss;
        this.dupThresh = dupThresh;
        newlySacked = 0;
        dsack = false;
        discarded = 0;
        reneging = false;
    }

    /** The SMSS changed (path MTU, TCP_MAXSEG). */
    public void setMss(int mss) {
        this.mss = mss;
        recomputeLoss();
    }

    // ------------------------------------------------------------------------------------------------
    // Update (RFC 6675 §3: "Update ()")

    /**
     * Processes one arriving ACK: its cumulative acknowledgment and its SACK blocks (block i is
     * [left[i], right[i])). "Upon the receipt of any ACK containing SACK information, the scoreboard MUST be
     * updated via the Update () routine" (RFC 6675 §5).
     *
     * <p>Blocks outside [SND.UNA, SND.MAX], empty or inverted blocks are discarded and counted (Linux's
     * TCPSACKDiscard); wholly old blocks are ignored. A D-SACK first block (RFC 2883 §4) is counted
     * (TCPDSACKRecv) and not recorded: it reports a duplicate, not new data.
     *
     * @param ack    the segment's acknowledgment number (already accepted by the engine)
     * @param sndMax SND.MAX now
     * @return the number of octets newly SACKed: positive means this is a "duplicate acknowledgment" in RFC
     *         6675 §2's sense ("a segment that arrives carrying a SACK block that identifies previously
     *         unacknowledged and un-SACKed octets between HighACK and HighData")
     */
    public int update(int ack, int sndMax, int[] left, int[] right, int blocks) {
        newlySacked = 0;
        dsack = false;
        discarded = 0;
        reneging = false;
        if (Seq.gt(sndMax, highData)) highData = sndMax;
        if (Seq.gt(ack, highAck)) {
            highAck = ack;
            sacked.removeBelow(ack);
            if (Seq.lt(highRxt, ack)) highRxt = ack;
        }
        for (int i = 0; i < blocks; i++) {
            int l = left[i], r = right[i];
            if (i == 0 && isDsack(ack, l, r, blocks > 1 ? left[1] : 0, blocks > 1 ? right[1] : 0, blocks > 1)) {
                dsack = true;
                dsacksReceived++;
                continue;
            }
            if (!Seq.lt(l, r) || Seq.gt(r, highData)) {
                discarded++;
                continue;
            }
            if (Seq.leq(r, highAck)) continue;           // old news: already cumulatively acknowledged
            if (Seq.lt(l, highAck)) {
                discarded++;                             // straddles the ACK: no honest receiver sends it
                continue;
            }
            newlySacked += sacked.add(l, r);
        }
        blocksDiscarded += discarded;
        // RFC 2018 §8: the receiver may discard SACKed data. If the cumulative ACK stops exactly where SACKed
        // data begins, the receiver no longer holds it (Linux's tcp_check_sack_reneging).
        reneging = !sacked.isEmpty() && sacked.start(0) == highAck;
        recomputeLoss();
        return newlySacked;
    }

    /**
     * RFC 2883 §4, the sender's test (paraphrased): the first block is a D-SACK when it lies below the
     * cumulative acknowledgment, or when it is contained in the second block. The first case covers duplicates
     * below the ACK; the second, duplicates of out-of-order data the receiver holds. Linux's tcp_check_dsack
     * tests the same two conditions (the first by the block's left edge, as here).
     */
    static boolean isDsack(int ack, int l0, int r0, int l1, int r1, boolean hasSecond) {
        if (Seq.lt(l0, ack)) return true;
        return hasSecond && Seq.geq(l0, l1) && Seq.leq(r0, r1);
    }

    /**
     * Recomputes where loss begins. Walking the ranges from the top, the first range at which the SACKed
     * octets above reach the thresholds marks the lost region: every unSACKed octet below that range's start
     * is lost (RFC 6675 §4, IsLost).
     */
    private void recomputeLoss() {
        long bytes = 0;
        long segments = 0;
        lostBelow = Seq.gt(timeLost, highAck) ? Seq.min(timeLost, highData) : highAck;
        for (int i = sacked.count() - 1; i >= 0; i--) {
            int len = Seq.diff(sacked.end(i), sacked.start(i));
            bytes += len;
            segments += (len + mss - 1) / mss;
            if (segments >= dupThresh || bytes > (long) (dupThresh - 1) * mss) {
                lostBelow = Seq.max(lostBelow, sacked.start(i));
                return;
            }
        }
    }

    /**
     * RACK (RFC 8985 §6.2, Linux's tcp_rack_detect_loss) marks lost the segments not yet delivered below
     * {@code seq} (the end of the highest one it holds lost): unSACKed octets below it count as lost, as RFC 6675's
     * IsLost ones do, until they are delivered.
     */
    public void markLostBelow(int seq) {
        timeLost = seq;
        recomputeLoss();
    }

    // ------------------------------------------------------------------------------------------------
    // IsLost, SetPipe (RFC 6675 §4)

    /**
     * RFC 6675 §4, IsLost (SeqNum): "returns true when either DupThresh discontiguous SACKed sequences have
     * arrived above 'SeqNum' or more than (DupThresh - 1) * SMSS bytes with sequence numbers greater than
     * 'SeqNum' have been SACKed."
     *
     * <p>A byte scoreboard does not know segment boundaries; each SACKed range counts as at least
     * ceil(length / SMSS) segments, a lower bound on what arrived. For full-sized segments the byte rule
     * decides first; the segment rule matters for small segments.
     */
    public boolean isLost(int seq) {
        long bytes = 0;
        long segments = 0;
        for (int i = sacked.count() - 1; i >= 0; i--) {
            int s = sacked.start(i), e = sacked.end(i);
            if (Seq.leq(e, seq + 1)) break;
            int from = Seq.max(s, seq + 1);
            int len = Seq.diff(e, from);
            bytes += len;
            segments += (len + mss - 1) / mss;
            if (segments >= dupThresh || bytes > (long) (dupThresh - 1) * mss) return true;
        }
        return false;
    }

    /**
     * RFC 6675 §4, SetPipe: for each unSACKed octet between HighACK and HighData, "(a) If IsLost (S1) returns
     * false: Pipe is incremented by 1 octet. (b) If S1 <= HighRxt: Pipe is incremented by 1 octet." A lost
     * octet not yet retransmitted is gone from the network; a retransmitted one that is not lost counts twice.
     */
    public int pipe() {
        long pipe = 0;
        int cursor = highAck;
        int n = sacked.count();
        for (int i = 0; i <= n; i++) {
            int holeEnd = i < n ? sacked.start(i) : highData;
            if (Seq.lt(cursor, holeEnd)) pipe += holeOctets(cursor, holeEnd);
            if (i < n) cursor = sacked.end(i);
        }
        return (int) Math.min(pipe, Integer.MAX_VALUE);
    }

    /** SetPipe's count over one hole [from, to) of unSACKed octets. */
    private long holeOctets(int from, int to) {
        long notLost = Seq.diff(to, Seq.max(from, Seq.min(lostBelow, to)));
        long retransmitted = Seq.lt(from, highRxt) ? Seq.diff(Seq.min(highRxt, to), from) : 0;
        return notLost + retransmitted;
    }

    // ------------------------------------------------------------------------------------------------
    // NextSeg (RFC 6675 §4)

    /**
     * RFC 6675 §4, NextSeg (): which segment to send next during recovery. The answer's range is
     * {@link #segStart()}..{@link #segEnd()}; nothing is recorded until the engine reports what it sent
     * ({@link #retransmitted}, {@link #rescueRetransmitted}, {@link #newDataSent}).
     *
     * @param maxLen       the most octets one segment may carry (SMSS less option room)
     * @param canSendNew   whether unsent data exists and the receiver's window allows it (rule 2's condition)
     * @param rescueAllowed whether rule 4 may be used (the engine is in loss recovery)
     * @return {@link #RETRANSMIT_LOST}, {@link #NEW_DATA}, {@link #RETRANSMIT_UNSACKED}, {@link #RESCUE} or
     *         {@link #NONE}
     */
    public int nextSeg(int maxLen, boolean canSendNew, boolean rescueAllowed) {
        int highestSacked = sacked.isEmpty() ? highAck : sacked.end(sacked.count() - 1);
        // (1.a) S2 > HighRxt: the lowest unSACKed octet at or above HighRxt (half-open).
        int s = Seq.max(highRxt, highAck);
        int i = sacked.firstEndingAfter(s);
        if (i < sacked.count() && Seq.leq(sacked.start(i), s)) {
            s = sacked.end(i);
            i++;
        }
        // (1.b) S2 < the highest octet covered by any SACK; then the hole runs to the next SACKed range.
        boolean belowSacked = Seq.lt(s, highestSacked);
        if (belowSacked && Seq.lt(s, lostBelow)) {
            // "(1) If there exists a smallest unSACKed sequence number 'S2' that meets the following three
            // criteria for determining loss, the sequence range of one segment of up to SMSS octets starting
            // with S2 MUST be returned." (The third criterion, (1.c), is IsLost (S2).)
            return answer(RETRANSMIT_LOST, s, Seq.min(s + maxLen, sacked.start(i)));
        }
        if (canSendNew) {
            // "(2) If no sequence number 'S2' per rule (1) exists but there exists available unsent data and
            // the receiver's advertised window allows, the sequence range of one segment of up to SMSS octets
            // of previously unsent data starting with sequence number HighData+1 MUST be returned."
            return answer(NEW_DATA, highData, highData + maxLen);
        }
        if (belowSacked) {
            // "(3) If the conditions for rules (1) and (2) fail, but there exists an unSACKed sequence number
            // 'S3' that meets the criteria for detecting loss given in steps (1.a) and (1.b) above
            // (specifically excluding step (1.c)), then one segment of up to SMSS octets starting with S3 SHOULD
            // be returned."
            return answer(RETRANSMIT_UNSACKED, s, Seq.min(s + maxLen, sacked.start(i)));
        }
        if (rescueAllowed && (!rescueDefined || Seq.gt(highAck, rescueRxt))) {
            // "(4) If the conditions for (1)-(3) fail, but there exists outstanding unSACKed data, we provide
            // the opportunity for a single 'rescue' retransmission per entry into loss recovery. If HighACK is
            // greater than RescueRxt (or RescueRxt is undefined), then one segment of up to SMSS octets that
            // MUST include the highest outstanding unSACKed sequence number SHOULD be returned".
            int top = highData;
            int n = sacked.count();
            int holeStart = highAck;
            if (n > 0 && sacked.end(n - 1) == highData) {
                top = sacked.start(n - 1);
                holeStart = n > 1 ? sacked.end(n - 2) : highAck;
            } else if (n > 0) {
                holeStart = sacked.end(n - 1);
            }
            if (Seq.lt(holeStart, top)) {
                return answer(RESCUE, Seq.max(holeStart, top - maxLen), top);
            }
        }
        return answer(NONE, highData, highData);
    }

    private int answer(int kind, int start, int end) {
        segStart = start;
        segEnd = end;
        return kind;
    }

    public int segStart() { return segStart; }
    public int segEnd() { return segEnd; }

    /**
     * A retransmission of [start, end) was sent (NextSeg rules 1 and 3, or the first fast retransmission).
     * RFC 6675 §5 (C.2): "If any of the data octets sent in (C.1) are below HighData, HighRxt MUST be set to
     * the highest sequence number of the retransmitted segment unless NextSeg () rule (4) was invoked".
     */
    public void retransmitted(int start, int end) {
        if (Seq.gt(end, highRxt)) highRxt = Seq.min(end, highData);
    }

    /** Rule 4's bookkeeping: "RescueRxt set to RecoveryPoint. HighRxt MUST NOT be updated." */
    public void rescueRetransmitted(int recoveryPoint) {
        rescueRxt = recoveryPoint;
        rescueDefined = true;
    }

    /** (C.3): "HighData must be updated to reflect the transmission of previously unsent data." */
    public void newDataSent(int end) {
        if (Seq.gt(end, highData)) highData = end;
    }

    /**
     * On entering loss recovery, RFC 6675 §5 step (4.3): "set both HighRxt and RescueRxt to the highest sequence
     * number in the retransmitted segment" (the first retransmission, from HighACK); and step (3.1), for
     * limited transmit, resets HighRxt to HighACK.
     */
    void startRecovery() {
        highRxt = highAck;
        rescueRxt = highAck;
        rescueDefined = false;
    }

    void firstRetransmission(int end) {
        retransmitted(highAck, end);
        rescueRxt = highRxt;
        rescueDefined = true;
    }

    void resetHighRxt() {
        highRxt = highAck;
    }

    /** Forgets all SACK information (after reneging, or when the engine chooses to on an RTO). */
    public void clearSacks() {
        sacked.clear();
        lostBelow = highAck;
    }

    // ------------------------------------------------------------------------------------------------
    // State

    public int highAck() { return highAck; }
    public int highData() { return highData; }
    public int highRxt() { return highRxt; }
    public int rescueRxt() { return rescueRxt; }
    /** The end of the lost region: every unSACKed octet below it is lost. */
    public int lostBelow() { return lostBelow; }
    /** Whether IsLost (HighACK + 1): RFC 6675 §5 step (2)'s entry condition. */
    public boolean headLost() { return Seq.lt(highAck, lostBelow); }
    public int sackedRanges() { return sacked.count(); }
    public int sackedStart(int i) { return sacked.start(i); }
    public int sackedEnd(int i) { return sacked.end(i); }
    public long sackedBytes() { return sacked.bytes(); }
    public boolean isSacked(int seq) { return sacked.contains(seq); }
    /** The highest SACKed octet + 1, or HighACK when nothing is SACKed. */
    public int highestSacked() { return sacked.isEmpty() ? highAck : sacked.end(sacked.count() - 1); }

    /** Octets newly SACKed by the last update. */
    public int newlySacked() { return newlySacked; }
    /** Whether the last update's first block was a D-SACK (RFC 2883). */
    public boolean lastWasDsack() { return dsack; }
    /** Blocks the last update discarded as invalid. */
    public int lastDiscarded() { return discarded; }
    /** Whether the last update suggests the receiver reneged (RFC 2018 §8; Linux's tcp_check_sack_reneging). */
    public boolean renegingSuspected() { return reneging; }
    /** D-SACK blocks received in total (Linux's TCPDSACKRecv). */
    public long dsacksReceived() { return dsacksReceived; }
    /** Invalid blocks discarded in total (Linux's TCPSACKDiscard). */
    public long blocksDiscarded() { return blocksDiscarded; }
    /** Storage held by the ranges, in ints (bounded by 2 * maxRanges). */
    public int memoryInts() { return 2 * sacked.capacity(); }

    @Override
    public String toString() {
        return "sacked " + sacked + " highAck " + Seq.str(highAck) + " highData " + Seq.str(highData)
                + " highRxt " + Seq.str(highRxt) + " lostBelow " + Seq.str(lostBelow);
    }
}
