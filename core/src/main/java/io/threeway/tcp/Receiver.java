package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.sack.SackBlockBuilder;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;

/**
 * The receiving half of a connection (gVisor's receiver): which segments are acceptable (RFC 9293 §3.10.7.4's
 * first step, RFC 7323's PAWS), the text and the FIN (seventh and eighth steps, reassembly in the receive
 * ring), the window we offer ({@link ReceiveWindow}), and when to acknowledge (RFC 9293 §3.8.6.3, RFC 5681
 * §4.2, Linux's __tcp_ack_snd_check with {@link DelayedAck}), SACK and D-SACK blocks included (RFC 2018,
 * RFC 2883). It is the out-of-order range list the SACK block builder reads.
 */
final class Receiver implements SackBlockBuilder.Ranges {
    /** RFC 7323 §5.5 R5 (Linux's TCP_PAWS_24DAYS): an idle connection's TS.Recent stops being trusted. */
    static final long PAWS_IDLE_LIMIT = 24L * 24 * 3600 * 1_000_000_000L;

    /** The connection (its transmitter sends our ACKs, its lifecycle takes the FIN). */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** When to acknowledge: quick ACKs, pingpong mode, the adaptive delayed-ACK timeout. */
    private final DelayedAck delayedAck = new DelayedAck();
    /** An ACK is owed now (Linux's ICSK_ACK_NOW): the next output sends one if no data carries it. */
    private boolean ackNow;
    /** RCV.NXT as of the last ACK we sent (RFC 7323's Last.ACK.sent). */
    private int lastAckSent;
    /** The choice and order of SACK blocks (RFC 2018 §4, RFC 2883), made when first needed. */
    private SackBlockBuilder sackBlocks;

    Receiver(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    /** The connection is established: its first segments are acknowledged at once (quick ACKs). */
    void start() {
        delayedAck.start();
    }

    /** An ACK is owed at once. */
    void ackNow() {
        ackNow = true;
    }

    /** Whether an ACK is owed at once. */
    boolean owesAck() {
        return ackNow;
    }

    /** Forgets an owed ACK (a half-open passive connection does not answer until its handshake completes). */
    void dropOwedAck() {
        ackNow = false;
    }

    /** An ACK of {@code ack} went out. */
    void ackSent(int ack) {
        lastAckSent = ack;
        ackNow = false;
    }

    /** Our SYN-ACK acknowledged RCV.NXT. */
    void synAckSent() {
        lastAckSent = tcb.rcvNxt;
    }

    /** Whether TS.Recent may follow this segment's TSval (RFC 7323 §4.3: at or before Last.ACK.sent). */
    boolean updatesTsRecent(TcpSegment seg) {
        return tcb.tsOk && seg.options.timestamps && Seq.leq(seg.seq, lastAckSent) && Seq.geq(seg.options.tsVal, tcb.tsRecent);
    }

    // ------------------------------------------------------------------------------------------------
    // Acceptability (§3.10.7.4, first step)

    /** RFC 7323 §5.3's PAWS test (Linux's tcp_paws_discard without the disordered-ACK exception). */
    boolean pawsRejects(TcpSegment seg, long now) {
        if (!tcb.tsOk || !seg.options.timestamps || seg.rst() || tcb.state == TcpState.SYN_RECEIVED) return false;
        if (now - tcb.tsRecentTime > PAWS_IDLE_LIMIT) return false; // R5: TS.Recent is too old to trust
        return tcb.tsRecent - seg.options.tsVal > 1;
    }

    /** The segment acceptability test of §3.10.7.4 (the four cases by SEG.LEN and RCV.WND). */
    boolean acceptable(TcpSegment seg) {
        boolean bsd = tcb.env.engineProfile().bsdReceiveWindow();
        int wnd = bsd ? bsdReceiveWindow() : tcb.receiveWindow();
        int len = seg.segLen();
        int seq = seg.seq;
        int rcvNxt = tcb.rcvNxt;
        if (len == 0) {
            return wnd == 0 ? seq == rcvNxt : Seq.inRange(seq, rcvNxt, rcvNxt + wnd)
                    // Linux (tcp_sequence) and BSD's trimming also take a bare segment at the right edge; BSD's
                    // RST check does not (tcp_input: SEQ_LT(th_seq, last_ack_sent + rcv_wnd)), as the RFC says.
                    || (seq == rcvNxt + wnd && !(bsd && seg.rst()));
        }
        if (wnd == 0) {
            // Nothing fits, but the ACK and RST information is still valuable when SEG.SEQ = RCV.NXT.
            return seq == rcvNxt;
        }
        int end = seq + len - 1;
        return Seq.inRange(seq, rcvNxt, rcvNxt + wnd) || Seq.inRange(end, rcvNxt, rcvNxt + wnd);
    }

    /**
     * Under {@link EngineProfile#bsdReceiveWindow()}: an ACK-bearing segment that is all duplicate, as BSD's
     * tcp_input sees it ({@code todrop = rcv_nxt - th_seq}: more than the text, or all the text and no FIN).
     * TIME-WAIT and SYN-RECEIVED are handled elsewhere in BSD (tcp_twcheck, the syncache).
     */
    boolean bsdOldDuplicate(TcpSegment seg) {
        if (!tcb.env.engineProfile().bsdReceiveWindow() || tcb.state == TcpState.TIME_WAIT
                || tcb.state == TcpState.SYN_RECEIVED || !seg.ackFlag() || seg.rst() || seg.syn()) {
            return false;
        }
        int todrop = tcb.rcvNxt - seg.seq;
        return todrop > seg.payloadLength || (todrop == seg.payloadLength && todrop > 0 && !seg.fin());
    }

    /**
     * RCV.WND as BSD's tcp_input computes it for the acceptability test: the receive buffer's free space or the
     * window advertised, whichever is larger ({@code rcv_wnd = imax(sbspace(&so->so_rcv), rcv_adv - rcv_nxt)}),
     * where the buffer has been rounded up to whole segments once the MSS was known (tcp_mss's
     * {@code roundup(sb_hiwat, mss)}).
     */
    private int bsdReceiveWindow() {
        // A passive half-open connection lives in BSD's syncache, whose window is the one its SYN-ACK offered
        // (sc_wnd); only a real control block (from simultaneous open on) has a socket buffer to count.
        ReceiveBuffer buf = tcb.recvBuf;
        if (buf == null || (tcb.state == TcpState.SYN_RECEIVED && tcb.passive)) return tcb.receiveWindow();
        int mss = tcb.mss;
        int buffer = mss > 0 ? (int) Math.min(Integer.MAX_VALUE, ((long) buf.capacity() + mss - 1) / mss * mss) : buf.capacity();
        return Math.max(buffer - buf.readable(), tcb.receiveWindow());
    }

    /** Whether {@code seq} lies in the receive window that acceptable() uses (a SYN's test under insecure_syn). */
    boolean inWindow(int seq) {
        int wnd = tcb.env.engineProfile().bsdReceiveWindow() ? bsdReceiveWindow() : tcb.receiveWindow();
        return Seq.inRange(seq, tcb.rcvNxt, tcb.rcvNxt + wnd);
    }

    // ------------------------------------------------------------------------------------------------
    // Text and FIN (§3.10.7.4, seventh and eighth steps)

    /** Seventh step, in-window text: store it, reassemble, decide on the acknowledgment. */
    void receiveText(TcpSegment seg, long now) {
        int seq = seg.seq;
        int off = seg.payloadOffset;
        int len = seg.payloadLength;
        // Trim what we already have ("segments with higher beginning sequence numbers may be held").
        if (Seq.lt(seq, tcb.rcvNxt)) {
            int dup = tcb.rcvNxt - seq;
            if (dup >= len) {
                duplicateData(seq, seq + len);
                ackNow = true; // a full duplicate: tell the peer where we are, with a D-SACK
                return;
            }
            duplicateData(seq, tcb.rcvNxt);
            off += dup;
            len -= dup;
            seq = tcb.rcvNxt;
        }
        // Trim what lies beyond the window.
        int wnd = tcb.receiveWindow();
        int offset = seq - tcb.rcvNxt;
        if (offset + len > wnd) {
            len = Math.max(0, wnd - offset);
            if (len == 0) {
                tcb.counters.inc(Counter.TCP_ZERO_WINDOW_DROP);
                ackNow = true;
                return;
            }
        }
        dataArrived(seg, now);
        int inOrder = tcb.recvBuf.store(offset, seg.payload, off, len);
        if (offset > 0) {
            outOfOrderArrived(seq);
            return;
        }
        inOrderArrived(inOrder, len, now);
    }

    /** Bookkeeping for data that will be stored: counters, the ATO, the peer's segment size, our RTT. */
    private void dataArrived(TcpSegment seg, long now) {
        tcb.dataSegsIn++;
        delayedAck.dataArrived(now, tcb.rtt.rto());
        tcb.lastDataRecvTime = now;
        if (seg.payloadLength > tcb.rcvMss) tcb.rcvMss = Math.min(seg.payloadLength, Math.max(tcb.advMss, tcb.rcvMss));
        conn.receiveWindow.measureRtt(seg, now);
    }

    /** Out of order: ACK at once so the sender sees the hole (RFC 5681 §4.2 "SHOULD be sent immediately"). */
    private void outOfOrderArrived(int seq) {
        if (tcb.sackOk) {
            if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
            sackBlocks.outOfOrderArrived(seq);
        }
        tcb.counters.inc(Counter.TCP_OFO_QUEUE);
        ackNow = true;
    }

    /** {@code inOrder} bytes became readable at RCV.NXT ({@code len} of them from this segment). */
    private void inOrderArrived(int inOrder, int len, long now) {
        tcb.rcvNxt += inOrder;
        tcb.bytesReceived += inOrder;
        if (tcb.recvBuf.rangeCount() == 0 && inOrder > len) {
            ackNow = true; // a hole just filled: ACK at once (RFC 5681 §4.2)
        }
        if (tcb.outOfOrderFin && tcb.outOfOrderFinSeq == tcb.rcvNxt) {
            tcb.outOfOrderFin = false;
            finArrived(now);
        }
        conn.receiveWindow.grow(len);
        scheduleAck(now);
        tcb.env.wake(conn);
    }

    /** Eighth step: a FIN at {@code finSeq}; in order it is taken now, ahead of a hole it waits for the hole. */
    void finSegment(int finSeq, long now) {
        if (finSeq == tcb.rcvNxt) {
            finArrived(now);
        } else if (Seq.gt(finSeq, tcb.rcvNxt)) {
            tcb.outOfOrderFin = true;
            tcb.outOfOrderFinSeq = finSeq;
        }
    }

    /** The FIN is in order: EOF for the reader, and the state moves on. */
    private void finArrived(long now) {
        tcb.rcvNxt += 1;
        tcb.finReceived = true;
        ackNow = true;
        tcb.env.wake(conn);
        switch (tcb.state) {
            case SYN_RECEIVED, ESTABLISHED -> conn.setState(TcpState.CLOSE_WAIT, "FIN received", now);
            case FIN_WAIT_1 -> {
                if (tcb.finAcked) TimeWait.enter(conn, "FIN received", now);
                else conn.setState(TcpState.CLOSING, "FIN received (simultaneous close)", now);
            }
            case FIN_WAIT_2 -> TimeWait.enter(conn, "FIN received", now);
            case TIME_WAIT -> conn.timers.armClose(now + TimeWait.TIME_WAIT_NANOS);
            default -> { }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Acknowledgment policy (RFC 9293 §3.8.6.3, RFC 5681 §4.2; Linux's __tcp_ack_snd_check)

    /** In-order data arrived: ACK now, or arm the delayed ACK. */
    private void scheduleAck(long now) {
        if (ackNow) return;
        if (delayedAck.ackAtOnce(tcb.rcvNxt - lastAckSent, tcb.rcvMss, tcb.options.quickAck)) {
            ackNow = true;
        } else {
            conn.timers.armDelayedAck(now, delayedAck.timeout());
        }
    }

    /** The delayed-ACK timer fired: no data carried the ACK (Linux's tcp_delack_timer_handler). */
    void delayedAckTimeout(long now) {
        tcb.counters.inc(Counter.DELAYED_ACKS);
        delayedAck.timerFired(tcb.rtt.rto());
        conn.transmitter.sendAck(now);
    }

    /** We sent data: answering soon after data arrived makes the connection interactive (pingpong). */
    void dataSent(long now) {
        delayedAck.dataSent(now);
    }

    /** Data the SYN carried was taken (Fast Open): the ATO learns of it like any data. */
    void synDataArrived(long now) {
        delayedAck.dataArrived(now, tcb.rtt.rto());
    }

    // ------------------------------------------------------------------------------------------------
    // SACK and D-SACK blocks (RFC 2018 §4, RFC 2883)

    /** SACK blocks the next segment carries: as many out-of-order ranges as fit beside the timestamps. */
    int sackBlocksToSend() {
        if (!tcb.sackOk || tcb.recvBuf == null) return 0;
        int dsack = sackBlocks != null && sackBlocks.dsackPending() && dsackOn() ? 1 : 0;
        return Math.min(tcb.recvBuf.rangeCount() + dsack, tcb.tsOk ? 3 : 4);
    }

    private boolean dsackOn() {
        return tcb.sysctls.get(Sysctl.TCP_DSACK) != 0;
    }

    /** Notes a segment of data we already had, for a D-SACK block in the next ACK (RFC 2883 §4). */
    void duplicateData(int start, int end) {
        if (!tcb.sackOk || !dsackOn() || !Seq.lt(start, end)) return;
        if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
        sackBlocks.duplicateArrived(start, end);
        tcb.counters.inc(Counter.TCP_DSACK_OLD_SENT);
    }

    /** Writes the SACK blocks into an outgoing segment's options. */
    void addSackBlocks(TcpOptions o) {
        int room = tcb.tsOk ? 3 : 4;
        ReceiveBuffer buf = tcb.recvBuf;
        if (sackBlocks == null) {
            for (int i = 0; i < Math.min(buf.rangeCount(), room); i++) {
                o.addSack(tcb.rcvNxt + buf.rangeStart(i), tcb.rcvNxt + buf.rangeEnd(i));
            }
            return;
        }
        // RFC 2018 §4: the block holding the most recent segment first, then the most recently reported others;
        // a D-SACK block (RFC 2883) for duplicate data goes before them all.
        o.sackBlocks = sackBlocks.build(tcb.rcvNxt, this, room, dsackOn(), o.sackLeft, o.sackRight);
    }

    /** The receive buffer's out-of-order ranges, for the SACK block builder. */
    @Override
    public int count() {
        return tcb.recvBuf == null ? 0 : tcb.recvBuf.rangeCount();
    }

    /** The start of out-of-order range {@code i}, as an absolute sequence number. */
    @Override
    public int start(int i) {
        return tcb.rcvNxt + tcb.recvBuf.rangeStart(i);
    }

    /** The end of out-of-order range {@code i}, as an absolute sequence number. */
    @Override
    public int end(int i) {
        return tcb.rcvNxt + tcb.recvBuf.rangeEnd(i);
    }

    /** Window selection, for the transmitter's headers (see {@link ReceiveWindow#select}). */
    int selectWindow() {
        return conn.receiveWindow.select();
    }
}
