package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.recovery.TailLossProbe;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * The engine's side of the tail loss probe (RFC 8985 §7; {@link TailLossProbe} keeps the episode): when to arm
 * the probe timer in place of the RTO (Linux's tcp_schedule_loss_probe, from tcp_write_xmit and tcp_ack's
 * tcp_set_xmit_timer), what the probe sends when it fires (tcp_send_loss_probe), and the window reduction when an
 * ACK shows the probe repaired a loss (tcp_process_tlp_ack). Only for connections that agreed to SACK, with
 * net.ipv4.tcp_early_retrans 3 or 4 (Linux's default 3).
 */
final class LossProbeTimer {
    /** The connection (its sender, timers and transmitter). */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** The episode and the last segment sent. */
    private final TailLossProbe episode = new TailLossProbe();

    LossProbeTimer(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    /**
     * Whether probes apply to the connection: SACK agreed and tcp_early_retrans 3 or 4. The sender makes this
     * object when a connection to which they apply first sends data.
     */
    static boolean applies(Tcb tcb) {
        return tcb.sackOk && TailLossProbe.enabled(tcb.sysctls().get(Sysctl.TCP_EARLY_RETRANS));
    }

    /** A new segment starting at {@code seq} went out (its FIN alone, or data): the probe resends the last one. */
    void newSegmentSent(int seq) {
        episode.tailSent(seq);
    }

    /**
     * Linux's tcp_schedule_loss_probe: for a connection with data in flight, not recovering, arms the probe timer
     * (2*SRTT, plus TCP_RTO_MIN with one segment out for a delayed ACK, else 2 ms; never after the RTO) in place of
     * the retransmission timer. {@code advancingRto}: an ACK is restarting the RTO, so the whole RTO bounds the
     * probe (tcp_set_xmit_timer); else the time left to the running RTO does (tcp_rto_delta_us). Returns whether
     * the probe timer was armed.
     */
    boolean schedule(boolean inRecovery, long now, boolean advancingRto) {
        TailLossProbe p = episode;
        if (tcb.sndUna == tcb.sndMax || !applies(tcb) || !p.maySchedule(inRecovery)) return false;
        if (tcb.state == TcpState.SYN_RECEIVED) return false; // "Don't do any loss probe on a Fast Open connection before 3WHS"
        Timers timers = conn.timers;
        long rtoDelta = advancingRto ? tcb.rtt.rto(timers.backoff) : timers.rtoDelta(now);
        int mss = Math.max(1, tcb.mss);
        int packetsOut = (tcb.sndMax - tcb.sndUna + mss - 1) / mss;
        long srtt = tcb.rtt.hasSample() ? tcb.rtt.srtt() : -1;
        timers.armLossProbe(now, TailLossProbe.timeout(srtt, packetsOut, tcb.rtt.rtoMin(), rtoDelta));
        return true;
    }

    /**
     * The probe timer fired: Linux's tcp_send_loss_probe. "At most one outstanding TLP"; new data if the peer's
     * window takes the next segment (tcp_snd_wnd_test, sent regardless of cwnd and Nagle), else the last segment
     * sent again (the last MSS of the last skb, tcp_fragment). Then the RTO runs from now ("Reset s.t.
     * tcp_rearm_rto will restart timer from now"), or, when nothing went out, where it was.
     */
    void fire(Sender sender, long now) {
        TailLossProbe p = episode;
        if (tcb.sndUna == tcb.sndMax || p.probing()) {
            conn.timers.resumeRetransmit(now);
            return;
        }
        int mss = sender.currentMss();
        int unsent = tcb.notSent();
        boolean fits = unsent > 0 && Seq.geq(tcb.sndNxt, tcb.sndMax)
                && (tcb.sndMax - tcb.sndUna) + Math.min(unsent, mss) <= tcb.sndWnd;
        boolean sent;
        boolean retransmission = !fits;
        if (fits) {
            sent = sender.sendNewData(now);
        } else {
            sent = resendTail(sender, p, mss, now);
        }
        if (!sent) {
            conn.timers.resumeRetransmit(now);
            return;
        }
        p.probeSent(tcb.sndMax, retransmission);
        tcb.counters().inc(Counter.TCP_LOSS_PROBES);
        // The probe is no retransmission of the head (__tcp_retransmit_skb, not tcp_retransmit_skb, which sets
        // retrans_stamp): tcp_retries2 and TCP_USER_TIMEOUT still count from the head's send, not from the probe.
        Timers timers = conn.timers;
        if (timers.retransStamp == Timers.NO_STAMP) timers.retransStamp = timers.rtoArmedAt;
        timers.armRetransmit(now);
    }

    /** Resends the last segment sent (its last MSS); returns whether a segment went out. */
    private boolean resendTail(Sender sender, TailLossProbe p, int mss, long now) {
        int dataEnd = Seq.min(tcb.sndMax, tcb.bufSeq + tcb.sendBuf.size());
        int start = p.tailStart();
        if (Seq.lt(start, tcb.sndUna) || Seq.gt(start, dataEnd)) start = Seq.max(tcb.sndUna, dataEnd - mss);
        int len = dataEnd - start;
        if (len > mss) start += ((len - 1) / mss) * mss; // tcp_fragment at (pcount - 1) * mss
        // __tcp_retransmit_skb: "if (!before(TCP_SKB_CB(skb)->seq, tcp_wnd_end(tp)) && ... != tp->snd_una)
        // return -EAGAIN"; and the segment is cut to the window (avail_wnd).
        int windowEnd = tcb.sndUna + tcb.sndWnd;
        if (Seq.geq(start, windowEnd) && start != tcb.sndUna) return false;
        int end = Seq.gt(windowEnd, start) ? Seq.min(dataEnd, windowEnd) : dataEnd;
        int before = tcb.totalRetrans;
        sender.retransmit(start, end - start, now);
        return tcb.totalRetrans != before;
    }

    /**
     * An acceptable ACK, before SND.UNA moves: tcp_process_tlp_ack. When the probe repaired a loss, "reduce cwnd"
     * (tcp_init_cwnd_reduction, TCP_CA_CWR, tcp_end_cwnd_reduction: ssthresh from the congestion window, and cwnd
     * = ssthresh) and count TCPLossProbeRecovery. Returns whether the window may grow on this ACK.
     */
    boolean onAck(Sender sender, TcpSegment seg, long now) {
        if (episode.onAck(seg, tcb.sndUna) != TailLossProbe.LOSS_REPAIRED) return true;
        var cc = sender.congestionControl();
        cc.onLossDetected(cc.cwnd(), tcb.mss, now);
        cc.onRecoveryExit(cc.cwnd(), tcb.mss);
        tcb.counters().inc(Counter.TCP_LOSS_PROBE_RECOVERY);
        return false;
    }

    /** The retransmission timer expired (tcp_enter_loss): no probe until what was sent before it is acknowledged. */
    void onRetransmitTimeout() {
        episode.onRetransmitTimeout(tcb.sndMax);
    }
}
