package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.wire.FourTuple;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * One TCP connection, without I/O: the user calls of RFC 9293 §3.10.1 to §3.10.6 and the dispatch of events
 * to the parts that handle them. Segments and time come in through {@link #segmentArrives}, {@link #onTimer}
 * and the user calls ({@link #connect}, {@link #write}, {@link #read}, {@link #shutdownOutput}, {@link #close},
 * {@link #abort}); segments and events go out through the {@link Environment}. The caller says when it is
 * ({@code now}, nanoseconds) and asks {@link #nextDeadline()} when to call again; {@link #info} copies the
 * connection's figures (TCP_INFO, ss -i).
 *
 * <p>Inside, gVisor's shape over one control block ({@link Tcb}, RFC 9293's variables): the {@link Handshake},
 * the {@link Sender} with its loss recovery, the {@link Receiver} (with the window it offers), the
 * {@link Transmitter} that builds segments, the {@link Timers}, and {@link TimeWait}, {@link Keepalive},
 * {@link IcmpReactions} and {@link SegmentArrives} (RFC 9293 §3.10.7's steps). Where the RFC leaves room, the
 * engine does what Linux does; such places name the Linux function. Not thread-safe: one thread drives a
 * connection.
 */
public final class TcpConnection {
    /** Linux's TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s (2·MSL with MSL = 30 s). */
    public static final long TIME_WAIT_NANOS = TimeWait.TIME_WAIT_NANOS;

    /** The control block. */
    final Tcb tcb;
    /** Every timer and the retransmission backoff. */
    final Timers timers;
    /** Builds and hands over every segment. */
    final Transmitter transmitter;
    /** The sending half: output, ACK processing, retransmission, persist, congestion control, loss recovery. */
    final Sender sender;
    /** The receiving half: acceptability, text, FIN, acknowledgment policy, SACK blocks. */
    final Receiver receiver;
    /** The opening handshake's state (Fast Open, cookies, the first SYN's timestamp), made on first use. */
    private Handshake handshake;
    /** What the host keeps with the connection (its table entry). */
    private Object attachment;
    /**
     * TIME-WAIT's view of this connection: made when first needed, and replaced by the host's compact record when
     * the host takes the connection's place with one (see {@link #detach}).
     */
    private TimeWaitBlock timeWait;
    /** Counted in the stack's orphans ({@link TcpMemory#orphans}) since close(), until CLOSED or TIME-WAIT. */
    private boolean orphanCounted;

    /** {@code shared}: a listener's child whose options its siblings share until it changes its own ({@link #options()}). */
    public TcpConnection(Environment env, FourTuple tuple, ConnectionOptions options, boolean shared) {
        this(env, tuple, options);
        tcb.optionsShared = shared;
    }

    public TcpConnection(Environment env, FourTuple tuple, ConnectionOptions options) {
        this.tcb = new Tcb(env, tuple, options);
        this.timers = new Timers(tcb);
        this.transmitter = new Transmitter(this, tcb);
        this.sender = new Sender(this, tcb);
        this.receiver = new Receiver(this, tcb);
    }

    /** The handshake's state, made when first needed. */
    Handshake handshake() {
        if (handshake == null) handshake = new Handshake(this, tcb);
        return handshake;
    }

    /** ESTABLISHED: the handshake's state is needed no more (an idle connection should not carry it). */
    void handshakeDone() {
        handshake = null;
    }

    // ------------------------------------------------------------------------------------------------
    // Queries

    /** RFC 9293's state (a compact TIME-WAIT's, once the host replaced the connection by one). */
    public TcpState state() { return timeWait == null ? tcb.state : timeWait.state(); }

    public FourTuple tuple() { return tcb.tuple; }

    /** The connection's own options, to read or change (a shared set is copied first). */
    public ConnectionOptions options() { return tcb.ownOptions(); }

    /** Came from a listener (a passive open). */
    public boolean isPassive() { return tcb.passive; }

    /** The application has closed its socket. */
    public boolean isOrphaned() { return tcb.orphaned; }

    /** Created by a Fast Open SYN whose data the application can read before the handshake completes. */
    public boolean isFastOpenPassive() { return tcb.fastOpenPassive; }

    /** Whether data in a SYN was acknowledged: ours by the SYN-ACK, or the peer's taken by us (TCPI_OPT_SYN_DATA). */
    public boolean synDataAcked() { return tcb.synDataAcked || tcb.fastOpenPassive; }

    public Object attachment() { return attachment; }

    public void attach(Object o) { attachment = o; }

    /** The pending error, as SO_ERROR reports it; null for none. */
    public Errno error() { return tcb.error; }

    /** Returns and clears the pending error (SO_ERROR's read-and-clear). */
    public Errno takeError() {
        Errno e = tcb.error;
        tcb.error = null;
        return e;
    }

    /** Bytes the application can read now (SIOCINQ). */
    public int readable() { return tcb.readable(); }

    /** The peer has finished sending and every byte has been read: a read returns EOF. */
    public boolean atEof() { return tcb.finReceived && readable() == 0; }

    /** Bytes the application may write now without blocking. */
    public int writable() {
        if (!tcb.maySend() || tcb.finQueued) return 0;
        // tcp_poll's __sk_stream_is_writeable(sk, 1): writable once the unsent bytes, doubled, are below the low-water mark.
        if (((long) tcb.notSent() << 1) >= SendSizing.notSentLowat(tcb)) return 0;
        return tcb.sendBuf == null ? 0 : tcb.sendBuf.free();
    }

    /** Bytes written but not yet acknowledged (ss's Send-Q for a connection, SIOCOUTQ). */
    public int sendQueue() { return tcb.sendBuf == null ? 0 : tcb.sendBuf.size(); }

    /** Bytes not yet sent at all (SIOCOUTQNSD). */
    public int notSent() { return tcb.notSent(); }

    /** The connection is established enough for the application to send (or has failed): connect() returns. */
    public boolean connectDone() {
        return tcb.state.isSynchronized() || (tcb.state == TcpState.CLOSED && tcb.error != null);
    }

    /** True when a write can never succeed again (the send side is shut or the connection is gone). */
    public boolean writeClosed() {
        TcpState s = tcb.state;
        return tcb.finQueued || !(s.canSend() || s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED);
    }

    /** TCP_MAXSEG as getsockopt reads it on a connected socket: the MSS in use (Linux's mss_cache). */
    public int maxSegment() { return tcb.mss; }

    /** TCP_CONGESTION as getsockopt reads it: the algorithm's name. */
    public String congestionControlName() { return sender.congestionControlName(); }

    /** SO_RCVBUF as getsockopt reads it on a connected socket: the receive buffer's space (0 before there is one). */
    public int receiveBufferSpace() { return tcb.recvBuf == null ? 0 : tcb.recvBuf.capacity(); }

    /** The earliest time this connection needs {@link #onTimer}, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        return Math.min(timers.next(), sender.recoveryDeadline());
    }

    /** The connection's figures at {@code now}: TCP_INFO, ss -i and -o, the sequence variables. */
    public TcpInfo info(long now) {
        Tcb t = tcb;
        int mss = Math.max(1, t.mss); // the engine keeps cwnd and ssthresh in bytes; tcp_info counts segments
        int cwnd = sender.cwnd();
        int ssthresh = sender.ssthresh();
        RttEstimator rtt = t.rtt;
        int bufferBytes = (t.sendBuf == null ? 0 : t.sendBuf.array().length) + (t.recvBuf == null ? 0 : t.recvBuf.arrayLength());
        return new TcpInfo(state(), t.tsOk, t.sackOk, t.ecnOk, sender.congestionControlName(), t.wscaleOk,
                t.sndWscale, t.rcvWscale, rtt.rto(timers.backoff), timers.backoff, rtt.srtt(), rtt.rttvar(), t.mss,
                receiver.rcvMss(), t.advMss, cwnd / mss, ssthresh / mss, t.bytesSent, t.bytesRetrans, t.bytesAcked,
                t.bytesReceived, Integer.toUnsignedLong(t.segsOut), Integer.toUnsignedLong(t.segsIn),
                Integer.toUnsignedLong(t.dataSegsOut), Integer.toUnsignedLong(t.dataSegsIn),
                TcpInfo.ago(t.lastDataSendTime, t.bytesSent, now), TcpInfo.ago(t.lastDataRecvTime, t.bytesReceived, now),
                TcpInfo.ago(t.lastAckRecvTime, t.bytesAcked, now), t.sndMax - t.sndUna, timers.retransmits,
                t.totalRetrans, t.recvBuf == null ? 0 : t.recvBuf.capacity(), t.notSent(), rtt.minRtt(),
                timers.probesOut, timers.ssName(), timers.ssDeadline(), t.orphaned, sendQueue(), readable(),
                bufferBytes, cwnd, ssthresh, t.sndWnd, t.rcvWnd, t.iss, t.irs, t.sndUna, t.sndNxt, t.sndMax,
                t.rcvNxt, t.tsRecent, sender.inRecovery(), synDataAcked(), t.lastDataSendTime, t.lastDataRecvTime,
                t.lastAckRecvTime, Integer.toUnsignedLong(sender.delivered), sender.retransmittedOut(), Chrono.busy(t.chrono, now), Chrono.rwnd(t.chrono, now), sender.caState(), Ecn.seen(t));
    }

    // ------------------------------------------------------------------------------------------------
    // User calls (RFC 9293 §3.10.1 to §3.10.6)

    /**
     * The socket layer says whether a writer waits for this connection's handshake (Linux's sk_write_pending,
     * counted by sk_stream_wait_connect and inet_wait_for_connect): then the SYN-ACK's ACK waits for its data.
     */
    public void writePending(boolean waiting) {
        tcb.writePending = waiting;
    }

    /** TCP_CORK off or TCP_NODELAY on (do_tcp_setsockopt): what waits goes at once (TCP_NAGLE_PUSH), corked or not. */
    public void pushPending(long now) {
        if (!tcb.maySend() || tcb.sendBuf == null) return;
        ConnectionOptions o = options(); // its own: a shared set is never changed, even for a moment
        boolean cork = o.cork, noDelay = o.noDelay;
        o.cork = false;
        o.noDelay = true;
        try {
            sender.output(now);
        } finally {
            o.cork = cork;
            o.noDelay = noDelay;
        }
        tcb.env.timersChanged(this);
    }

    /** OPEN, active (§3.10.1): choose an ISS, send SYN, enter SYN-SENT. */
    public void connect(long now) {
        connect(null, 0, 0, now);
    }

    /**
     * OPEN with data, as sendto(MSG_FASTOPEN) or TCP_FASTOPEN_CONNECT (RFC 7413 §4.2): the data is queued
     * before the SYN. With tcp_fastopen's client bit and a cookie cached for this server, the SYN carries the
     * cookie and the data (as much as fits); without a cookie it asks for one and the data follows the
     * handshake. Returns how many bytes were queued.
     */
    public int connect(byte[] data, int off, int len, long now) {
        return connect(data, off, len, false, now);
    }

    /**
     * OPEN with data as {@link #connect(byte[], int, int, long)}, but with {@code synOnly} only what the SYN
     * carries is queued (Linux's sendto with MSG_FASTOPEN: tcp_sendmsg_fastopen takes fastopen_req->copied and
     * the caller writes the rest after the handshake, or a non-blocking one returns that count). Returns it.
     */
    public int connect(byte[] data, int off, int len, boolean synOnly, long now) {
        if (tcb.state != TcpState.CLOSED) throw new IllegalStateException("connect in " + tcb.state);
        int queued = handshake().connect(data, off, len, synOnly, now);
        tcb.env.timersChanged(this);
        return queued;
    }

    /** OPEN, passive (§3.10.1): CLOSED to LISTEN. The host clones a listening connection for each SYN. */
    public void listen(long now) {
        if (tcb.state != TcpState.CLOSED) throw new IllegalStateException("listen in " + tcb.state);
        tcb.passive = true;
        setState(TcpState.LISTEN, "listen()", now);
    }

    /**
     * The host's Fast Open decision for the SYN about to be given to {@link #acceptSyn}: the cookie to hand out
     * in the SYN-ACK (null for none) and whether the SYN's data is accepted.
     */
    public void prepareFastOpen(byte[] cookieToSend, boolean acceptData) {
        handshake().prepareFastOpen(cookieToSend, acceptData);
    }

    /**
     * A clone of a listening socket takes a SYN (§3.10.7.2, "If the state is LISTEN ... third, check for a
     * SYN"): it records the peer's ISN and options, chooses its own ISS, sends SYN-ACK, and enters SYN-RECEIVED.
     * The host has already checked the segment's RST and ACK bits.
     */
    public void acceptSyn(TcpSegment seg, long now) {
        if (tcb.state != TcpState.CLOSED && tcb.state != TcpState.LISTEN) {
            throw new IllegalStateException("acceptSyn in " + tcb.state);
        }
        handshake().acceptSyn(seg, now);
        tcb.env.timersChanged(this);
    }

    /**
     * Answers a SYN with a SYN cookie (RFC 4987 §3.6): the SYN-ACK {@link #acceptSyn} would send, with ISS =
     * {@code cookie} and the peer's options folded into TSval; nothing is kept (the caller throws this object away).
     */
    public void sendCookieSynAck(TcpSegment syn, int cookie, long now) {
        handshake().sendCookieSynAck(syn, cookie, now);
    }

    /**
     * Completes a connection from the ACK that brought back a valid SYN cookie ({@code peerMss} is the MSS the
     * cookie encoded), then processes the ACK as in SYN-RECEIVED, data included. Returns false when the echoed
     * options contradict our settings (a failed cookie).
     */
    public boolean acceptCookie(TcpSegment ack, int peerMss, long now) {
        if (!handshake().acceptCookie(ack, peerMss, now)) return false;
        segmentArrives(ack, now);
        return true;
    }

    /** SEND (§3.10.2): queues up to {@code len} bytes; returns how many were taken (0 when the buffer is full). */
    public int write(byte[] b, int off, int len, long now) {
        return write(b, off, len, false, now);
    }

    /**
     * SEND with MSG_EOR when {@code endOfRecord}: once all {@code len} bytes are queued they end a record, which no
     * segment shares with the next data and no later write is appended to (Linux's TCP_SKB_CB(skb)->eor,
     * tcp_skb_can_collapse_to).
     */
    public int write(byte[] b, int off, int len, boolean endOfRecord, long now) {
        return write(b, off, len, endOfRecord, false, now);
    }

    /**
     * SEND with MSG_EOR ({@code endOfRecord}) and MSG_MORE ({@code more}): with more, the data is not pushed
     * (tcp_push marks no PSH) and a partial segment waits as under TCP_CORK, for this call only.
     */
    public int write(byte[] b, int off, int len, boolean endOfRecord, boolean more, long now) {
        if (!tcb.maySend() || tcb.finQueued) return 0;
        sender.corkOnce = more;
        try {
            return writeQueued(b, off, len, endOfRecord, more, now);
        } finally {
            sender.corkOnce = false;
        }
    }

    /** Queues and pushes a write (see {@link #write(byte[], int, int, boolean, boolean, long)}). */
    private int writeQueued(byte[] b, int off, int len, boolean endOfRecord, boolean more, long now) {
        if (more) tcb.marks(); // what this write queues is not pushed: the mark stays where it is
        else tcb.markPushed(tcb.bufSeq + tcb.sendBuf.size() + len); // tcp_mark_push (what is taken, below)
        if (SendSizing.notSentLowat(tcb) < SendSizing.NO_LOWAT) {
            int n = SendSizing.writeUpToLowat(this, tcb, b, off, len, endOfRecord, now);
            if (!more) tcb.markPushed(tcb.bufSeq + tcb.sendBuf.size());
            return n;
        }
        int n = tcb.sendBuf.write(b, off, len);
        if (!more) tcb.markPushed(tcb.bufSeq + tcb.sendBuf.size());
        if (endOfRecord && n == len && n > 0) tcb.marks().add(tcb.bufSeq + tcb.sendBuf.size());
        if (n > 0) {
            Chrono.dataQueued(tcb, now);
            sender.output(now);
            tcb.env.timersChanged(this);
        }
        return n;
    }

    /** RECEIVE (§3.10.3): copies up to {@code len} bytes; returns the count, 0 if none yet, -1 at end of stream. */
    public int read(byte[] b, int off, int len, long now) {
        int n = tcb.recvBuf == null ? 0 : tcb.recvBuf.read(tcb.env.memory(), b, off, len);
        if (n > 0) {
            receiver.afterRead(n, now);
            tcb.env.timersChanged(this);
            return n;
        }
        return atEof() ? -1 : 0;
    }

    /** shutdown(SHUT_WR): a FIN follows the data already queued (§3.10.4, CLOSE for one direction). */
    public void shutdownOutput(long now) {
        switch (tcb.state) {
            case SYN_SENT -> closeNow("shutdown() in SYN-SENT", now);
            case SYN_RECEIVED, ESTABLISHED -> {
                // §3.10.4, SYN-RECEIVED: "If no SENDs have been issued ... form a FIN segment and send it, and
                // enter FIN-WAIT-1 state". The FIN goes out before our SYN is acknowledged, so the sending
                // machinery must exist already (Linux: tcp_close_state, SYN_RECV -> FIN_WAIT1).
                if (!sender.started()) sender.startCongestionControl(now);
                tcb.finQueued = true;
                setState(TcpState.FIN_WAIT_1, "shutdown()/close()", now);
                sender.output(now);
            }
            case CLOSE_WAIT -> {
                tcb.finQueued = true;
                setState(TcpState.LAST_ACK, "close() after FIN", now);
                sender.output(now);
            }
            default -> { }
        }
        tcb.env.timersChanged(this);
    }

    /**
     * close() (§3.10.4): the application lets go of the socket. Unread data makes it an abort, as Linux does
     * (tcp_close: "data was lost", TCPAbortOnClose); SO_LINGER with 0 aborts too (TCPAbortOnData);
     * otherwise the FIN is queued and the connection finishes on its own, orphaned.
     */
    public void close(long now) {
        tcb.orphaned = true;
        TcpState s = tcb.state;
        if (s == TcpState.TIME_WAIT) {
            TimeWait.compact(this);
            return;
        }
        if (s == TcpState.CLOSED) tcb.releaseReceiveBuffer(); // unread data nobody will read
        if (s == TcpState.LISTEN || s == TcpState.SYN_SENT || s == TcpState.CLOSED) {
            closeNow("close()", now);
            return;
        }
        if (tcb.readable() > 0) {
            tcb.counters().inc(Counter.TCP_ABORT_ON_CLOSE);
            resetAndClose("close() with unread data", now);
            return;
        }
        if (tcb.options.lingerSeconds == 0) {
            tcb.counters().inc(Counter.TCP_ABORT_ON_DATA);
            resetAndClose("close() with SO_LINGER 0", now);
            return;
        }
        shutdownOutput(now);
        if (tcb.state == TcpState.FIN_WAIT_2) armFinWait2(now);
        orphan(now);
        tcb.env.timersChanged(this);
    }

    /**
     * The connection lingers without its application: it counts as an orphan until CLOSED or TIME-WAIT, and with
     * too many orphans or the stack over tcp_mem[2] it is reset at once (tcp_close's tcp_check_oom: "too many
     * orphaned sockets", "out of memory -- consider tuning tcp_mem"; TCPAbortOnMemory).
     */
    private void orphan(long now) {
        TcpState s = tcb.state;
        if (s == TcpState.CLOSED || s == TcpState.TIME_WAIT || orphanCounted) return;
        orphanCounted = true;
        TcpMemory memory = tcb.env.memory();
        memory.orphanAdded();
        if (memory.checkOom(sendQueue())) {
            tcb.counters().inc(Counter.TCP_ABORT_ON_MEMORY);
            resetAndClose("close() out of memory (tcp_mem or tcp_max_orphans)", now);
        }
    }

    /** ABORT (§3.10.5): RST to the peer if it knows of us, then CLOSED. */
    public void abort(long now) {
        tcb.orphaned = true;
        TcpState s = tcb.state;
        if (s == TcpState.CLOSED) {
            tcb.releaseReceiveBuffer(); // reset or timed out: what was left unread goes with the socket (found by the soak)
        } else if (s == TcpState.SYN_SENT || s == TcpState.LISTEN || s == TcpState.TIME_WAIT) {
            closeNow("abort()", now);
        } else {
            resetAndClose("abort()", now);
        }
    }

    /**
     * The listener this half-open connection came from was closed. Linux keeps its request socks apart from the
     * listener's accept queue and lets them die quietly once the listener has left LISTEN (reqsk_timer_handler,
     * and tcp_v4_rcv's inet_csk_reqsk_queue_drop_and_put for a late ACK, which the closed port then resets):
     * no RST goes out. A connection past the handshake is aborted as usual.
     */
    public void listenerClosed(long now) {
        if (tcb.state == TcpState.SYN_RECEIVED && tcb.passive) {
            dropHalfOpen("listener closed", now);
            tcb.env.timersChanged(this);
        } else {
            abort(now);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Socket options that act at once

    /** TCP_KEEPINIT set on a connecting socket restarts the timer from now, as FreeBSD's tcp_ctloutput does. */
    public void keepInitChanged(long now) {
        if (Keepalive.establishing(tcb)) Keepalive.armKeepInit(this, now);
        tcb.env.timersChanged(this);
    }

    /** Turns keepalive on or off (SO_KEEPALIVE) or re-reads its timing (TCP_KEEPIDLE). */
    public void keepaliveChanged(long now) {
        Keepalive.settingsChanged(this, now);
        tcb.env.timersChanged(this);
    }

    /**
     * TCP_CONGESTION on a live connection (Linux's tcp_reinit_congestion_control): the new algorithm starts
     * from the current window. Unknown names are refused by the caller.
     */
    public void changeCongestionControl(String name, long now) {
        options().congestion = name;
        sender.changeCongestionControl(name, now);
    }

    // ------------------------------------------------------------------------------------------------
    // Events from the host

    /** Processes one segment addressed to this connection (RFC 9293 §3.10.7). */
    public void segmentArrives(TcpSegment seg, long now) {
        SegmentArrives.process(this, seg, now);
    }

    /** Runs every timer due at or before {@code now} (RFC 9293 §3.10.8). */
    public void onTimer(long now) {
        if (timers.takeClose(now)) closeDeadlineExpired(now);
        if (tcb.state == TcpState.CLOSED) {
            afterEvent(now);
            return;
        }
        int rtx = timers.takeRetransmit(now);
        if (rtx == Timers.PERSIST) sender.persistTimeout(now);
        else if (rtx == Timers.RETRANSMIT) retransmitTimeout(now);
        else if (rtx == Timers.LOSS_PROBE) sender.lossProbeTimeout(now);
        if (tcb.state != TcpState.CLOSED && timers.takeDelayedAck(now)) receiver.delayedAckTimeout(now);
        if (tcb.state != TcpState.CLOSED && timers.takeKeepalive(now)) Keepalive.timeout(this, now);
        if (tcb.state != TcpState.CLOSED && sender.recoveryDeadline() <= now) sender.recoveryTimeout(now);
        afterEvent(now);
    }

    /** TIME-WAIT's 2·MSL or the orphaned FIN-WAIT-2 timeout expired. */
    private void closeDeadlineExpired(long now) {
        if (tcb.state == TcpState.TIME_WAIT) {
            tcb.counters().inc(Counter.TW);
            closeNow("TIME-WAIT expired (2MSL)", now);
        } else if (tcb.state == TcpState.FIN_WAIT_2) {
            closeNow("FIN-WAIT-2 timeout (tcp_fin_timeout)", now);
        }
    }

    /** The retransmission timer (RFC 6298 §5.4 to §5.7): the SYN's, the SYN-ACK's, or the data's. */
    private void retransmitTimeout(long now) {
        tcb.counters().inc(Counter.TCP_TIMEOUTS);
        switch (tcb.state) {
            case SYN_SENT -> handshake().synTimeout(now);
            case SYN_RECEIVED -> handshake().synAckTimeout(now);
            default -> {
                // FIN-WAIT-1 entered from SYN-RECEIVED: the SYN-ACK is still the first thing unacknowledged.
                if (tcb.sndUna == tcb.iss) handshake().synAckTimeout(now);
                else sender.retransmitTimeout(now);
            }
        }
    }

    /** An ICMP or ICMPv6 error about a segment we sent (see {@link IcmpReactions#error}). */
    public void icmpError(Errno err, long now) {
        IcmpReactions.error(this, err, now);
    }

    /** The path MTU to the peer fell to {@code mtu} (see {@link IcmpReactions#pathMtuChanged}). */
    public void pathMtuChanged(int mtu, long now) {
        IcmpReactions.pathMtuChanged(this, mtu, now);
    }

    /**
     * Whether an ICMP error quoting sequence number {@code seq} is about a segment we sent (Linux's tcp_v4_err:
     * SND.UNA =< seq =< SND.MAX; for a half-open passive connection, our SYN-ACK's ISS as tcp_req_err checks).
     */
    public boolean icmpQuoteInWindow(int seq) {
        if (tcb.passive && tcb.state == TcpState.SYN_RECEIVED) return seq == tcb.iss;
        return Seq.leq(tcb.sndUna, seq) && Seq.leq(seq, tcb.sndMax);
    }

    // ------------------------------------------------------------------------------------------------
    // TIME-WAIT and the host's reuse of its four-tuple

    /**
     * Ends TIME-WAIT early and silently, when the host reuses its four-tuple: for a new outgoing connection
     * (tcp_tw_reuse) or a new incoming SYN that RFC 6191 allows.
     */
    public void endTimeWait(String cause, long now) {
        if (tcb.state != TcpState.TIME_WAIT) return;
        closeNow(cause, now);
        tcb.env.timersChanged(this);
    }

    /** RFC 6191: whether a new SYN may end this connection's TIME-WAIT (see {@link TimeWait#synMayEnd}). */
    public boolean synMayEndTimeWait(TcpSegment syn) {
        return TimeWait.synMayEnd(timeWaitView(), syn);
    }

    /** tcp_tw_reuse: whether connect() may take over this four-tuple in TIME-WAIT (see {@link TimeWait#reusableForConnect}). */
    public boolean reusableForConnect(long now) {
        boolean loopback = tcb.tuple.localAddress().isLoopback() && tcb.tuple.remoteAddress().isLoopback();
        return TimeWait.reusableForConnect(timeWaitView(), tcb.sysctls(), loopback, now);
    }

    /** The ISS for a connection that takes over this four-tuple (see {@link TimeWait#issForSuccessor}). */
    public int issForSuccessor() {
        return TimeWait.issForSuccessor(timeWaitView());
    }

    /** What a compact TIME-WAIT record keeps of this connection (when the host replaces it). */
    public TimeWaitState timeWaitState() {
        return new TimeWaitState(tcb.sndMax, tcb.rcvNxt, tcb.rcvWnd >>> tcb.rcvWscale, tcb.tsOk, tcb.tsRecent,
                tcb.tsRecentTime, tcb.tsOffset, timers.closeDeadline(), transmitter.lastOutOfWindowAck());
    }

    /**
     * The host replaced this orphaned connection in TIME-WAIT by {@code record}: from now on the connection only
     * reports the record's state (TIME-WAIT, then CLOSED), and nothing reaches it any more.
     */
    public void detach(TimeWaitBlock record) {
        this.timeWait = record;
    }

    /** TIME-WAIT's rules' view of this connection. */
    TimeWaitBlock timeWaitView() {
        if (timeWait == null) timeWait = new TimeWaitView();
        return timeWait;
    }

    /** The connection as TIME-WAIT's rules see it, while it is not yet (or never) compact. */
    private final class TimeWaitView implements TimeWaitBlock {
        @Override public int sndMax() { return tcb.sndMax; }
        @Override public int rcvNxt() { return tcb.rcvNxt; }
        @Override public boolean timestamps() { return tcb.tsOk; }
        @Override public int tsRecent() { return tcb.tsRecent; }
        @Override public long tsRecentTime() { return tcb.tsRecentTime; }

        @Override
        public void updateTsRecent(int tsVal, long now) {
            tcb.tsRecent = tsVal;
            tcb.tsRecentTime = now;
        }

        @Override public void restart(long deadline) { timers.armClose(deadline); }
        @Override public boolean outOfWindowAckLimited(long now) { return transmitter.outOfWindowAckLimited(now); }
        @Override public void sendAck(long now) { transmitter.sendAck(now); }
        @Override public void end(String cause, long now) { closeNow(cause, now); }
        @Override public TcpState state() { return tcb.state; }
    }

    // ------------------------------------------------------------------------------------------------
    // Lifecycle (for the engine's parts)

    /** Moves to state {@code to} for {@code cause}, counting it as Linux's SNMP counters do, and tells the host. */
    void setState(TcpState to, String cause, long now) {
        TcpState from = tcb.state;
        if (from == to) return;
        tcb.state = to;
        if (orphanCounted && (to == TcpState.CLOSED || to == TcpState.TIME_WAIT)) {
            orphanCounted = false;
            tcb.env.memory().orphanGone();
        }
        StateCounters.transition(tcb.counters(), from, to);
        tcb.env.stateChanged(this, from, to, cause, now);
    }

    /** Sends RST with SND.NXT (abort, §3.10.5), then closes. */
    void resetAndClose(String cause, long now) {
        transmitter.sendReset(tcb.sndNxt, now);
        closeNow(cause, now);
        tcb.env.timersChanged(this);
    }

    /** To CLOSED at once: timers off, buffers released, the application woken. */
    void closeNow(String cause, long now) {
        if (tcb.state == TcpState.CLOSED) return;
        setState(TcpState.CLOSED, cause, now);
        releaseAll();
        tcb.env.wake(this);
    }

    /**
     * A passive half-open connection ends without a word: the clone returns to LISTEN, which for the host means
     * it is gone (the listener itself never left LISTEN), then is finished.
     */
    void dropHalfOpen(String cause, long now) {
        setState(TcpState.LISTEN, cause, now);
        releaseAll();
        tcb.releaseReceiveBuffer(); // Fast Open data nobody accepted
        tcb.state = TcpState.CLOSED;
    }

    private void releaseAll() {
        timers.cancelAll();
        if (tcb.sendBuf != null) tcb.sendBuf.release();
        if (tcb.orphaned) tcb.releaseReceiveBuffer();
    }

    /** The orphaned FIN-WAIT-2 timeout: tcp_fin_timeout (TCP_LINGER2 could override it). */
    void armFinWait2(long now) {
        timers.armClose(now + tcb.sysctls().get(Sysctl.TCP_FIN_TIMEOUT) * 1_000_000_000L);
    }

    /** What a timeout reports: the last soft error if there was one (Linux's tcp_write_err), else ETIMEDOUT. */
    private Errno timeoutError() {
        return tcb.softError != null ? tcb.softError : Errno.ETIMEDOUT;
    }

    /**
     * Gives up on a timeout, the one way every timer does (Linux's tcp_write_err): the error is the last soft
     * error or ETIMEDOUT, TcpExtTCPAbortOnTimeout counts it, and the connection closes, with an RST to the peer
     * if {@code reset} (keepalive; FreeBSD's tcp_drop once a SYN was received), silently otherwise.
     */
    void abortOnTimeout(String cause, boolean reset, long now) {
        tcb.error = timeoutError();
        tcb.counters().inc(Counter.TCP_ABORT_ON_TIMEOUT);
        if (reset) resetAndClose(cause, now);
        else closeNow(cause, now);
    }

    /** After any event: send what is owed, and let the host re-read the timers. */
    void afterEvent(long now) {
        TcpState s = tcb.state;
        if (s != TcpState.CLOSED && s != TcpState.LISTEN && s != TcpState.SYN_SENT) {
            if (s != TcpState.SYN_RECEIVED || tcb.fastOpenPassive) sender.output(now);
            else if (receiver.owesAck()) receiver.dropOwedAck();
        }
        Keepalive.afterEvent(this, now);
        tcb.env.timersChanged(this);
    }

    /** The control block's variables in one line, for debugging and tests. */
    public String debugState() {
        Tcb t = tcb;
        return t.state + " SND.UNA=" + Seq.str(t.sndUna - t.iss) + " SND.NXT=" + Seq.str(t.sndNxt - t.iss)
                + " SND.MAX=" + Seq.str(t.sndMax - t.iss) + " SND.WND=" + t.sndWnd + " RCV.NXT=" + Seq.str(t.rcvNxt - t.irs)
                + " RCV.WND=" + t.rcvWnd + " rcvWup=" + Seq.str(t.rcvWup - t.irs) + " cwnd=" + sender.cwnd()
                + " ssthresh=" + sender.ssthresh() + " recovery=" + sender.inRecovery() + " backoff=" + timers.backoff
                + " retransmits=" + timers.retransmits + " rto=" + t.rtt.rto(timers.backoff) / 1_000_000 + "ms"
                + " sendQ=" + sendQueue() + " notSent=" + notSent() + " readable=" + readable()
                + " ooo=" + (t.recvBuf == null ? 0 : t.recvBuf.outOfOrderBytes()) + " " + timers.describe()
                + " finQueued=" + t.finQueued;
    }

    @Override
    public String toString() {
        return "TcpConnection[" + tcb.tuple + " " + tcb.state + "]";
    }
}
