package io.threeway.tcp.recovery;

import io.threeway.tcp.sack.SackScoreboard;
import io.threeway.wire.Seq;

/**
 * RACK, time-based loss detection (RFC 8985 §6), as Linux's tcp_recovery.c does it: every segment in flight with
 * the time it was (re)sent (Linux keeps it in the skb, tcp_skb_timestamp_us); on each ACK, the most recently sent
 * segment that was delivered (tcp_rack_advance: RACK.xmit_ts, RACK.end_seq, RACK.rtt); a segment sent before it
 * is lost once RACK.rtt plus the reordering window has passed since it was sent (tcp_rack_detect_loss), and when
 * some are not yet, the reordering timer waits for the first of them (tcp_rack_reo_timeout). The reordering
 * window is min_rtt/4 times a step count that D-SACKs raise (tcp_rack_update_reo_wnd), 0 while no reordering has
 * been seen and recovery is under way or DupThresh segments are SACKed (tcp_rack_reo_wnd).
 *
 * <p>The sender makes one for a connection that agreed to SACK, with bit 1 of net.ipv4.tcp_recovery, when it
 * first sends data; the log grows with the flight and shrinks as SND.UNA moves.
 */
public final class Rack {
    /** Linux's TCP_TIMEOUT_MIN (2 jiffies, 2 ms at HZ=1000): added to the reordering timer's wait. */
    public static final long TIMEOUT_MIN_NANOS = 2_000_000L;
    /** net.ipv4.tcp_recovery's TCP_RACK_LOSS_DETECTION bit. */
    public static final int LOSS_DETECTION = 0x1;
    /** net.ipv4.tcp_recovery's TCP_RACK_STATIC_REO_WND bit: D-SACKs do not widen the window. */
    public static final int STATIC_REO_WND = 0x2;
    /** net.ipv4.tcp_recovery's TCP_RACK_NO_DUPTHRESH bit: the window stays open with DupThresh segments SACKed. */
    public static final int NO_DUPTHRESH = 0x4;
    /** Linux's TCP_RACK_RECOVERY_THRESH: recoveries a widened window lasts without further D-SACKs. */
    static final int RECOVERY_THRESH = 16;
    /** Linux's sysctl_tcp_max_reordering default. */
    static final int MAX_REORDERING = 300;
    /** A segment's flag: delivered by a SACK block. */
    private static final byte SACKED = 1;
    /** A segment's flag: sent more than once (Linux's TCPCB_RETRANS / TCPCB_EVER_RETRANS). */
    private static final byte RETRANS = 2;
    /** A segment's flag: marked lost (TCPCB_LOST) and not retransmitted since. */
    private static final byte LOST = 4;
    /** A segment's flag: marked lost once and not delivered since, resent or not (Linux keeps TCPCB_LOST: lost_out). */
    private static final byte WAS_LOST = 16;
    /** A segment's flag: it went out with PSH (its skb's tcp_flags), which a retransmission keeps. */
    private static final byte PUSH = 8;
    /** The log's first capacity. */
    private static final int INITIAL_CAPACITY = 16;

    /** The segments in flight in sequence order (a ring from {@link #head}): where each starts. */
    private int[] start = new int[INITIAL_CAPACITY];
    /** Where each ends. */
    private int[] end = new int[INITIAL_CAPACITY];
    /** When each was last sent (ns). */
    private long[] sent = new long[INITIAL_CAPACITY];
    /** {@link #SACKED}, {@link #RETRANS}, {@link #LOST}. */
    private byte[] flags = new byte[INITIAL_CAPACITY];
    /** The ring's first slot. */
    private int head;
    /** Segments in the log. */
    private int count;

    /** RACK.xmit_ts: when the most recently sent delivered segment was sent; valid once {@link #haveRack}. */
    private long rackSent;
    /** RACK.end_seq: where that segment ends. */
    private int rackEnd;
    /** RACK.rtt: the RTT of the last segment delivered (tcp_rack_advance sets it for every one). */
    private long rackRtt;
    /** A segment has been delivered since the log began. */
    private boolean haveRack;
    /** RACK.advanced: delivery moved since the last loss check (tcp_rack_mark_lost checks only then). */
    private boolean advanced;
    /** Reordering was seen on this connection (Linux's tp->reord_seen, RACK.reord). */
    private boolean reordSeen;
    /** The reordering degree in segments (Linux's tp->reordering, tcpi_reordering); starts at tcp_reordering. */
    private int reordering;
    /** RACK.reo_wnd_mult (Linux's reo_wnd_steps). */
    private int reoWndSteps = 1;
    /** Recoveries left before the window narrows again (reo_wnd_persist). */
    private int reoWndPersist;
    /** A D-SACK arrived since the window was last widened (rack.dsack_seen). */
    private boolean dsackSeen;
    /** tp->delivered when the window was last widened (rack.last_delivered). */
    private long lastDelivered;
    /** When the reordering timer fires (ns), or Long.MAX_VALUE. */
    private long deadline = Long.MAX_VALUE;
    /** Where the highest segment marked lost ends (the scoreboard's loss point), or SND.UNA. */
    private int lostEnd;
    /** A segment has been logged: {@link #lostEnd} holds a sequence number of this connection. */
    private boolean started;

    /** Starts with net.ipv4.tcp_reordering as the reordering degree. */
    public Rack(int reordering) {
        this.reordering = reordering;
    }

    /** Whether net.ipv4.tcp_recovery's value turns RACK on (tcp_is_rack). */
    public static boolean enabled(int tcpRecovery) {
        return (tcpRecovery & LOSS_DETECTION) != 0;
    }

    // ------------------------------------------------------------------------------------------------
    // The log

    /**
     * A data segment [{@code seq}, {@code seq + len}) went out at {@code now}: new data joins the log's end;
     * a retransmission stamps the segments it covers with the new time (Linux's skb timestamp) and clears their
     * lost mark (tcp_retransmit_skb: TCPCB_SACKED_RETRANS). {@code push}: the segment carried PSH.
     */
    public void onTransmit(int seq, int len, boolean retransmission, boolean push, long now) {
        if (len <= 0) return;
        int segEnd = seq + len;
        if (!retransmission && (count == 0 || Seq.geq(seq, end[slot(count - 1)]))) {
            append(seq, segEnd, now);
            if (push) flags[slot(count - 1)] |= PUSH;
            return;
        }
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            if (Seq.geq(start[k], segEnd)) break;
            if (Seq.gt(end[k], seq)) {
                sent[k] = now;
                flags[k] = (byte) ((flags[k] | RETRANS) & ~LOST);
            }
        }
        int last = count == 0 ? seq : end[slot(count - 1)];
        if (Seq.gt(segEnd, last)) {
            append(Seq.max(seq, last), segEnd, now); // a resend that reaches past the log (data first sent on a SYN)
            if (push) flags[slot(count - 1)] |= PUSH;
        }
    }

    private void append(int from, int to, long now) {
        if (!started) {
            lostEnd = from; // sequence numbers compare modulo 2^32: the loss point starts at the first byte logged
            started = true;
        }
        if (count == start.length) grow();
        int k = slot(count++);
        start[k] = from;
        end[k] = to;
        sent[k] = now;
        flags[k] = 0;
    }

    private void grow() {
        int n = start.length * 2;
        int[] s = new int[n];
        int[] e = new int[n];
        long[] t = new long[n];
        byte[] f = new byte[n];
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            s[i] = start[k];
            e[i] = end[k];
            t[i] = sent[k];
            f[i] = flags[k];
        }
        start = s;
        end = e;
        sent = t;
        flags = f;
        head = 0;
    }

    private int slot(int i) {
        return (head + i) % start.length;
    }

    /**
     * Whether the data sent first as a segment ending at {@code segEnd} carried PSH: Linux retransmits the skb with
     * its flags (tcp_retransmit_skb), and tcp_fragment leaves PSH on the part that ends where the skb ended.
     */
    public boolean pushedAt(int segEnd) {
        for (int i = count - 1; i >= 0; i--) {
            int k = slot(i);
            if (end[k] == segEnd) return (flags[k] & PUSH) != 0;
            if (Seq.lt(end[k], segEnd)) return false;
        }
        return false;
    }

    /** Segments in the log (for tests and the memory account). */
    public int segments() {
        return count;
    }

    /** Forgets every segment (the connection went back to SND.UNA after a timeout: go-back-N resends them). */
    public void clear() {
        count = 0;
        head = 0;
        deadline = Long.MAX_VALUE;
        haveRack = false;
        advanced = false;
    }

    // ------------------------------------------------------------------------------------------------
    // An ACK

    /**
     * A cumulative ACK while no SACK scoreboard keeps the books (tcp_clean_rtx_queue before the first SACK): the
     * segments it delivers advance RACK (tcp_rack_advance) and leave the log, which so holds only what is in flight.
     */
    public void acknowledged(int ack, long minRtt, long now) {
        while (count > 0 && Seq.leq(end[head], ack)) {
            if ((flags[head] & SACKED) == 0) advance(head, minRtt, now);
            head = slot(1);
            count--;
        }
        if (count == 0) head = 0;
    }

    /**
     * An acceptable ACK whose SACK blocks are already on {@code board} (SND.UNA not yet moved): every segment it
     * delivers, cumulatively or by SACK, advances RACK (tcp_rack_advance); a never-retransmitted segment delivered
     * below the highest SACKed sequence before this ACK is reordering (tcp_check_sack_reordering, which also sets
     * the degree, in segments, from how far below); delivered segments leave the log.
     *
     * @param priorFack the highest sequence SACKed or acknowledged before this ACK (Linux's prior_fack)
     * @param minRtt    the path's minimum RTT (ns), for tcp_rack_advance's test of retransmitted segments
     * @return the reordering degree when this ACK showed reordering, else 0
     */
    public int onAck(int ack, SackScoreboard board, int priorFack, int mss, long minRtt, long now) {
        int low = priorFack;
        int removed = 0;
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            boolean cumulative = Seq.leq(end[k], ack);
            boolean newlySacked = !cumulative && (flags[k] & SACKED) == 0 && board.isSacked(start[k])
                    && board.isSacked(end[k] - 1);
            if (!cumulative && !newlySacked) continue;
            if ((flags[k] & SACKED) == 0) {
                advance(k, minRtt, now);
                if ((flags[k] & RETRANS) == 0 && Seq.lt(start[k], low)) low = start[k]; // "Non-retransmitted hole got filled?"
            }
            flags[k] |= SACKED;
            if (cumulative && i == removed) removed++;
        }
        head = slot(removed);
        count -= removed;
        lostEnd = Seq.max(highestLost(), ack);
        return Seq.lt(low, priorFack) ? reordered(Seq.max(board.highestSacked(), ack) - low, mss) : 0;
    }

    /**
     * tcp_check_sack_reordering: "metric = fack - low_seq"; "if ((metric > tp->reordering * mss) && mss)" the
     * degree becomes it in segments, up to tcp_max_reordering; "This exciting event is worth to be remembered"
     * (reord_seen). Returns the reordering degree (TCPSACKReorder counts each call).
     */
    private int reordered(int metric, int mss) {
        reordSeen = true;
        if (mss > 0 && metric > (long) reordering * mss) reordering = Math.min((metric + mss - 1) / mss, MAX_REORDERING);
        return reordering;
    }

    /**
     * tcp_rack_advance: "if (rtt_us < tcp_min_rtt(tp) && (sacked & TCPCB_RETRANS))" the ACK may be for the original
     * transmission, so it is not used; else RACK.rtt takes this segment's RTT and RACK.xmit_ts/end_seq move to it
     * when it was sent after the current one (tcp_skb_sent_after: a later time, or the same time and a higher end).
     */
    private void advance(int k, long minRtt, long now) {
        long rtt = now - sent[k];
        if (rtt < minRtt && (flags[k] & RETRANS) != 0) return;
        advanced = true;
        rackRtt = rtt;
        if (!haveRack || sentAfter(sent[k], rackSent, end[k], rackEnd)) {
            rackSent = sent[k];
            rackEnd = end[k];
            haveRack = true;
        }
    }

    private static boolean sentAfter(long t1, long t2, int seq1, int seq2) {
        return t1 > t2 || (t1 == t2 && Seq.gt(seq1, seq2));
    }

    // ------------------------------------------------------------------------------------------------
    // Loss detection

    /**
     * tcp_rack_mark_lost, when delivery advanced, and tcp_rack_reo_timeout: marks lost every segment not yet
     * delivered that was sent before RACK.xmit_ts and has waited RACK.rtt + the window ("A packet is lost if it
     * has not been s/acked beyond the recent RTT plus the reordering window"); for the others, arms the
     * reordering timer at the longest wait left plus TCP_TIMEOUT_MIN. Returns whether a segment was newly marked.
     */
    public boolean detectLoss(long reoWnd, long now, boolean force) {
        if (!advanced && !force) return false;
        advanced = false;
        deadline = Long.MAX_VALUE;
        if (!haveRack) return false;
        long wait = 0;
        boolean marked = false;
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            if ((flags[k] & (SACKED | LOST)) != 0) continue; // delivered, or lost and not yet resent
            if (!sentAfter(rackSent, sent[k], rackEnd, end[k])) continue;
            long remaining = rackRtt + reoWnd - (now - sent[k]);
            if (remaining <= 0) {
                flags[k] |= LOST | WAS_LOST;
                marked = true;
            } else {
                wait = Math.max(wait, remaining);
            }
        }
        if (wait > 0) deadline = now + wait + TIMEOUT_MIN_NANOS;
        if (marked) lostEnd = highestLost();
        return marked;
    }

    /**
     * tcp_rack_reo_wnd: "If reordering has not been observed, be aggressive during the recovery or starting the
     * recovery by DUPACK threshold" (0); else "allow min_rtt/4 settling delay", times the steps D-SACKs added, at
     * most SRTT.
     */
    public long reoWnd(boolean inRecovery, int sackedSegments, int tcpRecovery, long minRtt, long srtt) {
        if (!reordSeen) {
            if (inRecovery) return 0;
            if (sackedSegments >= reordering && (tcpRecovery & NO_DUPTHRESH) == 0) return 0;
        }
        return Math.min((minRtt / 4) * reoWndSteps, Math.max(srtt, 0));
    }

    /** A D-SACK arrived (tcp_check_dsack: rack.dsack_seen). */
    public void onDsack() {
        dsackSeen = true;
    }

    /**
     * tcp_rack_update_reo_wnd, on every ACK: "Disregard DSACK if a rtt has not passed since we adjusted reo_wnd";
     * a D-SACK since then widens the window one step and keeps it for TCP_RACK_RECOVERY_THRESH recoveries; with
     * none left, it goes back to one step.
     *
     * @param priorDelivered tp->delivered when the segment this ACK's rate sample is for was sent (approximated
     *                       by the value before this ACK)
     */
    public void updateReoWnd(long priorDelivered, long delivered, int tcpRecovery) {
        if ((tcpRecovery & STATIC_REO_WND) != 0 || priorDelivered == 0) return;
        if (priorDelivered < lastDelivered) dsackSeen = false;
        if (dsackSeen) {
            reoWndSteps = Math.min(0xFF, reoWndSteps + 1);
            dsackSeen = false;
            lastDelivered = delivered;
            reoWndPersist = RECOVERY_THRESH;
        } else if (reoWndPersist == 0) {
            reoWndSteps = 1;
        }
    }

    /** A recovery episode began (tcp_enter_recovery's "if (tp->rack.reo_wnd_persist) reo_wnd_persist--"... ). */
    public void onRecoveryStart() {
        if (reoWndPersist > 0) reoWndPersist--;
    }

    /** The retransmission timer expired: the reordering timer stops (the RTO took over). */
    public void cancelTimer() {
        deadline = Long.MAX_VALUE;
    }

    /** Segments in the log delivered by SACK (Linux's sacked_out). */
    public int sackedSegments() {
        int n = 0;
        for (int i = 0; i < count; i++) if ((flags[slot(i)] & SACKED) != 0) n++;
        return n;
    }

    /** When the reordering timer fires, or Long.MAX_VALUE. */
    public long deadline() {
        return deadline;
    }

    /**
     * Where the highest segment marked lost and not yet delivered ends (Linux's lost_out is counted over the same
     * segments), or the log's first byte when none is.
     */
    private int highestLost() {
        for (int i = count - 1; i >= 0; i--) {
            int k = slot(i);
            if ((flags[k] & (WAS_LOST | SACKED)) == WAS_LOST) return end[k];
        }
        return count == 0 ? lostEnd : start[slot(0)];
    }

    /** Where the highest segment RACK marked lost, and not yet delivered, ends (at most SND.UNA when none is). */
    public int lostEnd() {
        return lostEnd;
    }

    /** Linux's tp->reordering (tcpi_reordering). */
    public int reordering() {
        return reordering;
    }

    /** Whether reordering has been seen (tp->reord_seen). */
    public boolean reorderingSeen() {
        return reordSeen;
    }

    /** RACK.reo_wnd_mult. */
    public int reoWndSteps() {
        return reoWndSteps;
    }

    /** Segments in the log marked lost and not SACKed (with those resent since: Linux's lost_out, tcpi_lost). */
    public int lostSegments(int sndUna) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            if ((flags[k] & (WAS_LOST | SACKED)) == WAS_LOST && Seq.gt(end[k], sndUna)) n++;
        }
        return n;
    }
}
