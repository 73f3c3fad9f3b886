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
 * ring), the window we offer (tcp_select_window, window updates after reads, receive-buffer autotuning), and when
 * to acknowledge (RFC 9293 §3.8.6.3, RFC 5681
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
    /** Autotuning: bytes the application has read in all. */
    private long autoBytesRead;
    /** Autotuning: {@link #autoBytesRead} when the current round trip began. */
    private long autoReadAtRoundStart;
    /** Autotuning: when the current round trip began (ns). */
    private long autoRoundStart;
    /** Autotuning: the most read in one round trip so far (Linux's rcvq_space.space). */
    private int autoSpace;
    /** Autotuning: the receiver's own round-trip estimate (ns), from echoed timestamps; 0 before any. */
    private long autoRtt;

    Receiver(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    /**
     * The connection is established: its first segments are acknowledged at once (quick ACKs), and the time of
     * the last data received starts now (icsk_ack.lrcvtime, set by tcp_finish_connect and tcp_create_openreq_child;
     * tcpi_last_data_recv counts from it, and data we send soon after makes the connection interactive).
     */
    void start(long now) {
        if (tcb.lastDataRecvTime == 0) tcb.lastDataRecvTime = now;
        delayedAck.start(tcb.lastDataRecvTime);
    }

    /**
     * The SYN-ACK arrived while a writer waits for the connection (tcp_rcv_synsent_state_process with
     * sk_write_pending): "Save one ACK": quick-ACK mode, and a delayed ACK (TCP_DELACK_MAX) that the writer's data
     * will most likely carry first.
     */
    void saveOneAck(long now) {
        delayedAck.enterQuickAckMode();
        conn.timers.armDelayedAck(now, DelayedAck.DELACK_MAX);
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
        if (Ecn.acceptCwr(tcb, seg)) ackNow = true; // tcp_data_queue's tcp_ecn_accept_cwr
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
                tcb.counters().inc(Counter.TCP_ZERO_WINDOW_DROP);
                ackNow = true;
                return;
            }
        }
        if (!tcb.recvBuf.roomFor(tcb.env.memory(), offset, len)) {
            // tcp_try_rmem_schedule failed: the stack holds more than tcp_mem[2] (tcp_data_queue, tcp_data_queue_ofo)
            tcb.counters().inc(offset > 0 ? Counter.TCP_OFO_DROP : Counter.TCP_RCV_Q_DROP);
            ackNow = true;
            return;
        }
        dataArrived(seg, now);
        int inOrder = tcb.recvBuf.store(tcb.env.memory(), offset, seg.payload, off, len);
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
        int quick = Ecn.checkCe(tcb, seg); // tcp_ecn_check_ce: CE asks for ECE and quick ACKs
        if (quick > 0) delayedAck.enterQuickAckMode(quick);
        tcb.lastDataRecvTime = now;
        if (seg.payloadLength > delayedAck.rcvMss) delayedAck.rcvMss = Math.min(seg.payloadLength, Math.max(tcb.advMss, delayedAck.rcvMss));
        measureRtt(seg, now);
    }

    /** Out of order: ACK at once so the sender sees the hole (RFC 5681 §4.2 "SHOULD be sent immediately"). */
    private void outOfOrderArrived(int seq) {
        if (tcb.sackOk) {
            if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
            sackBlocks.outOfOrderArrived(seq);
        }
        tcb.counters().inc(Counter.TCP_OFO_QUEUE);
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
        growWindow(len);
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
        if (delayedAck.ackAtOnce(tcb.rcvNxt - lastAckSent, delayedAck.rcvMss, tcb.options.quickAck)) {
            ackNow = true;
        } else {
            conn.timers.armDelayedAck(now, delayedAck.timeout());
        }
    }

    /** The delayed-ACK timer fired: no data carried the ACK (Linux's tcp_delack_timer_handler). */
    void delayedAckTimeout(long now) {
        tcb.counters().inc(Counter.DELAYED_ACKS);
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
        return tcb.sysctls().get(Sysctl.TCP_DSACK) != 0;
    }

    /** Notes a segment of data we already had, for a D-SACK block in the next ACK (RFC 2883 §4). */
    void duplicateData(int start, int end) {
        if (!tcb.sackOk || !dsackOn() || !Seq.lt(start, end)) return;
        if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
        sackBlocks.duplicateArrived(start, end);
        tcb.counters().inc(Counter.TCP_DSACK_OLD_SENT);
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


    // ------------------------------------------------------------------------------------------------
    // The window we offer (RFC 9293 §3.8.6.2.2; Linux's tcp_select_window, tcp_grow_window, tcp_cleanup_rbuf)

    /** Makes the send and receive rings, sized by SO_SNDBUF/SO_RCVBUF or tcp_wmem[1]/tcp_rmem[1]. */
    void allocateBuffers() {
        ConnectionOptions o = tcb.options;
        int rcvbuf = o.rcvBuf > 0 ? o.rcvBuf : tcb.sysctls().get(Sysctl.TCP_RMEM, 1);
        int sndbuf = o.sndBuf > 0 ? o.sndBuf : tcb.sysctls().get(Sysctl.TCP_WMEM, 1);
        // tcp_adv_win_scale: the share of the buffer that holds data rather than overhead (1 = half).
        tcb.recvBuf = new ReceiveBuffer(winFromSpace(rcvbuf));
        tcb.sendBuf = new SendBuffer(sndbuf, tcb.env.memory());
    }

    /** The window a buffer of {@code space} bytes may offer, after tcp_adv_win_scale's overhead share. */
    int winFromSpace(int space) {
        int scale = tcb.sysctls().get(Sysctl.TCP_ADV_WIN_SCALE);
        return scale <= 0 ? space >> -scale : space - (space >> scale);
    }

    /** Linux's tcp_select_initial_window: the shift that lets the largest buffer be offered. */
    int chooseScale() {
        ConnectionOptions o = tcb.options;
        long space = Math.max(tcb.recvBuf.capacity(), (long) (o.rcvBuf > 0 ? o.rcvBuf : tcb.sysctls().get(Sysctl.TCP_RMEM, 2)));
        if (o.rcvBuf > 0) space = tcb.recvBuf.capacity(); // SO_RCVBUF locks the buffer: scale for what it holds
        int shift = (63 - Long.numberOfLeadingZeros(Math.max(space, 1))) - 15;
        return Math.max(0, Math.min(shift, 14));
    }

    /**
     * Sets the first window and rcv_ssthresh: the buffer's space rounded down to whole {@code segment}s, at most
     * 65535 (tcp_select_initial_window); or, with {@link ConnectionOptions#offerWholeBuffer}, all of it.
     */
    void initial(int segment) {
        tcb.rcvWnd = initialWindow(segment);
        tcb.rcvSsthresh = tcb.options.offerWholeBuffer ? tcb.recvBuf.capacity() : tcb.rcvWnd;
    }

    /** The first window alone (a SYN cookie's SYN-ACK keeps no rcv_ssthresh). */
    int initialWindow(int segment) {
        int space = tcb.recvBuf.capacity();
        if (space > segment && !tcb.options.offerWholeBuffer) space = (space / segment) * segment;
        return Math.min(space, 0xFFFF);
    }

    /**
     * The window to advertise (Linux's tcp_select_window and __tcp_select_window): the free buffer space,
     * limited by rcv_ssthresh, withheld when small (receiver SWS avoidance, RFC 9293 §3.8.6.2.2), never
     * moving the right edge left, rounded up to the scale's granularity. Returns the raw 16-bit field.
     */
    int selectWindow() {
        ReceiveBuffer buf = tcb.recvBuf;
        int shift = tcb.rcvWscale;
        if (buf == null) return tcb.state == TcpState.TIME_WAIT ? tcb.rcvWnd >>> shift : 0;
        int free = buf.free();
        if (free < buf.capacity() / 2 && tcb.env.memory().underPressure()) {
            tcb.rcvSsthresh = Math.min(tcb.rcvSsthresh, 4 * tcb.advMss); // tcp_adjust_rcv_ssthresh
        }
        int wnd = Math.min(free, tcb.rcvSsthresh);
        if (free < buf.capacity() / 2 && free < tcb.advMss) wnd = 0;
        if (wnd > 0 && shift > 0) {
            int g = 1 << shift;
            wnd = (wnd + g - 1) & -g;
        }
        int maxWnd = 0xFFFF << shift;
        if (wnd > maxWnd) wnd = maxWnd;
        // Never shrink the window: keep the old right edge if the new one would be left of it.
        int current = tcb.receiveWindow();
        if (wnd < current) wnd = ((current + (1 << shift) - 1) >>> shift) << shift;
        int raw = wnd >>> shift;
        if (raw > 0xFFFF) raw = 0xFFFF;
        advertised(raw << shift);
        return raw;
    }

    /** Records the window just advertised at RCV.NXT, counting the moves to and from zero as Linux does. */
    private void advertised(int window) {
        int previous = tcb.rcvWnd;
        tcb.rcvWnd = window;
        tcb.rcvWup = tcb.rcvNxt;
        if (window == 0 && previous != 0) tcb.counters().inc(Counter.TCP_TO_ZERO_WINDOW_ADV);
        else if (window != 0 && previous == 0 && tcb.state.isSynchronized()) tcb.counters().inc(Counter.TCP_FROM_ZERO_WINDOW_ADV);
        if (window == 0) tcb.counters().inc(Counter.TCP_WANT_ZERO_WINDOW_ADV);
    }

    /** After the application reads, offer the freed space if it is worth an ACK (Linux's tcp_cleanup_rbuf). */
    void afterRead(int n, long now) {
        adjustSpace(n, now);
        if (!tcb.open() || tcb.finReceived) return;
        int current = tcb.receiveWindow();
        ReceiveBuffer buf = tcb.recvBuf;
        int possible = Math.min(buf.free(), Math.max(tcb.rcvSsthresh, 0));
        boolean worthIt = possible >= 2 * current && possible - current >= Math.max(tcb.advMss, 1);
        boolean reopens = current == 0 && possible >= Math.min(tcb.advMss, buf.capacity() / 2);
        if (worthIt || reopens) {
            conn.transmitter.sendAck(now);
            conn.afterEvent(now);
        }
    }

    /**
     * Linux's tcp_grow_window, simplified: each in-order segment lets the offered window grow by two MSS, except
     * under memory pressure.
     */
    void growWindow(int len) {
        int full = tcb.recvBuf.capacity();
        if (tcb.rcvSsthresh < full && !tcb.env.memory().underPressure()) tcb.rcvSsthresh = Math.min(full, tcb.rcvSsthresh + 2 * Math.max(tcb.advMss, len));
    }

    /** The receiver's timestamps give it its own round-trip time, for autotuning (tcp_rcv_rtt_measure_ts). */
    private void measureRtt(TcpSegment seg, long now) {
        if (!tcb.tsOk || !seg.options.timestamps || seg.options.tsEcr == 0) return;
        autotuneRttSample(Math.max(1, tcb.tsClock(now) - seg.options.tsEcr) * 1_000_000L);
    }

    /** After a read: let autotuning grow the buffer, unless tcp_moderate_rcvbuf is off or SO_RCVBUF fixed it. */
    private void adjustSpace(int n, long now) {
        if (tcb.sysctls().get(Sysctl.TCP_MODERATE_RCVBUF) == 0 || tcb.options.rcvBuf > 0 || tcb.recvBuf == null) return;
        int grown = autotuneRead(n, now, tcb.rtt.srtt(), tcb.advMss, tcb.recvBuf.capacity(),
                winFromSpace(tcb.sysctls().get(Sysctl.TCP_RMEM, 2)));
        if (grown > 0) tcb.recvBuf.setCapacity(grown);
    }

    // ------------------------------------------------------------------------------------------------
    // Receive-buffer autotuning (net.ipv4.tcp_moderate_rcvbuf; Linux's tcp_rcv_space_adjust, "dynamic
    // right-sizing"): once per receiver round trip, if the application read more than it did in the round trip
    // before, the buffer (and so the window) grows to twice what was read plus sixteen segments, up to
    // tcp_rmem[2]. The receiver's round trip comes from the timestamps its peer echoes (tcp_rcv_rtt_measure_ts).

    /** A data segment echoed our timestamp: {@code sample} nanoseconds since we sent it. */
    private void autotuneRttSample(long sample) {
        autoRtt = autoRtt == 0 ? sample : Math.min(autoRtt, sample) + Math.abs(autoRtt - sample) / 8;
    }

    /**
     * The application read {@code n} bytes. Returns the buffer capacity to grow to, or -1 for no change.
     *
     * @param fallbackRtt the sender's SRTT, used while no echoed timestamp gave the receiver its own estimate
     * @param advMss      our MSS (sixteen of them are headroom)
     * @param current     the buffer's capacity now
     * @param max         the most it may hold (tcp_rmem[2] as window space)
     */
    private int autotuneRead(int n, long now, long fallbackRtt, int advMss, int current, long max) {
        autoBytesRead += n;
        long round = autoRtt > 0 ? autoRtt : fallbackRtt;
        if (round <= 0 || now - autoRoundStart < round) return -1;
        int copied = (int) Math.min(Integer.MAX_VALUE, autoBytesRead - autoReadAtRoundStart);
        int grown = -1;
        if (copied > autoSpace) {
            long want = 2L * copied + 16L * Math.max(advMss, 1);
            int capacity = (int) Math.min(want, max);
            if (capacity > current) grown = capacity;
            autoSpace = copied;
        }
        autoReadAtRoundStart = autoBytesRead;
        autoRoundStart = now;
        return grown;
    }

    /** The largest segment payload the peer has sent us (Linux's icsk_ack.rcv_mss), for ACK decisions. */
    int rcvMss() {
        return delayedAck.rcvMss;
    }

    /** Sets the first estimate of it (tcp_initialize_rcv_mss). */
    void setRcvMss(int rcvMss) {
        delayedAck.rcvMss = rcvMss;
    }
}
