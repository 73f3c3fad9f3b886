package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.tcp.cc.CongestionControls;
import io.threeway.tcp.cc.CwndValidation;
import io.threeway.tcp.cc.Prr;
import io.threeway.tcp.recovery.CaState;
import io.threeway.tcp.recovery.LossRecovery;
import io.threeway.tcp.recovery.NewRenoRecovery;
import io.threeway.tcp.recovery.Rack;
import io.threeway.tcp.recovery.RecoverySender;
import io.threeway.tcp.recovery.SackLossRecovery;
import io.threeway.tcp.recovery.Undo;
import io.threeway.tcp.sack.LimitedTransmit;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * The sending half of a connection (gVisor's sender, BSD's tcp_output): what the windows, Nagle (RFC 896) and
 * silly-window avoidance (RFC 9293 §3.8.6.2.1) let out; the ACKs that come back (RFC 9293 §3.10.7.4's fifth
 * step: SND.UNA, the RTT, the send window); retransmission on a timeout with go-back-N (RFC 6298, RFC 5681
 * §3.1); and zero-window probing (the persist timer, RFC 9293 §3.8.6.1). How much may be in flight is the
 * {@link CongestionControl}'s; what to repair after a loss is the {@link LossRecovery}'s.
 */
final class Sender implements RecoverySender {
    /** The connection (its transmitter builds the segments; its lifecycle ends it on a timeout). */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** Grow the window only when it is used (RFC 7661, Linux's tcp_cwnd_validate). */
    private final CwndValidation cwndValidation = new CwndValidation();
    /** The congestion control (RFC 5681, RFC 9438), made when the connection can first send. */
    private CongestionControl cc;
    /** Loss detection and repair: NewReno until SACK information arrives, then RFC 6675. */
    private LossRecovery recovery;
    /** Tail loss probes (RFC 8985 §7); null until a connection they apply to sends data. */
    private LossProbeTimer lossProbes;
    /** RACK's segment times and state (RFC 8985 §6); null until a SACK connection with tcp_recovery's bit 1 sends data. */
    private Rack rack;
    /** Proportional Rate Reduction (RFC 6937), made at the first window reduction (a loss or an ECN-Echo). */
    private Prr prr;
    /** Undo of spurious retransmissions and F-RTO (tcp_try_undo_*, RFC 5682), made at the first loss episode. */
    private Undo undo;
    /** The persist timer found a small window, or the retransmission timer went back to SND.UNA: send despite silly-window avoidance. */
    private boolean forceSend;
    /** This output call is corked (a MSG_MORE write's push, Linux's TCP_NAGLE_CORK for that call). */
    boolean corkOnce;
    /** Karn's algorithm without timestamps: one segment is timed at a time, never a retransmitted one. */
    private boolean rttTiming;
    /** When the timed segment was sent. */
    private long rttStart;
    /**
     * The end of the last short segment of new data sent (Linux's snd_sml, tcp_minshall_update: a super-segment
     * shorter than its segments times the MSS), for Minshall's Nagle ({@link #holdBack}).
     */
    private int sndSml;
    /** The end of the highest data retransmitted (for Linux's retrans_out, {@link #retransmittedOut}). */
    private int retransHigh;
    /** Segments left in the current TSO/GSO super-segment of this output call (0: the next one starts a new one). */
    private int tsoLeft;
    /**
     * Segments the peer has acknowledged (Linux's tp->delivered, tcpi_delivered, a u32): our SYN or SYN-ACK counts
     * one (with the SYN's data), and newly acknowledged data counts as full-sized segments, rounded up per ACK.
     */
    int delivered; // here, not in Tcb: an idle connection's heap stays within issue 12's 1 KiB

    Sender(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    // ------------------------------------------------------------------------------------------------
    // Congestion control

    /** Makes the congestion control and loss recovery: the connection may send from now on. */
    void startCongestionControl(long now) {
        String name = tcb.options.congestion;
        CongestionControl chosen = name == null ? null : CongestionControls.byName(name);
        cc = chosen != null ? chosen : CongestionControls.stackDefault(tcb.sysctls());
        cc.init(tcb.mss, now);
        cwndValidation.reset(tcb.sndUna);
        sndSml = tcb.iss; // tcp_connect_init, tcp_create_openreq_child: no short segment sent yet
        retransHigh = tcb.iss;
        // Loss recovery (and SACK's scoreboard) is made when first needed: an idle connection costs less.
    }

    /** Loss recovery: NewReno (RFC 6582 §3.2 step 1: recover = ISS) until something else took over. */
    private LossRecovery recovery() {
        if (recovery == null) recovery = new NewRenoRecovery(this, tcb.iss);
        return recovery;
    }

    /** Whether the congestion control exists yet. */
    boolean started() { return cc != null; }

    /** Drops the congestion control (an orphaned connection in TIME-WAIT). */
    void release() {
        cc = null;
    }

    /**
     * TCP_CONGESTION on a live connection (Linux's tcp_reinit_congestion_control): the new algorithm starts
     * from the current window. Unknown names are refused by the caller.
     */
    void changeCongestionControl(String name, long now) {
        if (cc == null || cc.name().equals(name)) return;
        CongestionControl next = CongestionControls.byName(name);
        if (next == null) return;
        int cwnd = cc.cwnd();
        next.init(tcb.mss, now);
        next.setCwnd(cwnd);
        cc = next;
    }

    /** cwnd in bytes (0 before the connection can send). */
    int cwnd() {
        return cc == null ? 0 : cc.cwnd();
    }

    /** ssthresh in bytes (0 before the connection can send). */
    int ssthresh() {
        return cc == null ? 0 : cc.ssthresh();
    }

    /**
     * The algorithm's name, as TCP_CONGESTION and ss print it; before the handshake completes (no algorithm made
     * yet), the one the connection will get, as Linux names it for a new socket and a SYN-RECV request socket.
     */
    String congestionControlName() {
        return cc != null ? cc.name() : CongestionControls.nameFor(tcb.options.congestion, tcb.sysctls());
    }

    /** Whether a loss recovery episode is under way. */
    boolean inRecovery() {
        return recovery != null && recovery.inRecovery();
    }

    /** When recovery's own timer (RACK's reordering timer) falls due; NEVER once CLOSED (inet_csk_clear_xmit_timers). */
    long recoveryDeadline() { return recovery == null || tcb.state == TcpState.CLOSED ? Timers.NEVER : recovery.deadline(); }

    /** The tail loss probe's timer fell due (Linux's ICSK_TIME_LOSS_PROBE: tcp_send_loss_probe). */
    void lossProbeTimeout(long now) { if (lossProbes != null) lossProbes.fire(this, now); }

    /** A segment went out: a new one is what a tail loss probe resends; RACK logs its time (both made here). */
    private void segmentSent(int seq, int len, boolean retransmission, boolean push, long now) {
        if (lossProbes == null && LossProbeTimer.applies(tcb)) lossProbes = new LossProbeTimer(conn, tcb);
        if (lossProbes != null && !retransmission) lossProbes.newSegmentSent(seq);
        if (rack == null && tcb.sackOk && Rack.enabled(tcpRecovery())) rack = new Rack(reorderingThreshold());
        if (rack != null) rack.onTransmit(seq, len, retransmission, push && LossProbeTimer.endsWrite(tcb, seq + len), now);
    }

    /** Loss recovery's own timer fell due. */
    void recoveryTimeout(long now) {
        recovery.onDeadline(now);
    }

    /** Linux's tcp_sndbuf_expand: room for twice the congestion window, up to tcp_wmem[2], unless SO_SNDBUF set it. */
    void growSendBuffer() {
        if (tcb.options.sndBuf > 0) return;
        int want = (int) Math.min((long) tcb.sysctls().get(Sysctl.TCP_WMEM, 2),
                2L * Math.max(cc.cwnd(), Math.max(tcb.sndWnd, CongestionControl.INITIAL_WINDOW_SEGMENTS * tcb.mss)));
        if (want > tcb.sendBuf.limit()) tcb.sendBuf.setLimit(want);
    }

    // ------------------------------------------------------------------------------------------------
    // Output

    /**
     * Sends what the windows allow (Linux's tcp_write_xmit; RFC 9293 §3.8.6.2.1 for the sender's side of
     * silly-window avoidance, RFC 896 for Nagle), then a pure ACK if one is owed and nothing carried it.
     */
    void output(long now) {
        if (tcb.open() || (tcb.state == TcpState.SYN_RECEIVED && tcb.fastOpenPassive)) {
            restartAfterIdle(now);
            tsoLeft = 0; // each call is one tcp_write_xmit: its first segment starts a super-segment
            int gso = tcb.env.gsoMaxSize(tcb.tuple);
            boolean sentAny = false;
            int sent;
            boolean merging = false;
            while (!(recovery != null && recovery.drivesTransmission()) && (sent = sendOneSegment(now, gso, merging)) != NOT_SENT) {
                sentAny = true;
                merging = sent == MERGING;
            }
            if (merging) conn.transmitter.sendMerged(now);
            if (sentAny && lossProbes != null) lossProbes.schedule(inRecovery(), now, false); // tcp_write_xmit's
            // Linux's tcp_cwnd_validate: the window only grows while the sender actually fills it (RFC 7661).
            int inFlight = tcb.sndNxt - tcb.sndUna;
            boolean cwndFull = cc.cwnd() - inFlight < tcb.mss && tcb.notSent() > 0;
            if (sentAny || cwndFull) cwndValidation.onTransmitRound(inFlight, cwndFull, tcb.sndUna, tcb.sndNxt);
            Chrono.rwndAfterWrite(tcb, inFlight, cwndFull, now);
            // Data waits with nothing in flight: only the persist timer can get it moving (RFC 9293 §3.8.6.1).
            // A FIN alone waits for window too: Linux's tcp_check_probe_timer arms probe0 for any send head, FIN included
            // (without it, an orphan whose FIN met a zero window never ended; found by the soak).
            if (tcb.sndMax == tcb.sndUna && (tcb.notSent() > 0 || finUnsent()) && conn.timers.retransmitIdle()) conn.timers.armPersist(now);
        }
        if (conn.receiver.owesAck()) conn.transmitter.sendAck(now);
    }

    /** The application queued a FIN that has not been sent yet. */
    boolean finUnsent() {
        return tcb.finQueued && tcb.sendBuf != null && Seq.leq(tcb.sndMax, tcb.bufSeq + tcb.sendBuf.size());
    }

    /** Data waits with nothing in flight after a pause: CA_EVENT_TX_START, and RFC 5681 §4.1's restart window. */
    private void restartAfterIdle(long now) {
        if (tcb.sndUna != tcb.sndMax || tcb.lastDataSendTime == 0 || tcb.notSent() <= 0) return;
        cc.onTransmitStart(tcb.lastDataSendTime, now); // Linux's CA_EVENT_TX_START (CUBIC's epoch moves on)
        if (now - tcb.lastDataSendTime > tcb.rtt.rto() && tcb.sysctls().get(Sysctl.TCP_SLOW_START_AFTER_IDLE) == 1) {
            cc.onIdleRestart(tcb.mss, now); // RFC 5681 §4.1: restart the window after an idle period
        }
    }

    /** {@link #sendOneSegment}: nothing was sent. */
    private static final int NOT_SENT = 0;
    /** {@link #sendOneSegment}: a segment went out. */
    private static final int SENT = 1;
    /** {@link #sendOneSegment}: a segment was added to the super-segment the scratch segment holds, not yet sent. */
    private static final int MERGING = 2;

    /**
     * Sends the next segment if the windows and Nagle allow. With {@code gso} (the device's gso_max_size, 0 when it
     * takes no super-segments), consecutive new segments of one super-segment (ended where
     * {@link #pushHere} ends it, as Linux's tcp_write_xmit) are built as one packet; {@code merging}
     * says the scratch segment holds such a packet, not yet sent. Returns {@link #NOT_SENT}, {@link #SENT} or
     * {@link #MERGING}.
     */
    private int sendOneSegment(long now, int gso, boolean merging) {
        // Going back after a timeout: what the peer SACKed need not be sent again (RFC 6675 §5.1).
        if (recovery != null && Seq.lt(tcb.sndNxt, tcb.sndMax)) tcb.sndNxt = recovery.skipDelivered(tcb.sndNxt, tcb.sndMax, tcb.mss);
        int offset = tcb.sndNxt - tcb.bufSeq;             // where SND.NXT falls in the send buffer
        int dataSize = tcb.sendBuf.size();
        int unsent = Math.max(0, dataSize - offset);
        int allUnsent = unsent;
        if (tcb.records != null) unsent = recordRest(tcb.sndNxt, unsent); // no segment spans two MSG_EOR records
        boolean finPending = tcb.finQueued && !tcb.finAcked && Seq.leq(tcb.sndNxt, tcb.bufSeq + dataSize);
        if (unsent == 0 && !finPending) return flushed(merging, now);
        int usable = Math.min(tcb.sndWnd, congestionWindowNow()) - (tcb.sndNxt - tcb.sndUna);
        int mss = currentMss();
        int len = Math.min(Math.min(unsent, mss), Math.max(usable, 0));
        boolean fin = finPending && len == allUnsent;
        // Linux's tcp_write_xmit applies Nagle to the last skb only: a record followed by more data goes (TCP_NAGLE_PUSH).
        if (unsent < allUnsent ? len < unsent && holdBack(len, unsent, mss, false) : holdBack(len, unsent, mss, fin)) {
            return flushed(merging, now);
        }
        if (fin && len == 0 && usable <= 0) return flushed(merging, now); // a FIN needs window too (tcp_snd_wnd_test)
        boolean retransmission = Seq.lt(tcb.sndNxt, tcb.sndMax);
        boolean push = len > 0 && (retransmission ? len == unsent : pushHere(len, unsent, usable, mss));
        int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (push ? TcpFlags.PSH : 0);
        int result = SENT;
        if (gso > 0 && len > 0 && !retransmission && tcb.records == null) {
            // TSO/GSO: one packet for the super-segment, sent when it ends (where pushHere ended it, its PSH if the
            // data was pushed; or a FIN) or the call does
            if (conn.transmitter.merge(tcb.sndNxt, flags, offset, len, mss, gso, merging, now)) {
                result = MERGING;
                if (tsoLeft == 0 || fin) {
                    conn.transmitter.sendMerged(now);
                    result = SENT;
                }
            }
        } else {
            if (merging) conn.transmitter.sendMerged(now);
            conn.transmitter.emit(tcb.sndNxt, flags, offset, len, now);
        }
        if (len > 0) dataSent(len, retransmission, now);
        if (len > 0 && len < mss && !retransmission) sndSml = tcb.sndNxt + len; // tcp_minshall_update
        segmentSent(tcb.sndNxt, len, retransmission, push, now);
        if (len > 0 && recovery != null) recovery.onTransmit(tcb.sndNxt, len, retransmission, now);
        tcb.sndNxt += len + (fin ? 1 : 0);
        if (Seq.gt(tcb.sndNxt, tcb.sndMax)) tcb.sndMax = tcb.sndNxt;
        conn.timers.onSegmentSent(now);
        return result;
    }

    /** Nothing more goes in this call: a super-segment being merged is sent now. Returns {@link #NOT_SENT}. */
    private int flushed(boolean merging, long now) {
        if (merging) conn.transmitter.sendMerged(now);
        return NOT_SENT;
    }

    /**
     * Whether a new segment of {@code len} of the {@code unsent} bytes carries PSH. BSD (the profile's bsdPush):
     * when it sends everything queued. Linux: every write marks its end pushed (tcp_push -> tcp_mark_push), the
     * data goes out in super-segments of tcp_tso_segs MSS (tcp_write_xmit, tcp_mss_split_point), each ending where
     * the data, the window or Nagle stop it, and GSO leaves the PSH on each one's last segment (tcp_gso_segment).
     */
    private boolean pushHere(int len, int unsent, int usable, int mss) {
        if (tcb.env.engineProfile().bsdPush()) return len == unsent;
        // The data's skb was marked (tcp_mark_push), or the probe timer sends it: tcp_write_wakeup sets PSH.
        boolean pushed = tcb.pushedAt(tcb.sndNxt) || forceSend;
        if (tsoLeft <= 0) {
            int inFlight = (tcb.sndNxt - tcb.sndUna) / mss;
            tsoLeft = TsoSizing.segments(tcb.sysctls(), mss, cc.cwnd() / mss, cc.ssthresh() / mss, inFlight,
                    tcb.rtt.srtt(), tcb.rtt.minRtt());
        }
        tsoLeft--;
        int rest = unsent - len;
        boolean nagleHoldsRest = rest > 0 && rest < mss && !tcb.options.noDelay && !tcb.finQueued && nagleWaits();
        boolean last = tsoLeft == 0 || rest == 0 || usable - len < Math.min(mss, rest) || nagleHoldsRest;
        if (last) tsoLeft = 0;
        return last && pushed;
    }

    /**
     * Whether a segment of {@code len} of the {@code unsent} bytes waits: when not everything left fits, only full
     * segments or half the peer's largest window go (SWS avoidance); the last short piece waits for the
     * outstanding data to be acknowledged (Nagle) unless TCP_NODELAY is set or a FIN follows.
     */
    private boolean holdBack(int len, int unsent, int mss, boolean fin) {
        if (len < unsent || (len == 0 && !fin)) {
            return len < mss && !(len > 0 && (len >= tcb.maxSndWnd / 2 || forceSend));
        }
        if (len > 0 && len < mss) {
            // tcp_nagle_check: TCP_NAGLE_CORK (TCP_CORK, or this MSG_MORE write) holds any partial segment until the
            // cork comes off or the probe timer sends it (tcp_write_wakeup, about an RTO later).
            if ((tcb.options.cork || corkOnce) && !forceSend && !tcb.finQueued) return true;
            // tcp_nagle_check with Minshall's rule (tcp_minshall_check): a short segment waits only while an earlier
            // short segment is unacknowledged (snd_una < snd_sml <= snd_nxt), not behind full ones. BSD's tcp_output
            // (the profile's bsdPush) keeps RFC 896's rule: it waits while any data is unacknowledged. (Data, not
            // our SYN: a Fast Open server's answer may follow its SYN-ACK at once, as Linux's child socket has no
            // packets out of its own.)
            return !tcb.options.noDelay && !tcb.finQueued && nagleWaits() && Seq.geq(tcb.sndNxt, tcb.sndMax);
        }
        return false;
    }

    /** Whether Nagle makes a short segment wait now (see {@link #holdBack}): Minshall's rule, or BSD's RFC 896 rule. */
    private boolean nagleWaits() {
        if (tcb.env.engineProfile().bsdPush()) return Seq.gt(tcb.sndMax, Seq.max(tcb.sndUna, tcb.bufSeq));
        return Seq.gt(sndSml, tcb.sndUna) && Seq.leq(sndSml, tcb.sndNxt); // tcp_minshall_check
    }

    /** How many of the {@code unsent} bytes from {@code seq} belong to the record {@code seq} is in (MSG_EOR). */
    private int recordRest(int seq, int unsent) {
        int end = tcb.records.nextEnd(seq);
        return end == seq ? unsent : Math.min(unsent, end - seq);
    }

    /** Bookkeeping for a data segment just sent at SND.NXT: statistics, Karn's timing, pingpong mode. */
    private void dataSent(int len, boolean retransmission, long now) {
        if (retransmission) {
            retransHigh = Seq.max(retransHigh, tcb.sndNxt + len);
            if (undo != null) undo.onRetransmit(tcb.tsClock(now));
            tcb.bytesRetrans += len;
            tcb.totalRetrans++;
            tcb.counters().inc(Counter.RETRANS_SEGS);
        } else {
            tcb.counters().inc(Counter.TCP_ORIG_DATA_SENT);
            if (!rttTiming && !tcb.tsOk) {
                rttTiming = true;
                tcb.rtt.timedSeq = tcb.sndNxt;
                rttStart = now;
            }
        }
        tcb.bytesSent += len;
        tcb.dataSegsOut++;
        tcb.lastDataSendTime = now;
        if (prr != null) prr.sent(1); // tcp_write_xmit: prr_out += sent_pkts while in a reduction
        conn.receiver.dataSent(now);
    }

    /**
     * The congestion window for new data now: cwnd, plus RFC 3042's limited transmit on the first two
     * duplicate ACKs (one new segment each), so a small window still collects the three duplicates that
     * start fast retransmit.
     */
    private int congestionWindowNow() {
        int dupThresh = tcb.sysctls().get(Sysctl.TCP_REORDERING);
        return LimitedTransmit.window(cc.cwnd(), (recovery == null ? 0 : recovery.limitedTransmitDupAcks()), dupThresh, tcb.mss);
    }

    /**
     * Retransmits up to {@code maxLen} bytes starting at {@code seq} without moving SND.NXT (fast retransmit,
     * partial ACKs, SACK recovery, zero-window probing). Never past SND.MAX: only what was sent before (the
     * first transmission may have been shorter, e.g. when SACK blocks took room in its header). Carries the FIN
     * when the range reaches it. Returns the data bytes sent.
     */
    @Override
    public int retransmit(int seq, int maxLen, long now) {
        SendBuffer buf = tcb.sendBuf;
        int offset = seq - tcb.bufSeq;
        int dataEnd = tcb.bufSeq + buf.size();
        int sentData = Math.min(buf.size() - offset, Seq.lt(tcb.sndMax, dataEnd) ? tcb.sndMax - seq : dataEnd - seq);
        if (tcb.records != null) sentData = recordRest(seq, sentData);
        int len = Math.min(Math.min(maxLen, currentMss()), Math.max(0, sentData));
        boolean fin = tcb.finQueued && !tcb.finAcked && seq + len == dataEnd && Seq.gt(tcb.sndMax, dataEnd);
        if (len <= 0 && !fin) return 0;
        boolean psh = len > 0 && rack != null && rack.pushedAt(seq + len); // the skb keeps its PSH (tcp_retransmit_skb)
        conn.transmitter.emit(seq, TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (psh ? TcpFlags.PSH : 0), offset, Math.max(len, 0), now);
        if (len > 0 && recovery != null) recovery.onTransmit(seq, len, true, now);
        if (seq == tcb.sndUna) conn.timers.rearmIfProbe(now); // tcp_xmit_retransmit_queue: the head's resend rearms the RTO
        if (len > 0 && rack != null) rack.onTransmit(seq, len, true, psh, now);
        if (len > 0) retransHigh = Seq.max(retransHigh, seq + len);
        if (len > 0 && undo != null) undo.onRetransmit(tcb.tsClock(now));
        tcb.bytesRetrans += Math.max(len, 0);
        tcb.totalRetrans++;
        if (prr != null) prr.sent(1); // tcp_xmit_retransmit_queue: prr_out += tcp_skb_pcount(skb)
        tcb.counters().inc(Counter.RETRANS_SEGS);
        rttTiming = false;
        return Math.max(len, 0);
    }

    /** One new segment at SND.MAX, as much as the receiver's window and the MSS allow (recovery decides the cwnd). */
    @Override
    public boolean sendNewData(long now) {
        if (Seq.lt(tcb.sndNxt, tcb.sndMax)) return false;
        int notSent = tcb.notSent();
        if (tcb.records != null) notSent = recordRest(tcb.sndNxt, notSent);
        int len = Math.min(Math.min(notSent, currentMss()), tcb.sndWnd - (tcb.sndNxt - tcb.sndUna));
        if (len <= 0) return false;
        int flags = TcpFlags.ACK | (len == notSent ? TcpFlags.PSH : 0);
        conn.transmitter.emit(tcb.sndNxt, flags, tcb.sndNxt - tcb.bufSeq, len, now);
        if (recovery != null) recovery.onTransmit(tcb.sndNxt, len, false, now);
        segmentSent(tcb.sndNxt, len, false, (flags & TcpFlags.PSH) != 0, now);
        tcb.counters().inc(Counter.TCP_ORIG_DATA_SENT);
        tcb.bytesSent += len;
        tcb.dataSegsOut++;
        tcb.lastDataSendTime = now;
        if (prr != null) prr.sent(1);
        tcb.sndNxt += len;
        tcb.sndMax = tcb.sndNxt;
        return true;
    }

    /**
     * Retransmitted segments not yet acknowledged or SACKed (Linux's tp->retrans_out, tcpi_retrans), as full-sized
     * segments rounded up: what lies between SND.UNA and the end of the highest retransmission was all resent.
     */
    int retransmittedOut() {
        if (cc == null || !Seq.gt(retransHigh, tcb.sndUna)) return 0;
        int bytes = retransHigh - tcb.sndUna - (recovery == null ? 0 : recovery.sackedBetween(tcb.sndUna, retransHigh));
        int mss = Math.max(1, tcb.mss);
        return Math.max(0, (bytes + mss - 1) / mss);
    }

    /**
     * The payload that fits in a segment now: the MSS less the room SACK blocks take (nop, nop, kind, length
     * and 8 bytes a block), as Linux's tcp_current_mss does, so a segment never outgrows the path MTU.
     */
    @Override
    public int currentMss() {
        int blocks = conn.receiver.sackBlocksToSend();
        return blocks == 0 ? tcb.mss : Math.max(tcb.mss - (4 + 8 * blocks), 1);
    }

    // ------------------------------------------------------------------------------------------------
    // ACK processing (§3.10.7.4, fifth step, for the synchronized states)

    /**
     * The ACK processing of the fifth step for the synchronized states. Returns false when the segment is to
     * be dropped (an ACK of something not yet sent, or far behind).
     */
    boolean processAck(TcpSegment seg, long now) {
        int ack = seg.ack;
        if (!ackAcceptable(ack, now)) return false;
        if (prr != null && prr.reason() == Prr.RECOVERY && !inRecovery()) prr.abandon(); // recovery ended elsewhere (an undo)
        tcb.lastAckRecvTime = now;
        conn.timers.probesOut = 0;
        int newWindow = tcb.peerWindow(seg);
        boolean windowChanged = newWindow != tcb.sndWnd;
        if ((recovery == null || !recovery.usesSack()) && tcb.sackOk
                && (seg.options.sackBlocks > 0 || (ack == tcb.sndUna && tcb.sndMax != tcb.sndUna))) {
            // The first SACK information or duplicate ACK: from here on, RFC 6675 keeps the books.
            recovery = new SackLossRecovery(this);
        }
        if (rack != null && (recovery == null || !recovery.usesSack())) rack.acknowledged(ack, minRtt(), now); // no SACK yet
        if (undo != null) undo.beforeAck(seg, recovery, retransHigh, tcb.totalRetrans, tcb.maxSndWnd, tcb.tsOk);
        int priorCwnd = cwnd(), priorSsthresh = ssthresh();
        boolean wasRecovering = inRecovery();
        boolean grow = recovery == null || recovery.onAckArrival(seg, now);
        if (lossProbes != null) grow &= lossProbes.onAck(this, seg, now); // tcp_process_tlp_ack
        int acked = 0;
        int reductions = prr == null ? 0 : prr.reductions();
        if (Seq.gt(ack, tcb.sndUna)) {
            acked = ack - tcb.sndUna;
            // tcp_cong_control: no growth during a window reduction (CWR, Recovery), nor on the ECE that starts one
            newDataAcked(seg, ack, now, grow && !(prr != null && prr.active()) && !Ecn.echoed(tcb, seg));
        }
        boolean duplicate = acked == 0 && ack == tcb.sndUna && seg.payloadLength == 0 && !seg.fin() && !windowChanged
                && tcb.sndMax != tcb.sndUna;
        // NewReno at rest (no recovery made yet) has nothing to do unless the ACK is a duplicate.
        int retransOut = undo == null ? 0 : retransmittedOut(); // before recovery resends more (tcp_try_undo_partial)
        if (recovery != null || duplicate) recovery().onAckProcessed(acked, duplicate, now);
        if (tcb.ecnOk && !Seq.lt(ack, tcb.sndUna)) Ecn.onAck(this, tcb, seg, acked, reductions, now);
        if (recoveryDeadline() != Timers.NEVER) conn.timers.rearmIfProbe(now); // RACK's timer replaces a probe (tcp_rack_mark_lost)
        updateSendWindow(seg, newWindow);
        if (!wasRecovering && inRecovery()) {
            if (undo == null) undo = new Undo(this);
            undo.enterRecovery(priorCwnd, priorSsthresh, retransmittedOut(), tcb.tsClock(now));
        } else if (undo != null) {
            undoAction(undo.afterAck(duplicate, inRecovery(), retransOut, tcb.sackOk, recovery), now);
        }
        return true;
    }

    /**
     * What {@link Undo} decided for this ACK: stop going back over data that was not lost (unmark_loss), send
     * F-RTO's new data (tcp_xmit_recovery's REXMIT_NEW, as far as cwnd allows), or go back to SND.UNA (REXMIT_LOST).
     */
    private void undoAction(int action, long now) {
        if (action == Undo.UNMARK_LOST || action == Undo.SEND_NEW) {
            int back = tcb.sndNxt;
            tcb.sndNxt = tcb.sndMax;
            if (action == Undo.UNMARK_LOST && recovery != null) recovery.onLossUndone();
            if (action == Undo.UNMARK_LOST) return;
            boolean any = false;
            for (int i = Math.max(1, cc.cwnd() / Math.max(1, tcb.mss)); i > 0 && sendNewData(now); i--) any = true;
            if (!any) tcb.sndNxt = back;
            undo.newDataSent(any);
        } else if (action == Undo.RETRANSMIT_LOST) tcb.sndNxt = tcb.sndUna;
    }

    /** SEG.ACK against what was sent: beyond SND.MAX or far behind SND.UNA draws a challenge ACK instead. */
    private boolean ackAcceptable(int ack, long now) {
        if (Seq.gt(ack, tcb.sndMax)) {
            // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment".
            tcb.counters().inc(Counter.TCP_ACK_SKIPPED_CHALLENGE);
            conn.transmitter.sendChallengeAck(now);
            return false;
        }
        if (Seq.lt(ack, tcb.sndUna - Math.max(tcb.maxSndWnd, 1))) {
            // RFC 5961 §5.2: an ACK is acceptable only if (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT; a blind
            // attacker's guess far behind is discarded and answered with a challenge ACK (Linux's tcp_ack, "old ack").
            conn.transmitter.sendChallengeAck(now);
            return false;
        }
        return true;
    }

    /** "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated" when the segment is newer. */
    private void updateSendWindow(TcpSegment seg, int newWindow) {
        int ack = seg.ack;
        if (Seq.leq(tcb.sndUna, ack) && (Seq.lt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 == seg.seq && Seq.leq(tcb.sndWl2, ack)))) {
            boolean opened = tcb.sndWnd == 0 && newWindow > 0;
            tcb.updateSendWindow(newWindow, seg);
            if (opened) conn.timers.stopPersist(); // the window opened: stop probing (tcp_ack_probe) and send
        }
    }

    /** New data acknowledged: release it, measure the RTT, grow the window when {@code grow} (not in recovery). */
    private void newDataAcked(TcpSegment seg, int ack, long now, boolean grow) {
        int acked = ack - tcb.sndUna;
        tcb.bytesAcked += acked;
        int mss = Math.max(1, tcb.mss);
        int segments = (acked + mss - 1) / mss; // tcp_clean_rtx_queue's pcount: whole segments, rounded up
        delivered += segments;
        releaseAcknowledged(ack);
        long sample = rttSample(seg, ack, now);
        Timers timers = conn.timers;
        timers.backoff = 0;
        timers.retransmits = 0;
        timers.retransStamp = Timers.NO_STAMP;
        // tcp_cong_avoid's acked counts segments (a small MSG_EOR record is one): as many MSS of growth.
        if (grow) cc.onAck(segments * mss, tcb.mss, cwndValidation.isCwndLimited(cc.cwnd(), cc.ssthresh()), sample, now);
        // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it (unless recovery says not).
        if (tcb.sndUna == tcb.sndMax) {
            timers.stopRetransmit();
            // tcp_clean_rtx_queue: the retransmission queue is empty (tcp_chrono_stop(sk, TCP_CHRONO_BUSY)).
            if (tcb.chrono != null) tcb.chrono.stop(Chrono.BUSY, tcb.notSent() == 0, now);
        } else if (!timers.persistMode() && (recovery == null || recovery.restartsTimerOnAck())) {
            // tcp_set_xmit_timer: "if (!tcp_schedule_loss_probe(sk, true)) tcp_rearm_rto(sk)"; the RTO restarts
            // from now either way (the probe replaces it, and its tcp_rto_delta_us counts from here)
            timers.armRetransmit(now);
            if (lossProbes != null) lossProbes.schedule(inRecovery(), now, true);
        }
        growSendBuffer();
        tcb.env.wake(conn);
    }

    /** Drops acknowledged data from the send buffer (and notes an acknowledged FIN); SND.UNA moves to {@code ack}. */
    private void releaseAcknowledged(int ack) {
        SendBuffer buf = tcb.sendBuf;
        int dataEnd = tcb.bufSeq + buf.size();
        int dataAcked = Seq.leq(ack, dataEnd) ? ack - tcb.bufSeq : buf.size();
        if (dataAcked > 0) {
            buf.consume(dataAcked);
            tcb.bufSeq += dataAcked;
        }
        if (tcb.finQueued && Seq.gt(ack, dataEnd)) tcb.finAcked = true;
        tcb.sndUna = ack;
        if (Seq.lt(tcb.sndNxt, tcb.sndUna)) tcb.sndNxt = tcb.sndUna;
        if (tcb.records != null) tcb.records.acknowledged(ack);
    }

    /** The RTT this ACK measures: timestamps when agreed (RFC 7323 §4.1), else the one timed segment (Karn). */
    private long rttSample(TcpSegment seg, int ack, long now) {
        long sample = -1;
        if (tcb.tsOk && seg.options.timestamps && seg.options.tsEcr != 0) {
            sample = ((long) (tcb.tsClock(now) - seg.options.tsEcr)) * 1_000_000L;
        } else if (rttTiming && Seq.gt(ack, tcb.rtt.timedSeq)) {
            sample = now - rttStart;
        }
        if (Seq.gt(ack, tcb.rtt.timedSeq)) rttTiming = false;
        if (sample >= 0) tcb.rtt.sample(sample);
        return sample;
    }

    /** Our data is being resent in segments of a new size (after a path MTU drop): Karn times none of them. */
    void resendFromUna(long now) {
        tcb.sndNxt = tcb.sndUna;
        rttTiming = false;
        output(now);
    }

    // ------------------------------------------------------------------------------------------------
    // Timeouts

    /** The retransmission timer for data (RFC 6298 §5.4 to §5.7; Linux's tcp_retransmit_timer). */
    void retransmitTimeout(long now) {
        if (tcb.sndUna == tcb.sndMax) return;
        Timers timers = conn.timers;
        if (tcb.sndWnd == 0 && !tcb.orphaned) {
            ZeroWindowProbe.retransmitTimeout(this, conn, tcb, now);
            return;
        }
        // tcp_write_timeout: an orphan first asks tcp_out_of_resources whether the stack can still afford it
        boolean alive = tcb.rtt.rto(timers.backoff) < tcb.rtt.rtoMax();
        if (tcb.orphaned && OutOfResources.check(conn, tcb, alive || !writeTimedOut(now), now)) return;
        if (timers.retransmits > 0 && writeTimedOut(now)) {
            conn.abortOnTimeout("retransmission limit (tcp_retries2)", false, now);
            return;
        }
        if (timers.retransStamp == Timers.NO_STAMP) timers.retransStamp = timers.rtoArmedAt;
        // RFC 5681 §3.1: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = 1 SMSS; RFC 6582 §4: recover = highest sent.
        if (undo == null) undo = new Undo(this); // tcp_enter_loss: the window before it, F-RTO (RFC 5682 §3.1 step 1)
        undo.enterLoss(inRecovery(), timers.retransmits, retransmittedOut(), tcb.sysctls().get(Sysctl.TCP_FRTO) > 0);
        cc.onRetransmitTimeout(tcb.sndMax - tcb.sndUna, tcb.mss, now);
        recovery().onRetransmitTimeout(now);
        if (lossProbes != null) lossProbes.onRetransmitTimeout();
        if (prr != null) prr.abandon(); // tcp_enter_loss: the loss window replaces any reduction under way
        Ecn.queueCwr(tcb); // tcp_enter_loss's tcp_ecn_queue_cwr: the reduction is announced on the next new segment
        rttTiming = false; // Karn: never time a retransmitted segment
        timers.retransmits++;
        if (timers.backoff < 64) timers.backoff++;
        // Go back N: resend from SND.UNA; the window lets one segment out. Linux's tcp_retransmit_timer always sends
        // the head (tcp_retransmit_skb, cut to the window): silly-window avoidance must not hold it back, or a window
        // that shrank below a segment while its updates were lost would never be used (found by the soak).
        tcb.sndNxt = tcb.sndUna;
        forcedOutput(now);
        // __tcp_retransmit_skb: with no window at all the head still goes, one MSS (an orphan's zero window comes
        // here: without a probe it would never hear that the window opened; found by the soak).
        if (tcb.sndNxt == tcb.sndUna) retransmit(tcb.sndUna, currentMss(), now);
        timers.armRetransmit(now);
    }

    /** Whether unacknowledged data has gone unanswered long enough to give up (see {@link RetransmitLimits}). */
    private boolean writeTimedOut(long now) {
        return now - conn.timers.retransStamp >= RetransmitLimits.dataTimeout(tcb.sysctls(), tcb.options, tcb.orphaned,
                tcb.rtt.rtoMin(), tcb.rtt.rtoMax());
    }

    /** The persist timer: probe a zero window ({@link ZeroWindowProbe}). */
    void persistTimeout(long now) {
        ZeroWindowProbe.persistTimeout(this, conn, tcb, now);
    }

    /** Send what the windows allow even where silly-window avoidance would wait (tcp_write_wakeup). */
    void forcedOutput(long now) {
        forceSend = true;
        output(now);
        forceSend = false;
    }

    // ------------------------------------------------------------------------------------------------
    // RecoverySender

    @Override public int sndUna() { return tcb.sndUna; }
    @Override public int sndMax() { return tcb.sndMax; }
    @Override public int sndWnd() { return tcb.sndWnd; }
    @Override public int mss() { return tcb.mss; }
    @Override public int notSent() { return tcb.notSent(); }
    @Override public int reorderingThreshold() { return tcb.sysctls().get(Sysctl.TCP_REORDERING); }
    @Override public CongestionControl congestionControl() { return cc; }
    @Override public Counters counters() { return tcb.counters(); }
    @Override public Prr prr() { return prr != null ? prr : (prr = new Prr()); }

    Prr prrIfMade() { return prr; } // PRR's state if a reduction was ever made, else null

    int sackedInFlight() { return recovery == null ? 0 : recovery.sackedBetween(tcb.sndUna, tcb.sndMax); } // SACKed bytes

    /** Linux's icsk_ca_state (tcpi_ca_state): CWR while an ECN-Echo's reduction lasts, else loss recovery's. */
    int caState() {
        if (prr != null && prr.reason() == Prr.CWR) return CaState.CWR;
        if (undo != null && undo.inLoss()) return CaState.LOSS; // tcp_enter_loss until high_seq or an undo
        return recovery == null ? CaState.OPEN : recovery.caState();
    }
    @Override public void restartRetransmitTimer(long now) { conn.timers.armRetransmit(now); }
    @Override public Rack rack() { return rack; }
    @Override public int tcpRecovery() { return tcb.sysctls().get(Sysctl.TCP_RECOVERY); }
    @Override public long minRtt() { return tcb.rtt.minRtt() == Long.MAX_VALUE ? 0 : Math.max(0, tcb.rtt.minRtt()); }
    @Override public long srtt() { return Math.max(0, tcb.rtt.srtt()); }
    @Override public long delivered() { return delivered; }
    int reordering() { return rack != null ? rack.reordering() : reorderingThreshold(); } // tp->reordering (tcpi_reordering)
    int lostOut() { return rack == null ? 0 : rack.lostSegments(tcb.sndUna); } // tp->lost_out (tcpi_lost)
    int sackedOut() { return rack == null ? 0 : rack.sackedSegments(); } // tp->sacked_out (tcpi_sacked)
}
