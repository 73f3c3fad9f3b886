package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.tcp.cc.CongestionControls;
import io.threeway.tcp.cc.CwndValidation;
import io.threeway.tcp.sack.SackBlockBuilder;
import io.threeway.tcp.sack.SackRecovery;
import io.threeway.tcp.sack.SackScoreboard;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.wire.FourTuple;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;

/**
 * One TCP connection: its transmission control block (RFC 9293 §3.3.1, fields named after the RFC's
 * variables) and the state machine of §3.10, without I/O. Segments and time come in through
 * {@link #segmentArrives}, {@link #onTimer} and the user calls ({@link #connect}, {@link #write},
 * {@link #read}, {@link #shutdownOutput}, {@link #close}, {@link #abort}); segments and events go out
 * through the {@link Environment}. The caller says when it is ({@code now}, nanoseconds) and asks
 * {@link #nextDeadline()} when to call again.
 *
 * <p>Where the RFC leaves room, the engine does what Linux does; such places name the Linux function.
 * Not thread-safe: one thread drives a connection.
 */
public final class TcpConnection {
    static final long NEVER = Long.MAX_VALUE;
    /** Linux's TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s (2·MSL with MSL = 30 s). */
    public static final long TIME_WAIT_NANOS = 60_000_000_000L;
    /** RFC 9293 §3.7.1: default send MSS when the peer sent no MSS option (536 for IPv4, 1220 for IPv6). */
    static final int DEFAULT_MSS_V4 = 536;
    static final int DEFAULT_MSS_V6 = 1220;
    /** Linux's SYN-cookie TSval encoding: the low 6 bits carry the peer's window scale (15 = none) and SACK. */
    static final int COOKIE_TS_MASK = 0x3F;
    static final int COOKIE_NO_WSCALE = 0xF;
    static final int COOKIE_SACK = 0x10;
    /** Linux's TS_OPT_ECN: the SYN asked for ECN and the SYN-ACK agreed. */
    static final int COOKIE_ECN = 0x20;
    /** Bytes the timestamp option takes in every segment once negotiated (nop, nop, TS). */
    static final int TS_OPTION_SPACE = 12;

    private final Environment env;
    private final Sysctls sysctls;
    private final Counters counters;
    private final FourTuple tuple;
    private final ConnectionOptions options;
    /** The one outgoing segment, refilled for every transmission (no allocation per segment); dropped in TIME-WAIT. */
    private TcpSegment out = new TcpSegment();
    private byte[] wrapScratch;
    private Object attachment;

    private TcpState state = TcpState.CLOSED;
    /** Came from LISTEN (a passive open): an RST in SYN-RECEIVED returns it to LISTEN (RFC 9293 §3.10.7.4). */
    private boolean passive;
    /** RFC 7323 §5.5 R5 (Linux's TCP_PAWS_24DAYS): an idle connection's TS.Recent stops being trusted. */
    static final long PAWS_IDLE_LIMIT = 24L * 24 * 3600 * 1_000_000_000L;
    /** The TSval of our first SYN, for checking the SYN-ACK's echo (PAWSActive). */
    private int firstSynTsVal;
    // TCP Fast Open (RFC 7413). tcp_fastopen's bits, as Linux defines them.
    static final int FASTOPEN_CLIENT = 0x1;
    static final int FASTOPEN_CLIENT_NO_COOKIE = 0x4;
    /** Data bytes our SYN carried (client). */
    private int synDataLen;
    /** The SYN-ACK acknowledged data our SYN carried (Linux's tp->syn_data_acked, TCPI_OPT_SYN_DATA). */
    private boolean synDataAcked;
    /** Client: the cookie our SYN carries. Server: the cookie our SYN-ACK hands out. */
    private byte[] fastOpenCookie;
    /** Client: our SYN asks for a cookie. */
    private boolean fastOpenRequest;
    /** Server: the host accepted this SYN's data (valid cookie, queue room). */
    private boolean acceptSynData;
    /** Server: created by Fast Open, with the SYN's data already readable. */
    private boolean fastOpenPassive;
    /** A SYN cookie's encoded TSval for the stateless SYN-ACK (0 when not answering with a cookie). */
    private int cookieTsVal;
    /** Established from a SYN cookie: no SYN-ACK send time, so no RTT sample from the handshake. */
    private boolean noSynRttSample;
    /** The application has closed its socket: nobody will read or write again (Linux's SOCK_DEAD). */
    private boolean orphaned;
    /** The error the connection ended with, reported once to the application (SO_ERROR). */
    private Errno error;
    /**
     * The last soft error (Linux's sk_err_soft): an ICMP error on a synchronized connection, which does not
     * end it (RFC 1122 §4.2.3.9) but is what a later timeout reports instead of ETIMEDOUT.
     */
    private Errno softError;

    // RFC 9293 §3.3.1, send sequence variables.
    int iss;
    int sndUna;
    int sndNxt;
    /** SND.WND in bytes (already scaled). */
    int sndWnd;
    int sndWl1;
    int sndWl2;
    /** The highest sequence number sent so far plus one (BSD's snd_max): after a timeout SND.NXT goes back, this does not. */
    int sndMax;
    /** The largest window the peer has offered (RFC 9293 §3.8.6.2.1's Max(SND.WND)). */
    int maxSndWnd;

    // RFC 9293 §3.3.1, receive sequence variables.
    int irs;
    int rcvNxt;
    /** The window last advertised, in bytes, and RCV.NXT when it was (Linux's rcv_wnd and rcv_wup): the right edge is rcvWup + rcvWnd. */
    int rcvWnd;
    int rcvWup;
    /** Linux's rcv_ssthresh: the window offered grows towards the buffer space as in-order data arrives (tcp_grow_window). */
    private int rcvSsthresh;

    // Options agreed in the handshake.
    int sndWscale;
    int rcvWscale;
    boolean wscaleOk;
    boolean tsOk;
    boolean sackOk;
    /**
     * ECN (RFC 3168 §6.1.1). Active open: we asked for it (tcp_ecn = 1), then whether the SYN-ACK agreed (ECE
     * without CWR). Passive open: the SYN asked (ECE and CWR) and tcp_ecn lets us accept, so the SYN-ACK
     * carries ECE. Only the negotiation: data is not sent ECN-capable yet (no ECT marking, no reaction to CE).
     */
    private boolean ecnOk;
    /** FreeBSD's rexmit_drop_options took effect: later SYNs ask for no window scaling, timestamps or SACK. */
    private boolean synOptionsDropped;
    int tsRecent;
    private long tsRecentTime;
    private int tsOffset;
    /** The MSS we advertise (from the path MTU), and the peer's. */
    int advMss;
    int peerMss;
    /** The payload bytes per full-sized segment we send (Linux's mss_cache). */
    int mss;
    /** The largest segment payload the peer has sent us (Linux's rcv_mss), for ACK decisions. */
    private int rcvMss;

    // Data.
    private SendBuffer sendBuf;
    private ReceiveBuffer recvBuf;
    /** The sequence number of the send buffer's first byte (SND.UNA once the SYN is acknowledged). */
    private int bufSeq;
    /** The application has shut down its sending side: a FIN follows the last queued byte. */
    private boolean finQueued;
    private boolean finAcked;
    /** The peer's FIN has been received and is in order: reads end in EOF once the buffer drains. */
    private boolean finReceived;
    /** A FIN received ahead of a hole, at this sequence number; -1 for none (valid when outOfOrderFin). */
    private boolean outOfOrderFin;
    private int outOfOrderFinSeq;

    // Timers (deadlines in ns; NEVER when off). The retransmission and persist timers share one deadline,
    // as in Linux (icsk_timeout with ICSK_TIME_RETRANS or ICSK_TIME_PROBE0).
    private long rtxDeadline = NEVER;
    private boolean persistMode;
    private long delAckDeadline = NEVER;
    private long keepaliveDeadline = NEVER;
    /** TIME-WAIT's 2·MSL, or the orphaned FIN-WAIT-2 timeout. */
    private long closeDeadline = NEVER;

    // Retransmission.
    private final RttEstimator rtt;
    private int backoff;
    /** Consecutive expirations of the retransmission timer (Linux's icsk_retransmits). */
    private int retransmits;
    /** When the segment being retransmitted was first sent (Linux's retrans_stamp), for tcp_retries2. */
    private long retransStamp = NO_STAMP;
    /** "No retransmission under way" for retransStamp: any long, 0 included, is a valid time for {@code now}. */
    private static final long NO_STAMP = Long.MIN_VALUE;
    private long rtoArmedAt;
    private int probesOut;
    /** Karn's algorithm without timestamps: one segment is timed at a time, never a retransmitted one. */
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;

    // Congestion control (RFC 5681, RFC 9438) and loss recovery: RFC 6675 with SACK, NewReno (RFC 6582) without.
    private CongestionControl cc;
    private final CwndValidation cwndValidation = new CwndValidation();
    /** SACK-based loss recovery and its scoreboard, when SACK was agreed. */
    private SackRecovery sackRecovery;
    /** The receiver's choice and order of SACK blocks (RFC 2018 §4, RFC 2883), when SACK was agreed. */
    private SackBlockBuilder sackBlocks;
    private boolean inRecovery;
    /** Partial ACKs in the current NewReno recovery (RFC 6582 §4.1). */
    private int partialAcks;
    /** Bytes the last cumulative ACK acknowledged (for NewReno's deflation). */
    private int lastAcked;
    private int recover;
    private int dupAcks;
    /** The persist timer found a small window: send into it despite silly-window avoidance. */
    private boolean forceSend;

    // Acknowledgments.
    private boolean ackNow;
    private final DelayedAck delayedAck = new DelayedAck();
    private final ReceiveAutotuning autotuning = new ReceiveAutotuning();
    private int lastAckSent;

    // Keepalive and liveness.
    private long lastReceiveTime;

    // Statistics for ss -i and TCP_INFO.
    long bytesSent;
    long bytesRetrans;
    long bytesAcked;
    long bytesReceived;
    long segsOut;
    long segsIn;
    long dataSegsOut;
    long dataSegsIn;
    int totalRetrans;
    private long lastDataSendTime;
    private long lastDataRecvTime;
    private long lastAckRecvTime;

    public TcpConnection(Environment env, FourTuple tuple, ConnectionOptions options) {
        this.env = env;
        this.sysctls = env.sysctls();
        this.counters = env.counters();
        this.tuple = tuple;
        this.options = options;
        this.rtt = new RttEstimator(sysctls.get(Sysctl.TCP_RTO_MIN_US) * 1000L,
                sysctls.get(Sysctl.TCP_RTO_MAX_MS) * 1_000_000L);
    }

    // ------------------------------------------------------------------------------------------------
    // Accessors

    public TcpState state() { return state; }
    public FourTuple tuple() { return tuple; }
    public ConnectionOptions options() { return options; }
    public boolean isPassive() { return passive; }
    public boolean isOrphaned() { return orphaned; }
    public Object attachment() { return attachment; }
    public void attach(Object o) { attachment = o; }

    /** The pending error, as SO_ERROR reports it; null for none. */
    public Errno error() { return error; }

    /** Returns and clears the pending error (SO_ERROR's read-and-clear). */
    public Errno takeError() {
        Errno e = error;
        error = null;
        return e;
    }

    /** Bytes the application can read now. */
    public int readable() { return recvBuf == null ? 0 : recvBuf.readable(); }

    /** The peer has finished sending and every byte has been read: a read returns EOF. */
    public boolean atEof() { return finReceived && readable() == 0; }

    /** Bytes the application may write now without blocking. */
    public int writable() {
        if (!maySend() || finQueued) return 0;
        return sendBuf == null ? 0 : sendBuf.free();
    }

    /** Bytes of buffer memory the connection holds (both rings' arrays), as ss -m's skmem would count them. */
    public int bufferBytes() {
        return (sendBuf == null ? 0 : sendBuf.array().length) + (recvBuf == null ? 0 : recvBuf.arrayLength());
    }

    /** Bytes written but not yet acknowledged (ss's Send-Q for a connection). */
    public int sendQueue() { return sendBuf == null ? 0 : sendBuf.size(); }

    /** Bytes not yet sent at all. */
    public int notSent() {
        if (sendBuf == null) return 0;
        return Math.max(0, sendBuf.size() - Math.max(0, sndNxt - bufSeq));
    }

    /** The connection is established enough for the application to send (or has failed): connect() returns. */
    public boolean connectDone() {
        return state.isSynchronized() || (state == TcpState.CLOSED && error != null);
    }

    public int cwnd() { return cc == null ? 0 : cc.cwnd(); }
    public int ssthresh() { return cc == null ? 0 : cc.ssthresh(); }
    public String congestionControl() { return cc == null ? "reno" : cc.name(); }
    public long rto() { return rtt.rto(backoff); }
    public long srtt() { return rtt.srtt(); }
    public long rttvar() { return rtt.rttvar(); }
    public long minRtt() { return rtt.minRtt(); }
    public int backoff() { return backoff; }
    public int retransmits() { return retransmits; }
    public int probesOut() { return probesOut; }
    public int unacked() { return sndMax - sndUna; }
    public int sndWnd() { return sndWnd; }
    public int rcvWindow() { return rcvWnd; }
    public int rcvSpace() { return recvBuf == null ? 0 : recvBuf.capacity(); }
    public long lastDataSendTime() { return lastDataSendTime; }
    public long lastDataRecvTime() { return lastDataRecvTime; }
    public long lastAckRecvTime() { return lastAckRecvTime; }
    public long bytesSent() { return bytesSent; }
    public long bytesRetrans() { return bytesRetrans; }
    public long bytesAcked() { return bytesAcked; }
    public long bytesReceived() { return bytesReceived; }
    public long segsOut() { return segsOut; }
    public long segsIn() { return segsIn; }
    public long dataSegsOut() { return dataSegsOut; }
    public long dataSegsIn() { return dataSegsIn; }
    public int totalRetrans() { return totalRetrans; }
    public int iss() { return iss; }
    /** TS.Recent (RFC 7323 §4.3), and when it was last updated (ns), as Linux's ts_recent and ts_recent_stamp. */
    public int tsRecent() { return tsRecent; }
    public long tsRecentTime() { return tsRecentTime; }
    public int sndMax() { return sndMax; }
    public int irs() { return irs; }
    public int sndUna() { return sndUna; }
    public int sndNxt() { return sndNxt; }
    public int rcvNxt() { return rcvNxt; }
    public int mss() { return mss; }
    public int advMss() { return advMss; }
    public int rcvMss() { return rcvMss; }
    public int sndWscale() { return sndWscale; }
    public int rcvWscale() { return rcvWscale; }
    public boolean windowScaling() { return wscaleOk; }
    public boolean timestamps() { return tsOk; }
    public boolean sack() { return sackOk; }
    /** ECN was agreed in the handshake (ss -i's {@code ecn}). */
    public boolean ecn() { return ecnOk; }

    /** Which timer ss -o shows: on (retransmit), persist, keepalive, timewait, or null; and when it fires. */
    public String timerName() {
        if (state == TcpState.TIME_WAIT) return "timewait";
        if (rtxDeadline != NEVER) return persistMode ? "persist" : "on";
        if (keepaliveDeadline != NEVER) return "keepalive";
        if (closeDeadline != NEVER) return "timewait";
        return null;
    }

    public long timerDeadline() {
        if (state == TcpState.TIME_WAIT) return closeDeadline;
        if (rtxDeadline != NEVER) return rtxDeadline;
        if (keepaliveDeadline != NEVER) return keepaliveDeadline;
        return closeDeadline;
    }

    /** The earliest time this connection needs {@link #onTimer}, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        return Math.min(Math.min(rtxDeadline, delAckDeadline), Math.min(keepaliveDeadline, closeDeadline));
    }

    // ------------------------------------------------------------------------------------------------
    // User calls (RFC 9293 §3.10.1 to §3.10.6)

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
        if (state != TcpState.CLOSED) throw new IllegalStateException("connect in " + state);
        iss = env.initialSequenceNumber(tuple, now);
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        bufSeq = iss + 1;
        tsOffset = sysctls.get(Sysctl.TCP_TIMESTAMPS) == 1 ? env.timestampOffset(tuple) : 0;
        advMss = ourMss();
        allocateBuffers();
        int queued = data == null ? 0 : sendBuf.write(data, off, len);
        planFastOpen(queued, now);
        rcvWscale = sysctls.get(Sysctl.TCP_WINDOW_SCALING) != 0 ? chooseWindowScale() : 0;
        rcvWnd = initialWindow(advMss);
        rcvSsthresh = initialRcvSsthresh();
        ecnOk = sysctls.get(Sysctl.TCP_ECN) == 1; // RFC 3168 §6.1.1: ask with an ECN-setup SYN
        setState(TcpState.SYN_SENT, synDataLen > 0 ? "connect() with data (Fast Open)" : "connect()", now);
        sendSyn(false, now);
        sndNxt = iss + 1 + synDataLen;
        sndMax = sndNxt;
        armRetransmit(now);
        armKeepInit(now);
        env.timersChanged(this);
        return queued;
    }

    /** Linux's tcp_fastopen_defer_connect / tcp_send_syn_data: what this connect's SYN carries. */
    private void planFastOpen(int queued, long now) {
        int mode = sysctls.get(Sysctl.TCP_FASTOPEN);
        // No data and no TCP_FASTOPEN_CONNECT: an ordinary SYN. TCP_FASTOPEN_CONNECT without data and without a
        // cookie still asks for one, as Linux's connect() does with that option set; with a cookie and no data
        // (the socket layer held the SYN back, then read() came first) the SYN is an ordinary one.
        if ((mode & FASTOPEN_CLIENT) == 0 || (queued == 0 && !options.fastOpenConnect)) return;
        if (env.fastOpenPathDisabled(tuple.remoteAddress(), now)) return; // RFC 7413 §4.1.3: a negative response
        byte[] cookie = env.fastOpenCookie(tuple.remoteAddress());
        if (cookie == null && (mode & FASTOPEN_CLIENT_NO_COOKIE) == 0) {
            fastOpenCookie = null;
            fastOpenRequest = true; // ask for a cookie; the data waits for the handshake
            return;
        }
        fastOpenCookie = cookie;
        // Linux: the SYN's data is at most the MSS less the largest option space.
        synDataLen = Math.min(queued, Math.max(0, advMss - 40));
    }

    /**
     * The host's Fast Open decision for the SYN about to be given to {@link #acceptSyn}: the cookie to hand out
     * in the SYN-ACK (null for none) and whether the SYN's data is accepted.
     */
    public void prepareFastOpen(byte[] cookieToSend, boolean acceptData) {
        this.fastOpenCookie = cookieToSend;
        this.acceptSynData = acceptData;
    }

    /**
     * The application may send: ESTABLISHED and CLOSE-WAIT, and a passive Fast Open connection already in
     * SYN-RECEIVED, which may answer the SYN's data at once (Linux lets a Fast Open child send before the
     * final ACK: RFC 7413 §4.3, "the server MAY send data ... before the handshake completes").
     */
    private boolean maySend() {
        return state.canSend() || (state == TcpState.SYN_RECEIVED && fastOpenPassive);
    }

    /** Created by a Fast Open SYN whose data the application can read before the handshake completes. */
    public boolean isFastOpenPassive() { return fastOpenPassive; }

    /** Whether data in a SYN was acknowledged: ours by the SYN-ACK, or the peer's taken by us (TCPI_OPT_SYN_DATA). */
    public boolean synDataAcked() { return synDataAcked || fastOpenPassive; }

    /** OPEN, passive (§3.10.1): CLOSED to LISTEN. The host clones a listening connection for each SYN. */
    public void listen(long now) {
        if (state != TcpState.CLOSED) throw new IllegalStateException("listen in " + state);
        passive = true;
        setState(TcpState.LISTEN, "listen()", now);
    }

    /**
     * A clone of a listening socket takes a SYN (§3.10.7.2, "If the state is LISTEN ... third, check for a
     * SYN"): it records the peer's ISN and options, chooses its own ISS, sends SYN-ACK, and enters SYN-RECEIVED.
     * The host has already checked the segment's RST and ACK bits.
     */
    public void acceptSyn(TcpSegment seg, long now) {
        if (state != TcpState.CLOSED && state != TcpState.LISTEN) throw new IllegalStateException("acceptSyn in " + state);
        passive = true;
        state = TcpState.LISTEN; // a clone starts where its listener is: in LISTEN, without a transition of its own
        irs = seg.seq;
        rcvNxt = seg.seq + 1;
        rcvWup = rcvNxt;
        iss = env.initialSequenceNumber(tuple, now);
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        bufSeq = iss + 1;
        advMss = ourMss();
        allocateBuffers();
        negotiateOptions(seg.options, true);
        ecnOk = ecnSetupSyn(seg);
        // Linux's tcp_openreq_init_rwin: the SYN-ACK's window leaves room for timestamps in each segment.
        rcvWnd = initialWindow(advMss - (tsOk ? TS_OPTION_SPACE : 0));
        rcvSsthresh = initialRcvSsthresh();
        if (acceptSynData && seg.payloadLength > 0) {
            // RFC 7413 §4.3: a valid cookie: the SYN's data goes to the application now, before the handshake
            // completes, and the SYN-ACK acknowledges it (Linux's tcp_fastopen_add_skb).
            int stored = recvBuf.store(0, seg.payload, seg.payloadOffset, Math.min(seg.payloadLength, rcvWnd));
            rcvNxt += stored;
            bytesReceived += stored;
            dataSegsIn++;
            delayedAck.dataArrived(now, rtt.rto());
            lastDataRecvTime = now;
            fastOpenPassive = true;
            startCongestionControl(now); // it may send from SYN-RECEIVED (Linux: tcp_init_transfer at creation)
        }
        sndWnd = seg.window; // a SYN's window is never scaled (RFC 7323 §2.2)
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq;
        sndWl2 = seg.ack;
        lastReceiveTime = now;
        setState(TcpState.SYN_RECEIVED, "SYN received", now);
        sendSyn(true, now);
        armRetransmit(now);
        env.timersChanged(this);
    }

    /**
     * Answers a SYN with a SYN cookie (RFC 4987 §3.6; Linux's tcp_conn_request with want_cookie): the SYN-ACK
     * {@link #acceptSyn} would send, but with ISS = {@code cookie} and, when the SYN had timestamps, the peer's
     * window scale and SACK permission folded into the low six bits of TSval (Linux's cookie_init_timestamp),
     * so they survive without state. Nothing is kept: the caller throws this object away.
     */
    public void sendCookieSynAck(TcpSegment syn, int cookie, long now) {
        passive = true;
        state = TcpState.LISTEN;
        irs = syn.seq;
        rcvNxt = syn.seq + 1;
        rcvWup = rcvNxt;
        iss = cookie;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        advMss = ourMss();
        allocateBuffers();
        negotiateOptions(syn.options, true);
        ecnOk = ecnSetupSyn(syn);
        rcvWnd = initialWindow(advMss - (tsOk ? TS_OPTION_SPACE : 0));
        if (tsOk) {
            int encoded = (wscaleOk ? sndWscale : COOKIE_NO_WSCALE) | (sackOk ? COOKIE_SACK : 0) | (ecnOk ? COOKIE_ECN : 0);
            int ts = (tsClock(now) & ~COOKIE_TS_MASK) | encoded;
            if (Seq.gt(ts, tsClock(now))) ts -= COOKIE_TS_MASK + 1; // never ahead of the clock
            cookieTsVal = ts;
        }
        sendSyn(true, now);
        state = TcpState.CLOSED;
    }

    /**
     * Completes a connection from the ACK that brought back a valid SYN cookie (Linux's cookie_v4_check and
     * tcp_get_cookie_sock): the peer's ISN is SEG.SEQ - 1 and ours SEG.ACK - 1; {@code peerMss} is the MSS the
     * cookie encoded; window scale and SACK come back from TSecr's low bits (without timestamps they are lost,
     * the price of cookies the seeds mention). Then the ACK is processed as in SYN-RECEIVED, data included.
     * Returns false when the echoed options contradict our settings (a failed cookie).
     */
    public boolean acceptCookie(TcpSegment ack, int peerMss, long now) {
        TcpOptions peer = new TcpOptions();
        peer.mss = peerMss;
        boolean cookieEcn = false;
        if (ack.options.timestamps && sysctls.get(Sysctl.TCP_TIMESTAMPS) != 0) {
            int encoded = ack.options.tsEcr & COOKIE_TS_MASK;
            // Linux's cookie_ecn_ok: ECN agreed by a cookie is only valid while tcp_ecn still allows it.
            cookieEcn = (encoded & COOKIE_ECN) != 0;
            if (cookieEcn && sysctls.get(Sysctl.TCP_ECN) == 0) return false;
            peer.timestamps = true;
            peer.tsVal = ack.options.tsVal;
            peer.sackPermitted = (encoded & COOKIE_SACK) != 0;
            if (peer.sackPermitted && sysctls.get(Sysctl.TCP_SACK) == 0) return false;
            int ws = encoded & COOKIE_NO_WSCALE;
            if (ws != COOKIE_NO_WSCALE) {
                if (sysctls.get(Sysctl.TCP_WINDOW_SCALING) == 0) return false;
                peer.windowScale = ws;
            }
        }
        passive = true;
        state = TcpState.LISTEN;
        irs = ack.seq - 1;
        rcvNxt = ack.seq;
        rcvWup = rcvNxt;
        iss = ack.ack - 1;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        bufSeq = iss + 1;
        advMss = ourMss();
        allocateBuffers();
        negotiateOptions(peer, true);
        ecnOk = cookieEcn;
        rcvWnd = initialWindow(advMss - (tsOk ? TS_OPTION_SPACE : 0));
        rcvSsthresh = initialRcvSsthresh();
        sndWl1 = ack.seq;
        sndWl2 = ack.ack;
        lastReceiveTime = now;
        noSynRttSample = true; // the SYN-ACK's send time was not kept
        setState(TcpState.SYN_RECEIVED, "ACK with a valid SYN cookie", now);
        segmentArrives(ack, now);
        return true;
    }

    /** SEND (§3.10.2): queues up to {@code len} bytes; returns how many were taken (0 when the buffer is full). */
    public int write(byte[] b, int off, int len, long now) {
        if (!maySend() || finQueued) return 0;
        int n = sendBuf.write(b, off, len);
        if (n > 0) {
            output(now);
            env.timersChanged(this);
        }
        return n;
    }

    /** True when a write can never succeed again (the send side is shut or the connection is gone). */
    public boolean writeClosed() {
        return finQueued || !(state.canSend() || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED);
    }

    /** RECEIVE (§3.10.3): copies up to {@code len} bytes; returns the count, 0 if none yet, -1 at end of stream. */
    public int read(byte[] b, int off, int len, long now) {
        int n = recvBuf == null ? 0 : recvBuf.read(b, off, len);
        if (n > 0) {
            adjustReceiveSpace(n, now);
            maybeSendWindowUpdate(now);
            env.timersChanged(this);
            return n;
        }
        return atEof() ? -1 : 0;
    }

    /** shutdown(SHUT_WR): a FIN follows the data already queued (§3.10.4, CLOSE for one direction). */
    public void shutdownOutput(long now) {
        switch (state) {
            case SYN_SENT -> closeNow("shutdown() in SYN-SENT", now);
            case SYN_RECEIVED, ESTABLISHED -> {
                // §3.10.4, SYN-RECEIVED: "If no SENDs have been issued ... form a FIN segment and send it, and
                // enter FIN-WAIT-1 state". The FIN goes out before our SYN is acknowledged, so the sending
                // machinery must exist already (Linux: tcp_close_state, SYN_RECV -> FIN_WAIT1).
                if (cc == null) startCongestionControl(now);
                finQueued = true;
                setState(TcpState.FIN_WAIT_1, "shutdown()/close()", now);
                output(now);
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                setState(TcpState.LAST_ACK, "close() after FIN", now);
                output(now);
            }
            default -> { }
        }
        env.timersChanged(this);
    }

    /**
     * close() (§3.10.4): the application lets go of the socket. Unread data makes it an abort, as Linux does
     * (tcp_close: "data was lost", TCPAbortOnClose); SO_LINGER with 0 aborts too (TCPAbortOnData);
     * otherwise the FIN is queued and the connection finishes on its own, orphaned.
     */
    public void close(long now) {
        orphaned = true;
        if (state == TcpState.TIME_WAIT) {
            compactForTimeWait();
            return;
        }
        boolean unread = recvBuf != null && (recvBuf.readable() > 0);
        if (state == TcpState.LISTEN || state == TcpState.SYN_SENT || state == TcpState.CLOSED) {
            closeNow("close()", now);
            return;
        }
        if (unread && state != TcpState.TIME_WAIT) {
            counters.inc(Counter.TCP_ABORT_ON_CLOSE);
            resetAndClose("close() with unread data", now);
            return;
        }
        if (options.lingerSeconds == 0 && state != TcpState.TIME_WAIT) {
            counters.inc(Counter.TCP_ABORT_ON_DATA);
            resetAndClose("close() with SO_LINGER 0", now);
            return;
        }
        shutdownOutput(now);
        if (state == TcpState.FIN_WAIT_2) armFinWait2(now);
        env.timersChanged(this);
    }

    /**
     * Ends TIME-WAIT early and silently, when the host reuses its four-tuple: for a new outgoing connection
     * (tcp_tw_reuse) or a new incoming SYN that RFC 6191 allows.
     */
    public void endTimeWait(String cause, long now) {
        if (state != TcpState.TIME_WAIT) return;
        closeNow(cause, now);
        env.timersChanged(this);
    }

    /**
     * The listener this half-open connection came from was closed. Linux keeps its request socks apart from the
     * listener's accept queue and lets them die quietly once the listener has left LISTEN (reqsk_timer_handler,
     * and tcp_v4_rcv's inet_csk_reqsk_queue_drop_and_put for a late ACK, which the closed port then resets):
     * no RST goes out. A connection past the handshake is aborted as usual.
     */
    public void listenerClosed(long now) {
        if (state == TcpState.SYN_RECEIVED && passive) {
            dropHalfOpen("listener closed", now);
            env.timersChanged(this);
        } else {
            abort(now);
        }
    }

    /**
     * A passive half-open connection ends without a word: the clone returns to LISTEN, which for the host means
     * it is gone (the listener itself never left LISTEN), then is finished.
     */
    private void dropHalfOpen(String cause, long now) {
        setState(TcpState.LISTEN, cause, now);
        releaseAll();
        state = TcpState.CLOSED;
    }

    /** ABORT (§3.10.5): RST to the peer if it knows of us, then CLOSED. */
    public void abort(long now) {
        orphaned = true;
        if (state == TcpState.CLOSED) return;
        if (state == TcpState.SYN_SENT || state == TcpState.LISTEN || state == TcpState.TIME_WAIT) {
            closeNow("abort()", now);
        } else {
            resetAndClose("abort()", now);
        }
    }

    private void resetAndClose(String cause, long now) {
        sendReset(sndNxt, now);
        closeNow(cause, now);
        env.timersChanged(this);
    }

    // ------------------------------------------------------------------------------------------------
    // ICMP (the host has matched the message's quoted segment to this connection)

    /**
     * An ICMP or ICMPv6 error about a segment we sent, already mapped to its errno and checked against our
     * sequence space by the host (Linux's tcp_v4_err and tcp_v6_err). While connecting it is a hard error:
     * connect() fails with it at once. On a synchronized connection it is soft (RFC 1122 §4.2.3.9: only
     * "protocol unreachable" and "port unreachable" may be hard, and Linux treats even those as soft once
     * established): remembered, and reported in place of ETIMEDOUT if the connection later times out.
     */
    public void icmpError(Errno err, long now) {
        switch (state) {
            case SYN_SENT -> {
                error = err;
                closeNow("ICMP error: " + err.message(), now);
            }
            case SYN_RECEIVED -> {
                if (passive) {
                    // Linux's tcp_req_err: the half-open connection is dropped quietly, the listener stays.
                    dropHalfOpen("ICMP error: " + err.message(), now);
                    return;
                }
                error = err;
                closeNow("ICMP error: " + err.message(), now);
            }
            case CLOSED, LISTEN, TIME_WAIT -> { }
            default -> softError = err;
        }
        afterEvent(now);
    }

    /**
     * The path MTU to the peer fell to {@code mtu} (ICMP "fragmentation needed", RFC 1191, or ICMPv6 "packet
     * too big", RFC 8201); the host's path MTU cache already holds it, so the MSS computed from now on uses it.
     * As Linux's tcp_v4_mtu_reduced: tcp_sync_mss lowers the sending MSS, and tcp_simple_retransmit resends
     * what is in flight in segments of the new size at once, without treating the loss as congestion.
     */
    public void pathMtuChanged(int mtu, long now) {
        if (!state.isSynchronized() || state == TcpState.TIME_WAIT) return;
        int m = Math.min(peerMss, mtu - (tuple.v6() ? 60 : 40));
        if (options.maxSeg > 0) m = Math.min(m, options.maxSeg);
        if (tsOk) m -= TS_OPTION_SPACE;
        m = Math.max(m, 48); // Linux's TCP_MIN_MSS floor in tcp_mtu_to_mss
        if (m >= mss) return;
        mss = m;
        if (sndUna != sndMax) {
            sndNxt = sndUna;
            rttTiming = false; // Karn: the resent segments are not timed
            output(now);
        }
        afterEvent(now);
    }

    /** What a timeout reports: the last soft error if there was one (Linux's tcp_write_err), else ETIMEDOUT. */
    private Errno timeoutError() {
        return softError != null ? softError : Errno.ETIMEDOUT;
    }

    // ------------------------------------------------------------------------------------------------
    // SEGMENT ARRIVES (§3.10.7)

    /** Processes one segment addressed to this connection. */
    public void segmentArrives(TcpSegment seg, long now) {
        segsIn++;
        switch (state) {
            case CLOSED -> { } // the host answers segments for closed ports; a stray one here is dropped
            case LISTEN -> listenArrives(seg, now);
            case SYN_SENT -> synSentArrives(seg, now);
            case TIME_WAIT -> timeWaitArrives(seg, now);
            default -> synchronizedArrives(seg, now);
        }
        afterEvent(now);
    }

    /** §3.10.7.2: "If the state is LISTEN". */
    private void listenArrives(TcpSegment seg, long now) {
        if (seg.rst()) return;                                  // "An incoming RST should be ignored"
        if (seg.ackFlag()) {                                    // "Any acknowledgment is bad if it arrives on a
            replyReset(seg, now);                               //  connection still in the LISTEN state"
            return;
        }
        if (seg.syn()) acceptSyn(seg, now);                     // "third, check for a SYN"
    }

    /** §3.10.7.3: "If the state is SYN-SENT". */
    private void synSentArrives(TcpSegment seg, long now) {
        // First, check the ACK bit.
        boolean ackOk = false;
        if (seg.ackFlag()) {
            if (Seq.leq(seg.ack, iss) || Seq.gt(seg.ack, sndMax)) {
                if (!seg.rst()) replyReset(seg, now);
                return;
            }
            ackOk = Seq.leq(sndUna, seg.ack) && Seq.leq(seg.ack, sndMax);
        }
        // Second, check the RST bit: "If the ACK was acceptable, then signal to the user 'error: connection
        // reset', drop the segment, enter CLOSED state". The user sees it as "Connection refused".
        if (seg.rst()) {
            if (ackOk) {
                error = Errno.ECONNREFUSED;
                closeNow("RST received (connection refused)", now);
            }
            return;
        }
        // Fourth, check the SYN bit.
        if (!seg.syn()) return;
        if (seg.ackFlag() && seg.options.timestamps && seg.options.tsEcr != 0 && firstSynTsVal != 0
                && !(Seq.geq(seg.options.tsEcr, firstSynTsVal) && Seq.leq(seg.options.tsEcr, tsClock(now)))) {
            // RFC 7323 §5 / Linux's tcp_rcv_synsent_state_process: a SYN-ACK echoing a timestamp we never sent is
            // an old duplicate. Reset it and keep waiting for the real one.
            counters.inc(Counter.PAWS_ACTIVE);
            replyReset(seg, now);
            return;
        }
        irs = seg.seq;
        rcvNxt = seg.seq + 1;
        rcvWup = rcvNxt;
        lastReceiveTime = now;
        negotiateOptions(seg.options, false);
        // RFC 3168 §6.1.1: a SYN-ACK agrees to ECN with ECE alone (ECE and CWR together is a reflected SYN's
        // flags, Linux's tcp_ecn_rcv_synack); a simultaneous-open SYN agrees with both (tcp_ecn_rcv_syn).
        if (ecnOk) ecnOk = seg.ackFlag() ? seg.ece() && !seg.cwr() : seg.ece() && seg.cwr();
        if (tsOk) {
            tsRecent = seg.options.tsVal;
            tsRecentTime = now;
        }
        if (ackOk) {
            sndUna = seg.ack;
            takeRttSampleForSyn(seg, now);
        }
        if (Seq.gt(sndUna, iss)) {
            // Our SYN is acknowledged: ESTABLISHED. The window in a SYN-ACK is never scaled.
            sndWnd = seg.window;
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq;
            sndWl2 = seg.ack;
            stopRetransmitTimer();
            fastOpenSynAck(seg, now);
            establish("SYN-ACK received", now);
            synDataAcknowledged();
            // The SYN-ACK is acknowledged at once (Linux's tcp_rcv_synsent_state_process -> tcp_send_ack). Data
            // queued before the handshake (Fast Open SYN data the SYN-ACK did not take, or data written while
            // asking for a cookie) carries that ACK: RFC 9293 §3.10.7.3 "Data or controls that were queued for
            // transmission MAY be included", as Linux's tcp_rcv_fastopen_synack resends SYN data without a bare ACK.
            ackNow = true;
            output(now);
        } else {
            // Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>".
            sndWnd = seg.window;
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq;
            sndWl2 = seg.ack;
            setState(TcpState.SYN_RECEIVED, "SYN received in SYN-SENT (simultaneous open)", now);
            sendSyn(true, now);
            armRetransmit(now);
        }
    }

    /**
     * RFC 7413 §4.2.2 (Linux's tcp_rcv_fastopen_synack): a cookie in the SYN-ACK is cached for the next
     * connection; SYN data the SYN-ACK does not acknowledge (the server refused it, or a middlebox stripped the
     * option) is sent again after the handshake.
     */
    private void fastOpenSynAck(TcpSegment seg, long now) {
        TcpOptions o = seg.options;
        if (o.fastOpen && o.fastOpenCookieLength > 0) {
            env.fastOpenCookieLearned(tuple.remoteAddress(), java.util.Arrays.copyOf(o.fastOpenCookie, o.fastOpenCookieLength));
        } else if ((fastOpenRequest || synDataLen > 0) && !Seq.gt(seg.ack, iss + 1)) {
            env.fastOpenRefused(tuple.remoteAddress(), now); // no cookie, and the SYN's data (if any) not taken
        }
        if (synDataLen > 0) {
            if (Seq.gt(seg.ack, iss + 1)) {
                counters.inc(Counter.TCP_FAST_OPEN_ACTIVE);
            } else {
                counters.inc(Counter.TCP_FAST_OPEN_ACTIVE_FAIL);
                sndNxt = sndUna; // go back: the data was not taken
            }
        }
    }

    /** After establishment: release SYN data the SYN-ACK acknowledged. */
    private void synDataAcknowledged() {
        int acked = sndUna - (iss + 1);
        if (acked > 0) {
            synDataAcked = true;
            sendBuf.consume(acked);
            bufSeq += acked;
            bytesAcked += acked;
            bytesSent += acked;
            counters.inc(Counter.TCP_ORIG_DATA_SENT);
        }
        if (Seq.lt(sndNxt, sndUna)) sndNxt = sndUna;
        synDataLen = 0;
    }

    /** §3.10.7.4: "Otherwise" (SYN-RECEIVED and the synchronized states). */
    private void synchronizedArrives(TcpSegment seg, long now) {
        // Simultaneous open (§3.5 Figure 8, line 6): the peer's SYN-ACK repeats its SYN, one below RCV.NXT, and
        // acknowledges ours. The acceptability test and the SYN check would both reject it, and the connection
        // would only establish on a later bare ACK; Linux's tcp_validate_incoming lets exactly this segment
        // through to the ACK processing ("goto pass"), which establishes the connection.
        boolean simultaneousSynAck = state == TcpState.SYN_RECEIVED && !passive && seg.syn() && seg.ackFlag()
                && !seg.rst() && seg.segLen() == 1 && seg.seq + 1 == rcvNxt && seg.ack == sndNxt;
        // RFC 7323 §5.3 R1, before the sequence check: PAWS rejects a segment whose timestamp is older than
        // TS.Recent (by more than Linux's TCP_PAWS_WINDOW of 1), unless TS.Recent is over 24 days old (R5).
        if (pawsRejects(seg, now)) {
            counters.inc(Counter.PAWS_ESTAB);
            if (!outOfWindowAckLimited(now)) sendAck(now);
            return;
        }
        // First, check the sequence number.
        boolean oldDuplicate = false;
        if (!simultaneousSynAck && !acceptable(seg) && bsdOldDuplicate(seg)) {
            // BSD's tcp_input trims a segment that lies wholly before RCV.NXT to nothing but keeps on processing
            // its ACK, and acknowledges it afterwards (TF_ACKNOW; Stevens vol. 2 p. 960). RFC 9293 and Linux
            // (tcp_sequence) drop it after the acknowledgment, below.
            oldDuplicate = true;
        } else if (!simultaneousSynAck && !acceptable(seg)) {
            if (seg.syn()) {
                // RFC 5961 §4.2: "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an
                // ACK (also referred to as challenge ACK)" (Linux: tcp_validate_incoming -> syn_challenge).
                synArrives(seg, now);
            } else if (!seg.rst()) {
                // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply". Linux
                // rate-limits the answers to pure segments (tcp_oow_rate_limited, tcp_invalid_ratelimit), so two
                // stacks cannot ping-pong duplicate ACKs; data segments are always answered.
                if (seg.segLen() == 0 && outOfWindowAckLimited(now)) {
                    counters.inc(Counter.TCP_ACK_SKIPPED_SEQ);
                } else {
                    if (seg.payloadLength > 0 && Seq.lt(seg.seq, rcvNxt)) {
                        duplicateData(seg.seq, Seq.min(seg.seq + seg.payloadLength, rcvNxt)); // Linux's tcp_dsack_set
                    }
                    sendAck(now);
                }
            }
            return;
        }
        lastReceiveTime = now;
        // RFC 7323 §4.3: TS.Recent follows the peer's clock for segments at or before Last.ACK.sent.
        if (tsOk && seg.options.timestamps && Seq.leq(seg.seq, lastAckSent) && Seq.geq(seg.options.tsVal, tsRecent)) {
            tsRecent = seg.options.tsVal;
            tsRecentTime = now;
        }

        // Second, check the RST bit (RFC 5961 §3.2: only an exact match resets; in-window otherwise draws a challenge
        // ACK, unless the profile turns the check off as FreeBSD's insecure_rst does).
        if (seg.rst()) {
            if (seg.seq != rcvNxt && env.engineProfile().challengeRst()) {
                sendChallengeAck(now);
                return;
            }
            resetArrived(now);
            return;
        }

        // Fourth, check the SYN bit.
        if (seg.syn() && !simultaneousSynAck) {
            synArrives(seg, now);
            return;
        }

        // Fifth, check the ACK field.
        if (!seg.ackFlag()) return;
        if (sndUna == iss) {
            // Our SYN is unacknowledged: SYN-RECEIVED, or FIN-WAIT-1 after a close in SYN-RECEIVED (§3.10.4).
            if (!(Seq.lt(sndUna, seg.ack) && Seq.leq(seg.ack, sndMax))) {
                // "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>".
                replyReset(seg, now);
                return;
            }
            sndWnd = peerWindow(seg);
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq;
            sndWl2 = seg.ack;
            // The SYN is acknowledged; whatever the ACK covers beyond it (a FIN sent in FIN-WAIT-1) is left to
            // processAck below, as in ESTABLISHED.
            sndUna = iss + 1;
            takeRttSampleForSyn(seg, now);
            if (sndUna == sndMax) stopRetransmitTimer();
            else armRetransmit(now);
            if (state == TcpState.SYN_RECEIVED) establish("ACK of SYN-ACK received", now);
        }
        if (!processAck(seg, now)) return;

        // State-specific effects of the ACK on our FIN.
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    setState(TcpState.FIN_WAIT_2, "ACK of FIN received", now);
                    if (orphaned) armFinWait2(now);
                }
            }
            case CLOSING -> {
                if (finAcked) enterTimeWait("ACK of FIN received in CLOSING", now);
            }
            case LAST_ACK -> {
                if (finAcked) {
                    closeNow("ACK of FIN received", now);
                    return;
                }
            }
            default -> { }
        }
        if (state == TcpState.TIME_WAIT) return;

        if (oldDuplicate) {
            sendAck(now); // its text and FIN were all duplicates
            return;
        }

        // Seventh, process the segment text.
        if (seg.payloadLength > 0) {
            if (state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2) {
                if (orphaned) {
                    // Linux: data after the application closed its socket cannot be delivered (TCPAbortOnData).
                    counters.inc(Counter.TCP_ABORT_ON_DATA);
                    resetAndClose("data received after close()", now);
                    return;
                }
                receiveText(seg, now);
            }
        }

        // Eighth, check the FIN bit.
        if (seg.fin()) {
            int finSeq = seg.seq + seg.payloadLength;
            if (finSeq == rcvNxt) {
                finArrived(now);
            } else if (Seq.gt(finSeq, rcvNxt)) {
                outOfOrderFin = true;
                outOfOrderFinSeq = finSeq;
            }
        }
    }

    /**
     * TIME-WAIT (§3.10.7.4 for this state): the connection only answers, it takes nothing in. A SYN that may
     * start a new connection never gets here (the host ends TIME-WAIT for it, RFC 6191).
     */
    private void timeWaitArrives(TcpSegment seg, long now) {
        if (env.engineProfile().bsdTimeWait()) {
            bsdTimeWaitArrives(seg, now);
            return;
        }
        // Linux's tcp_timewait_state_process.
        boolean pawsReject = pawsRejects(seg, now);
        if (!pawsReject && seg.seq == rcvNxt && (seg.segLen() == 0 || seg.rst())) {
            // In the window, which here means exactly at RCV.NXT: a bare ACK, or an RST.
            if (seg.rst()) {
                if (sysctls.get(Sysctl.TCP_RFC1337) == 0) closeNow("RST received in TIME-WAIT", now); // else RFC 1337
                return;
            }
            closeDeadline = now + TIME_WAIT_NANOS;
            if (tsOk && seg.options.timestamps) {
                tsRecent = seg.options.tsVal;
                tsRecentTime = now;
            }
            return;
        }
        if (pawsReject) counters.inc(Counter.PAWS_ESTAB);
        if (seg.rst()) return; // out of the window: ignored
        // Everything else is acknowledged (a retransmitted FIN above all), and TIME-WAIT starts again unless it is
        // an ACK-less SYN, which may be an old duplicate or a new connection's SYN below RCV.NXT.
        if (pawsReject || seg.ackFlag()) closeDeadline = now + TIME_WAIT_NANOS;
        if (seg.payloadLength == 0 && !seg.fin() || seg.syn()) {
            if (outOfWindowAckLimited(now)) {
                counters.inc(Counter.TCP_ACK_SKIPPED_TIME_WAIT);
                return;
            }
        }
        sendAck(now);
    }

    /** FreeBSD's tcp_twcheck (the engine profile's {@code bsdTimeWait}). */
    private void bsdTimeWaitArrives(TcpSegment seg, long now) {
        if (seg.rst()) return;             // RFC 1337 and Stevens vol. 2 p. 964: drop it
        if (!seg.ackFlag()) return;        // "Drop the segment if it does not contain an ACK"
        if (seg.fin() && seg.seq + seg.payloadLength + (seg.syn() ? 1 : 0) + 1 == rcvNxt) {
            closeDeadline = now + TIME_WAIT_NANOS; // a duplicate FIN restarts 2·MSL
        }
        boolean duplicateAck = seg.flags == TcpFlags.ACK && seg.payloadLength == 0 && seg.seq == rcvNxt && seg.ack == sndMax;
        if (!duplicateAck) sendBareAck(sndMax, now);
    }

    /** A SYN in SYN-RECEIVED or a synchronized state, in the window or not: the segment is dropped after this. */
    private void synArrives(TcpSegment seg, long now) {
        if (state == TcpState.SYN_RECEIVED && seg.seq == irs && !seg.ackFlag()) {
            // The peer retransmitted its SYN (SEG.SEQ = RCV.NXT-1, so it never passes the acceptability test):
            // our SYN-ACK was lost. Linux answers with the SYN-ACK again (tcp_check_req -> inet_rtx_syn_ack,
            // counted by tcp_rtx_synack).
            counters.inc(Counter.TCP_SYN_RETRANS);
            counters.inc(Counter.RETRANS_SEGS);
            totalRetrans++;
            sendSyn(true, now);
            return;
        }
        if (!env.engineProfile().challengeSyn() && state != TcpState.SYN_RECEIVED && state != TcpState.TIME_WAIT
                && inWindow(seg.seq)) {
            // RFC 793 before RFC 5961 (FreeBSD's insecure_syn, tcp_drop): "If the SYN is in the window it is an
            // error, send a reset, any outstanding RECEIVEs and SEND should receive 'reset' responses".
            error = Errno.ECONNRESET;
            resetAndClose("SYN received in the window", now);
            return;
        }
        // RFC 5961 §4.2 / RFC 9293 fourth step: "send a 'challenge ACK'" and drop the segment.
        counters.inc(Counter.TCP_SYN_CHALLENGE);
        sendChallengeAck(now);
    }

    /** SEG.WND in bytes: scaled, except in a SYN (RFC 7323 §2.2). */
    private int peerWindow(TcpSegment seg) {
        return seg.syn() ? seg.window : seg.window << sndWscale;
    }

    /** RFC 7323 §5.3's PAWS test (Linux's tcp_paws_discard without the disordered-ACK exception). */
    private boolean pawsRejects(TcpSegment seg, long now) {
        if (!tsOk || !seg.options.timestamps || seg.rst() || state == TcpState.SYN_RECEIVED) return false;
        if (now - tsRecentTime > PAWS_IDLE_LIMIT) return false; // R5: TS.Recent is too old to trust
        return tsRecent - seg.options.tsVal > 1;
    }

    /** The segment acceptability test of §3.10.7.4 (the four cases by SEG.LEN and RCV.WND). */
    private boolean acceptable(TcpSegment seg) {
        boolean bsd = env.engineProfile().bsdReceiveWindow();
        int wnd = bsd ? bsdReceiveWindow() : receiveWindow();
        int len = seg.segLen();
        int seq = seg.seq;
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
    private boolean bsdOldDuplicate(TcpSegment seg) {
        if (!env.engineProfile().bsdReceiveWindow() || state == TcpState.TIME_WAIT || state == TcpState.SYN_RECEIVED
                || !seg.ackFlag() || seg.rst() || seg.syn()) {
            return false;
        }
        int todrop = rcvNxt - seg.seq;
        return todrop > seg.payloadLength || (todrop == seg.payloadLength && todrop > 0 && !seg.fin());
    }

    /** RCV.WND now: the room to the right edge last advertised. */
    private int receiveWindow() {
        int w = (rcvWup + rcvWnd) - rcvNxt;
        return Math.max(w, 0);
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
        if (recvBuf == null || (state == TcpState.SYN_RECEIVED && passive)) return receiveWindow();
        int buffer = mss > 0 ? (int) Math.min(Integer.MAX_VALUE, ((long) recvBuf.capacity() + mss - 1) / mss * mss) : recvBuf.capacity();
        return Math.max(buffer - recvBuf.readable(), receiveWindow());
    }

    /** Whether {@code seq} lies in the receive window that acceptable() uses (a SYN's test under insecure_syn). */
    private boolean inWindow(int seq) {
        int wnd = env.engineProfile().bsdReceiveWindow() ? bsdReceiveWindow() : receiveWindow();
        return Seq.inRange(seq, rcvNxt, rcvNxt + wnd);
    }

    private void resetArrived(long now) {
        switch (state) {
            case SYN_RECEIVED -> {
                if (passive) {
                    // "If this connection was initiated with a passive OPEN, then return this connection to LISTEN".
                    dropHalfOpen("RST received", now);
                } else {
                    error = Errno.ECONNREFUSED;
                    closeNow("RST received", now);
                }
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK -> {
                // In CLOSING and LAST-ACK the application may still hold the socket (it only shut down its
                // sending side); Linux's tcp_reset reports ECONNRESET there too.
                error = Errno.ECONNRESET;
                closeNow("RST received", now);
            }
            default -> closeNow("RST received", now);
        }
    }

    /**
     * The ACK processing of the fifth step for the synchronized states. Returns false when the segment is to
     * be dropped (an ACK of something not yet sent).
     */
    private boolean processAck(TcpSegment seg, long now) {
        int ack = seg.ack;
        if (Seq.gt(ack, sndMax)) {
            // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment".
            counters.inc(Counter.TCP_ACK_SKIPPED_CHALLENGE);
            sendChallengeAck(now);
            return false;
        }
        if (Seq.lt(ack, sndUna - Math.max(maxSndWnd, 1))) {
            // RFC 5961 §5.2: an ACK is acceptable only if (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT; a blind
            // attacker's guess far behind is discarded and answered with a challenge ACK (Linux's tcp_ack, "old ack").
            sendChallengeAck(now);
            return false;
        }
        lastAckRecvTime = now;
        probesOut = 0;
        int newWindow = peerWindow(seg);
        boolean windowChanged = newWindow != sndWnd;
        if (sackRecovery == null && sackOk && (seg.options.sackBlocks > 0 || (ack == sndUna && sndMax != sndUna))) {
            // The first SACK information or duplicate ACK: from here on, RFC 6675 keeps the books.
            sackRecovery = new SackRecovery(new SackScoreboard(SackScoreboard.DEFAULT_MAX_RANGES));
            sackRecovery.reset(sndUna, sndMax, mss, sysctls.get(Sysctl.TCP_REORDERING));
        }
        if (sackRecovery != null) {
            // RFC 6675: every acceptable ACK updates the scoreboard, cumulative or not.
            int verdict = sackRecovery.onAck(ack, sndMax, seg.options.sackLeft, seg.options.sackRight, seg.options.sackBlocks);
            SackScoreboard board = sackRecovery.scoreboard();
            if (board.lastWasDsack()) counters.inc(Counter.TCP_DSACK_RECV);
            if (board.lastDiscarded() > 0) counters.add(Counter.TCP_SACK_DISCARD, board.lastDiscarded());
            if (Seq.gt(ack, sndUna)) newDataAcked(seg, ack, now, !sackRecovery.inRecovery() && verdict != SackRecovery.EXIT_RECOVERY);
            sackVerdict(verdict, now);
        } else if (Seq.gt(ack, sndUna)) {
            newDataAcked(seg, ack, now, !inRecovery);
            newRenoAfterAck(ack, now);
        } else if (ack == sndUna && seg.payloadLength == 0 && !seg.fin() && !windowChanged && sndMax != sndUna) {
            duplicateAck(now);
        }
        // "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated" when the segment is newer.
        if (Seq.leq(sndUna, ack) && (Seq.lt(sndWl1, seg.seq) || (sndWl1 == seg.seq && Seq.leq(sndWl2, ack)))) {
            boolean opened = sndWnd == 0 && newWindow > 0;
            sndWnd = newWindow;
            sndWl1 = seg.seq;
            sndWl2 = ack;
            if (sndWnd > maxSndWnd) maxSndWnd = sndWnd;
            if (opened && persistMode) {
                // The window opened: stop probing (tcp_ack_probe) and send.
                rtxDeadline = NEVER;
                persistMode = false;
                backoff = 0;
            }
        }
        return true;
    }

    /** New data acknowledged: release it, measure the RTT, grow the window when {@code grow} (not in recovery). */
    private void newDataAcked(TcpSegment seg, int ack, long now, boolean grow) {
        int acked = ack - sndUna;
        lastAcked = acked;
        bytesAcked += acked;
        // Release acknowledged data (and note an acknowledged FIN).
        int dataEnd = bufSeq + sendBuf.size();
        int dataAcked = Seq.leq(ack, dataEnd) ? ack - bufSeq : sendBuf.size();
        if (dataAcked > 0) {
            sendBuf.consume(dataAcked);
            bufSeq += dataAcked;
        }
        if (finQueued && Seq.gt(ack, dataEnd)) finAcked = true;
        sndUna = ack;
        if (Seq.lt(sndNxt, sndUna)) sndNxt = sndUna;

        // RTT measurement: timestamps when agreed (RFC 7323 §4.1), else the one timed segment (Karn).
        long sample = -1;
        if (tsOk && seg.options.timestamps && seg.options.tsEcr != 0) {
            sample = ((long) (tsClock(now) - seg.options.tsEcr)) * 1_000_000L;
        } else if (rttTiming && Seq.gt(ack, rttSeq)) {
            sample = now - rttStart;
        }
        if (Seq.gt(ack, rttSeq)) rttTiming = false;
        if (sample >= 0) rtt.sample(sample);
        backoff = 0;
        retransmits = 0;
        retransStamp = NO_STAMP;

        if (grow) cc.onAck(acked, mss, cwndValidation.isCwndLimited(cc.cwnd(), cc.ssthresh()), sample, now);
        dupAcks = 0;

        // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it; during NewReno recovery
        // only on the first partial ACK (RFC 6582 §4.1, the "Impatient" variant), so that many losses in one
        // window end in a timeout and go-back-N rather than one repair per round trip.
        if (sndUna == sndMax) {
            stopRetransmitTimer();
        } else if (!persistMode && !(inRecovery && partialAcks > 0)) {
            rtxDeadline = now + rtt.rto(backoff);
            rtoArmedAt = now;
        }
        growSendBuffer();
        env.wake(this);
    }

    /** NewReno's recovery on a cumulative ACK, for connections without SACK (RFC 6582 §3.2 step 3). */
    private void newRenoAfterAck(int ack, long now) {
        if (!inRecovery) return;
        if (Seq.geq(ack, recover)) {
            inRecovery = false;
            cc.onRecoveryExit(sndMax - sndUna, mss);
        } else {
            // Partial acknowledgment: retransmit the first unacknowledged segment, deflate by the amount acked.
            if (partialAcks == 0) {
                rtxDeadline = now + rtt.rto(backoff); // the Impatient variant restarts the timer once
                rtoArmedAt = now;
            }
            retransmit(sndUna, currentMss(), now);
            cc.setCwnd(Math.max(cc.cwnd() - lastAcked + mss, mss));
            partialAcks++;
        }
    }

    /** Acts on what RFC 6675's recovery decided for this ACK. */
    private void sackVerdict(int verdict, long now) {
        switch (verdict) {
            case SackRecovery.ENTER_RECOVERY -> {
                // (4.2) ssthresh = cwnd = (FlightSize / 2); (4.3) retransmit the first segment presumed lost.
                cc.onLossDetected(sndMax - sndUna, mss, now);
                counters.inc(Counter.TCP_SACK_RECOVERY);
                counters.inc(Counter.TCP_FAST_RETRANS);
                int len = retransmit(sndUna, currentMss(), now);
                sackRecovery.firstRetransmission(sndUna + len);
                sackTransmit(now);
            }
            case SackRecovery.IN_RECOVERY -> sackTransmit(now);
            case SackRecovery.EXIT_RECOVERY -> cc.onRecoveryExit(sndMax - sndUna, mss);
            default -> { }
        }
    }

    /** RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, send what NextSeg() chooses. */
    private void sackTransmit(long now) {
        SackScoreboard board = sackRecovery.scoreboard();
        for (int guard = 0; guard < 10_000 && cc.cwnd() - board.pipe() >= mss; guard++) {
            int unsent = notSent();
            boolean canSendNew = unsent > 0 && (sndMax - sndUna) + Math.min(unsent, mss) <= sndWnd;
            int kind = board.nextSeg(currentMss(), canSendNew, true);
            if (kind == SackScoreboard.NONE) break;
            if (kind == SackScoreboard.NEW_DATA) {
                if (!sendNewData(now)) break;
                board.newDataSent(sndMax);
            } else {
                int start = board.segStart();
                int len = retransmit(start, board.segEnd() - start, now);
                if (len <= 0) break;
                board.retransmitted(start, start + len);
                if (kind == SackScoreboard.RESCUE) sackRecovery.rescueSent();
            }
        }
    }

    /** One new segment at SND.MAX, as much as the receiver's window and the MSS allow (recovery decides the cwnd). */
    private boolean sendNewData(long now) {
        if (Seq.lt(sndNxt, sndMax)) return false;
        int offset = sndNxt - bufSeq;
        int len = Math.min(Math.min(notSent(), currentMss()), sndWnd - (sndNxt - sndUna));
        if (len <= 0) return false;
        int flags = TcpFlags.ACK | (len == notSent() ? TcpFlags.PSH : 0);
        emit(sndNxt, flags, offset, len, now);
        counters.inc(Counter.TCP_ORIG_DATA_SENT);
        bytesSent += len;
        dataSegsOut++;
        lastDataSendTime = now;
        sndNxt += len;
        sndMax = sndNxt;
        return true;
    }

    /** A duplicate acknowledgment (RFC 5681 §2): three start fast retransmit and fast recovery (§3.2). */
    private void duplicateAck(long now) {
        dupAcks++;
        if (inRecovery) {
            // RFC 5681 §3.2 step 4: inflate the window by one segment per duplicate ACK.
            cc.setCwnd(cc.cwnd() + mss);
            return;
        }
        if (dupAcks == sysctls.get(Sysctl.TCP_REORDERING) && Seq.gt(sndUna, recover - 1)) {
            // RFC 6582 §3.2 step 2: only when the ACK covers more than "recover" (avoids multiple reductions).
            inRecovery = true;
            partialAcks = 0;
            recover = sndMax;
            // RFC 5681 §3.2 steps 2 and 3: ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = ssthresh + 3*SMSS.
            cc.onLossDetected(sndMax - sndUna, mss, now);
            cc.setCwnd(cc.ssthresh() + 3 * mss);
            counters.inc(Counter.TCP_RENO_RECOVERY);
            counters.inc(Counter.TCP_FAST_RETRANS);
            retransmit(sndUna, currentMss(), now);
        }
    }

    /** Seventh step, in-window text: store it, reassemble, decide on the acknowledgment. */
    private void receiveText(TcpSegment seg, long now) {
        int seq = seg.seq;
        int off = seg.payloadOffset;
        int len = seg.payloadLength;
        // Trim what we already have ("segments with higher beginning sequence numbers may be held").
        if (Seq.lt(seq, rcvNxt)) {
            int dup = rcvNxt - seq;
            if (dup >= len) {
                duplicateData(seq, seq + len);
                ackNow = true; // a full duplicate: tell the peer where we are, with a D-SACK
                return;
            }
            duplicateData(seq, rcvNxt);
            off += dup;
            len -= dup;
            seq = rcvNxt;
        }
        // Trim what lies beyond the window.
        int wnd = receiveWindow();
        int offset = seq - rcvNxt;
        if (offset + len > wnd) {
            len = Math.max(0, wnd - offset);
            if (len == 0) {
                counters.inc(Counter.TCP_ZERO_WINDOW_DROP);
                ackNow = true;
                return;
            }
        }
        dataSegsIn++;
        delayedAck.dataArrived(now, rtt.rto());
        lastDataRecvTime = now;
        if (seg.payloadLength > rcvMss) rcvMss = Math.min(seg.payloadLength, Math.max(advMss, rcvMss));
        measureReceiverRtt(seg, now);
        int inOrder = recvBuf.store(offset, seg.payload, off, len);
        if (offset > 0) {
            // Out of order: ACK at once so the sender sees the hole (RFC 5681 §4.2 "SHOULD be sent immediately").
            if (sackOk) {
                if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
                sackBlocks.outOfOrderArrived(seq);
            }
            counters.inc(Counter.TCP_OFO_QUEUE);
            ackNow = true;
            return;
        }
        rcvNxt += inOrder;
        bytesReceived += inOrder;
        if (recvBuf.rangeCount() == 0 && inOrder > len) {
            ackNow = true; // a hole just filled: ACK at once (RFC 5681 §4.2)
        }
        if (outOfOrderFin && outOfOrderFinSeq == rcvNxt) {
            outOfOrderFin = false;
            finArrived(now);
        }
        growReceiveWindow(len);
        scheduleAck(now);
        env.wake(this);
    }

    /** Eighth step: the FIN is in order. */
    private void finArrived(long now) {
        rcvNxt += 1;
        finReceived = true;
        ackNow = true;
        env.wake(this);
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> setState(TcpState.CLOSE_WAIT, "FIN received", now);
            case FIN_WAIT_1 -> {
                if (finAcked) enterTimeWait("FIN received", now);
                else setState(TcpState.CLOSING, "FIN received (simultaneous close)", now);
            }
            case FIN_WAIT_2 -> enterTimeWait("FIN received", now);
            case TIME_WAIT -> closeDeadline = now + TIME_WAIT_NANOS;
            default -> { }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Timeouts (§3.10.8)

    /** Runs every timer due at or before {@code now}. */
    public void onTimer(long now) {
        if (closeDeadline <= now) {
            closeDeadline = NEVER;
            if (state == TcpState.TIME_WAIT) {
                counters.inc(Counter.TW);
                closeNow("TIME-WAIT expired (2MSL)", now);
            } else if (state == TcpState.FIN_WAIT_2) {
                closeNow("FIN-WAIT-2 timeout (tcp_fin_timeout)", now);
            }
        }
        if (state == TcpState.CLOSED) {
            afterEvent(now);
            return;
        }
        if (rtxDeadline <= now) {
            rtxDeadline = NEVER;
            if (persistMode) persistTimeout(now);
            else retransmitTimeout(now);
        }
        if (delAckDeadline <= now && state != TcpState.CLOSED) {
            delAckDeadline = NEVER;
            counters.inc(Counter.DELAYED_ACKS);
            delayedAck.timerFired(rtt.rto());
            sendAck(now);
        }
        if (keepaliveDeadline <= now && state != TcpState.CLOSED) {
            keepaliveDeadline = NEVER;
            keepaliveTimeout(now);
        }
        afterEvent(now);
    }

    /** The retransmission timer (RFC 6298 §5.4 to §5.7; Linux's tcp_retransmit_timer and tcp_write_timeout). */
    private void retransmitTimeout(long now) {
        counters.inc(Counter.TCP_TIMEOUTS);
        switch (state) {
            case SYN_SENT -> {
                // Linux 6.x: a connect() may retransmit tcp_syn_retries + tcp_syn_linear_timeouts times; the RTO
                // stays at its initial value for the first tcp_syn_linear_timeouts timeouts, then doubles.
                if (retransmits >= RetransmitLimits.synRetransmissions(sysctls, options)) {
                    error = timeoutError();
                    closeNow("SYN retries exhausted", now);
                    return;
                }
                retransmits++;
                if (RetransmitLimits.synTimeoutBacksOff(sysctls, retransmits)) backoff++;
                if (env.engineProfile().rexmitDropOptions() && retransmits >= EngineProfile.DROP_OPTIONS_RETRANSMISSION) {
                    synOptionsDropped = true; // FreeBSD's tcp_timer_rexmt: the SYN may be dropped for its options
                }
                if (synDataLen > 0) {
                    // The SYN with data was lost (or dropped on the way): the retry is a plain SYN and the data
                    // follows the handshake (Linux's tcp_fastopen_synack_time / syn_data loss handling).
                    counters.inc(Counter.TCP_FAST_OPEN_ACTIVE_FAIL);
                    synDataLen = 0;
                    sndNxt = iss + 1;
                    sndMax = sndNxt;
                }
                counters.inc(Counter.TCP_SYN_RETRANS);
                counters.inc(Counter.RETRANS_SEGS);
                totalRetrans++;
                sendSyn(false, now);
                armRetransmit(now);
            }
            case SYN_RECEIVED -> synAckRetransmitTimeout(now);
            default -> {
                // FIN-WAIT-1 entered from SYN-RECEIVED: the SYN-ACK is still the first thing unacknowledged.
                if (sndUna == iss) synAckRetransmitTimeout(now);
                else dataRetransmitTimeout(now);
            }
        }
    }

    /** The SYN-ACK's retransmission timer: tcp_synack_retries, then the half-open connection is dropped. */
    private void synAckRetransmitTimeout(long now) {
        int limit = sysctls.get(Sysctl.TCP_SYNACK_RETRIES);
        if (retransmits >= limit) {
            if (passive) {
                dropHalfOpen("SYN-ACK retries exhausted", now);
            } else {
                error = timeoutError();
                closeNow("SYN-ACK retries exhausted", now);
            }
            return;
        }
        retransmits++;
        backoff++;
        counters.inc(Counter.TCP_SYN_RETRANS);
        counters.inc(Counter.RETRANS_SEGS);
        totalRetrans++;
        sendSyn(true, now);
        armRetransmit(now);
    }

    private void dataRetransmitTimeout(long now) {
        if (sndUna == sndMax) return;
        if (sndWnd == 0 && !orphaned) {
            // Linux's tcp_retransmit_timer: "Receiver dastardly shrinks window. Our retransmits become zero probes,
            // but we should not timeout this connection" while the peer still answers (within TCP_RTO_MAX).
            if (now - lastReceiveTime > rtt.rtoMax()) {
                counters.inc(Counter.TCP_ABORT_ON_TIMEOUT);
                error = Errno.ETIMEDOUT;
                closeNow("zero window and no answer for TCP_RTO_MAX", now);
                return;
            }
            retransmit(sndUna, currentMss(), now);
            if (backoff < 64) backoff++;
            rtxDeadline = now + rtt.rto(backoff);
            rtoArmedAt = now;
            return;
        }
        if (retransmits > 0 && writeTimedOut(now)) {
            counters.inc(Counter.TCP_ABORT_ON_TIMEOUT);
            error = timeoutError();
            closeNow("retransmission limit (tcp_retries2)", now);
            return;
        }
        if (retransStamp == NO_STAMP) retransStamp = rtoArmedAt;
        // RFC 5681 §3.1: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = 1 SMSS; RFC 6582 §4: recover = highest sent.
        cc.onRetransmitTimeout(sndMax - sndUna, mss, now);
        if (sackRecovery != null) sackRecovery.onRetransmitTimeout();
        inRecovery = false;
        recover = sndMax;
        dupAcks = 0;
        rttTiming = false; // Karn: never time a retransmitted segment
        retransmits++;
        if (backoff < 64) backoff++;
        // Go back N: resend from SND.UNA; the window lets one segment out.
        sndNxt = sndUna;
        output(now);
        rtxDeadline = now + rtt.rto(backoff);
        rtoArmedAt = now;
    }

    /** Whether unacknowledged data has gone unanswered long enough to give up (see {@link RetransmitLimits}). */
    private boolean writeTimedOut(long now) {
        return now - retransStamp >= RetransmitLimits.dataTimeout(sysctls, options, orphaned, rtt.rtoMin(), rtt.rtoMax());
    }

    /** The persist timer: probe a zero window (Linux's tcp_probe_timer and tcp_send_probe0). */
    private void persistTimeout(long now) {
        persistMode = false;
        if (notSent() == 0) return;
        if (sndWnd > 0) {
            // A window too small for silly-window avoidance to use: fill it anyway (Linux's tcp_write_wakeup).
            forceSend = true;
            output(now);
            forceSend = false;
            return;
        }
        int maxProbes = orphaned ? Math.max(sysctls.get(Sysctl.TCP_ORPHAN_RETRIES), 8) : sysctls.get(Sysctl.TCP_RETRIES2);
        if (probesOut >= maxProbes) {
            error = timeoutError();
            counters.inc(Counter.TCP_ABORT_ON_TIMEOUT);
            closeNow("zero-window probes unanswered", now);
            return;
        }
        // Linux sends a probe with an old sequence number (SND.UNA - 1), which the receiver must ACK.
        sendBareAck(sndUna - 1, now);
        probesOut++;
        if (backoff < sysctls.get(Sysctl.TCP_RETRIES2)) backoff++;
        armPersist(now);
    }

    /** Keepalive (RFC 9293 §3.8.4; Linux's tcp_keepalive_timer). */
    private void keepaliveTimeout(long now) {
        if (establishing()) {
            // FreeBSD's tcp_timer_keep before ESTABLISHED: the connection-establishment timer expired. tcp_drop
            // answers with RST once a SYN has been received (simultaneous open), not in SYN-SENT.
            error = timeoutError();
            counters.inc(Counter.TCP_ABORT_ON_TIMEOUT);
            if (state == TcpState.SYN_SENT) closeNow("connection-establishment timer (keepinit) expired", now);
            else resetAndClose("connection-establishment timer (keepinit) expired", now);
            return;
        }
        if (!options.keepAlive || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT
                || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2)) {
            return;
        }
        long idle = options.keepIdleSeconds(sysctls) * 1_000_000_000L;
        long intvl = options.keepIntvlSeconds(sysctls) * 1_000_000_000L;
        if (sndMax != sndUna || notSent() > 0) {
            // Data in flight: the retransmission timer watches the peer, not keepalive.
            keepaliveDeadline = now + idle;
            return;
        }
        long elapsed = now - lastReceiveTime;
        if (elapsed < idle) {
            keepaliveDeadline = lastReceiveTime + idle;
            probesOut = 0;
            return;
        }
        boolean userTimedOut = options.userTimeoutMs > 0 && elapsed >= options.userTimeoutMs * 1_000_000L && probesOut > 0;
        if (probesOut >= options.keepProbes(sysctls) || userTimedOut) {
            error = timeoutError();
            counters.inc(Counter.TCP_ABORT_ON_TIMEOUT);
            resetAndClose("keepalive: peer did not answer", now);
            return;
        }
        // A keepalive probe is an ACK with SEG.SEQ = SND.NXT - 1 and no data (RFC 9293 §3.8.4).
        sendBareAck(sndUna - 1, now);
        counters.inc(Counter.TCP_KEEP_ALIVE);
        probesOut++;
        keepaliveDeadline = now + intvl;
    }

    // ------------------------------------------------------------------------------------------------
    // Output

    /**
     * Sends what the windows allow (Linux's tcp_write_xmit; RFC 9293 §3.8.6.2.1 for the sender's side of
     * silly-window avoidance, RFC 896 for Nagle), then a pure ACK if one is owed and nothing carried it.
     */
    private void output(long now) {
        if ((state.isSynchronized() && state != TcpState.TIME_WAIT) || (state == TcpState.SYN_RECEIVED && fastOpenPassive)) {
            if (sndUna == sndMax && lastDataSendTime != 0 && notSent() > 0) {
                cc.onTransmitStart(lastDataSendTime, now); // Linux's CA_EVENT_TX_START (CUBIC's epoch moves on)
                if (now - lastDataSendTime > rtt.rto() && sysctls.get(Sysctl.TCP_SLOW_START_AFTER_IDLE) == 1) {
                    cc.onIdleRestart(mss, now); // RFC 5681 §4.1: restart the window after an idle period
                }
            }
            boolean inSackRecovery = sackRecovery != null && sackRecovery.inRecovery();
            boolean sentAny = false;
            while (!inSackRecovery && sendOneSegment(now)) sentAny = true;
            // Linux's tcp_cwnd_validate: the window only grows while the sender actually fills it (RFC 7661).
            int inFlight = sndNxt - sndUna;
            boolean cwndFull = cc.cwnd() - inFlight < mss && notSent() > 0;
            if (sentAny || cwndFull) cwndValidation.onTransmitRound(inFlight, cwndFull, sndUna, sndNxt);
            // Data waits with nothing in flight: only the persist timer can get it moving (RFC 9293 §3.8.6.1).
            if (sndMax == sndUna && notSent() > 0 && rtxDeadline == NEVER) armPersist(now);
        }
        if (ackNow) sendAck(now);
    }

    /** Sends the next segment if the windows and Nagle allow; returns whether one was sent. */
    private boolean sendOneSegment(long now) {
        if (sackRecovery != null && Seq.lt(sndNxt, sndMax)) {
            // Going back after a timeout: what the peer SACKed need not be sent again (RFC 6675 §5.1).
            SackScoreboard board = sackRecovery.scoreboard();
            while (Seq.lt(sndNxt, sndMax) && board.isSacked(sndNxt)) sndNxt += Math.min(mss, sndMax - sndNxt);
        }
        int offset = sndNxt - bufSeq;                  // where SND.NXT falls in the send buffer
        int dataSize = sendBuf.size();
        int unsent = Math.max(0, dataSize - offset);
        boolean finPending = finQueued && !finAcked && Seq.leq(sndNxt, bufSeq + dataSize);
        if (unsent == 0 && !finPending) return false;
        int inFlight = sndNxt - sndUna;
        int window = Math.min(sndWnd, congestionWindowNow());
        int usable = window - inFlight;
        int mss = currentMss();
        int len = Math.min(Math.min(unsent, mss), Math.max(usable, 0));
        boolean fin = finPending && len == unsent;
        if (len < unsent || (len == 0 && !fin)) {
            // Not everything left fits: only send full segments, or a half-window's worth (SWS avoidance).
            if (len < mss && !(len > 0 && (len >= maxSndWnd / 2 || forceSend))) return false;
        } else if (len > 0 && len < mss) {
            // The last, short piece: Nagle holds it while data is unacknowledged, unless TCP_NODELAY or a FIN follows.
            // (Data, not our SYN: a Fast Open server's answer may follow its SYN-ACK at once, as Linux's child socket
            // has no packets out of its own.)
            boolean dataUnacked = Seq.gt(sndMax, Seq.max(sndUna, bufSeq));
            boolean nagleBlocks = !options.noDelay && !finQueued && dataUnacked && Seq.geq(sndNxt, sndMax);
            if (nagleBlocks) return false;
        }
        if (fin && len == 0 && usable <= 0) return false; // a FIN needs window too (tcp_snd_wnd_test)
        boolean retransmission = Seq.lt(sndNxt, sndMax);
        int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (len > 0 && len == unsent ? TcpFlags.PSH : 0);
        emit(sndNxt, flags, offset, len, now);
        if (len > 0) {
            if (retransmission) {
                bytesRetrans += len;
                totalRetrans++;
                counters.inc(Counter.RETRANS_SEGS);
            } else {
                counters.inc(Counter.TCP_ORIG_DATA_SENT);
                if (!rttTiming && !tsOk) {
                    rttTiming = true;
                    rttSeq = sndNxt;
                    rttStart = now;
                }
            }
            bytesSent += len;
            dataSegsOut++;
            lastDataSendTime = now;
            delayedAck.dataSent(now);
        }
        sndNxt += len + (fin ? 1 : 0);
        if (Seq.gt(sndNxt, sndMax)) sndMax = sndNxt;
        if (rtxDeadline == NEVER || persistMode) {
            persistMode = false;
            rtxDeadline = now + rtt.rto(backoff);
            rtoArmedAt = now;
        }
        return true;
    }

    /**
     * The congestion window for new data now: cwnd, plus RFC 3042's limited transmit on the first two
     * duplicate ACKs (one new segment each), so a small window still collects the three duplicates that
     * start fast retransmit.
     */
    private int congestionWindowNow() {
        int dupThresh = sysctls.get(Sysctl.TCP_REORDERING);
        int dups = sackRecovery != null ? (sackRecovery.inRecovery() ? 0 : sackRecovery.dupAcks()) : (inRecovery ? 0 : dupAcks);
        return io.threeway.tcp.sack.LimitedTransmit.window(cc.cwnd(), dups, dupThresh, mss);
    }

    /**
     * Retransmits up to {@code maxLen} bytes starting at {@code seq} without moving SND.NXT (fast retransmit,
     * partial ACKs, SACK recovery, zero-window probing). Never past SND.MAX: only what was sent before (the
     * first transmission may have been shorter, e.g. when SACK blocks took room in its header). Carries the FIN
     * when the range reaches it. Returns the data bytes sent.
     */
    private int retransmit(int seq, int maxLen, long now) {
        int offset = seq - bufSeq;
        int dataEnd = bufSeq + sendBuf.size();
        int sentData = Math.min(sendBuf.size() - offset, Seq.lt(sndMax, dataEnd) ? sndMax - seq : dataEnd - seq);
        int len = Math.min(Math.min(maxLen, currentMss()), Math.max(0, sentData));
        boolean fin = finQueued && !finAcked && seq + len == dataEnd && Seq.gt(sndMax, dataEnd);
        if (len <= 0 && !fin) return 0;
        emit(seq, TcpFlags.ACK | (fin ? TcpFlags.FIN : 0), offset, Math.max(len, 0), now);
        bytesRetrans += Math.max(len, 0);
        totalRetrans++;
        counters.inc(Counter.RETRANS_SEGS);
        rttTiming = false;
        return Math.max(len, 0);
    }

    /** Builds and hands over one segment carrying {@code len} bytes from send-buffer {@code offset}. */
    private void emit(int seq, int flags, int offset, int len, long now) {
        TcpSegment s = header(seq, flags, now);
        if (len > 0) {
            if (sendBuf.contiguous(offset, len)) {
                s.payload = sendBuf.array();
                s.payloadOffset = sendBuf.index(offset);
            } else {
                if (wrapScratch == null || wrapScratch.length < len) wrapScratch = new byte[Math.max(len, mss)];
                sendBuf.copy(offset, wrapScratch, 0, len);
                s.payload = wrapScratch;
                s.payloadOffset = 0;
            }
            s.payloadLength = len;
        }
        transmit(s, now);
    }

    /** A segment header with our ACK, window and timestamp filled in. */
    private TcpSegment header(int seq, int flags, long now) {
        TcpSegment s = scratch();
        s.clear();
        s.srcPort = tuple.localPort();
        s.dstPort = tuple.remotePort();
        s.seq = seq;
        s.flags = flags;
        if ((flags & TcpFlags.ACK) != 0) {
            s.ack = rcvNxt;
            s.window = selectWindow();
        }
        if (tsOk) {
            s.options.timestamps = true;
            s.options.tsVal = tsClock(now);
            s.options.tsEcr = tsRecent;
        }
        if (sackBlocksToSend() > 0 && (flags & TcpFlags.ACK) != 0) addSackBlocks(s.options);
        return s;
    }

    private void transmit(TcpSegment s, long now) {
        segsOut++;
        counters.inc(Counter.OUT_SEGS);
        if ((s.flags & TcpFlags.RST) != 0) counters.inc(Counter.OUT_RSTS);
        if ((s.flags & TcpFlags.ACK) != 0) {
            lastAckSent = s.ack;
            ackNow = false;
            delAckDeadline = NEVER;
        }
        env.transmit(this, s);
    }

    /** SYN (active open, retransmission) or SYN-ACK (passive open, simultaneous open) with our options. */
    private void sendSyn(boolean withAck, long now) {
        TcpSegment s = scratch();
        s.clear();
        s.srcPort = tuple.localPort();
        s.dstPort = tuple.remotePort();
        s.seq = iss;
        s.flags = TcpFlags.SYN | (withAck ? TcpFlags.ACK : 0);
        s.ack = withAck ? rcvNxt : 0;
        s.window = Math.min(rcvWnd, 0xFFFF); // never scaled in a SYN (RFC 7323 §2.2)
        // RFC 3168 §6.1.1: an ECN-setup SYN has ECE and CWR, an ECN-setup SYN-ACK ECE alone.
        if (withAck ? ecnOk : ecnOk && retransmits <= ecnSynRetries()) {
            s.flags |= withAck ? TcpFlags.ECE : TcpFlags.ECE | TcpFlags.CWR;
        }
        if (withAck) lastAckSent = rcvNxt;
        if (!options.noOptions) addSynOptions(s, withAck, now);
        segsOut++;
        counters.inc(Counter.OUT_SEGS);
        env.transmit(this, s);
    }

    /** The options of a SYN or SYN-ACK: MSS, then what we ask for (SYN) or agreed to (SYN-ACK), and Fast Open. */
    private void addSynOptions(TcpSegment s, boolean withAck, long now) {
        TcpOptions o = s.options;
        o.mss = advMss;
        boolean offerTs = withAck ? tsOk : mayUse(Sysctl.TCP_TIMESTAMPS);
        boolean offerSack = withAck ? sackOk : mayUse(Sysctl.TCP_SACK);
        boolean offerWs = withAck ? wscaleOk : mayUse(Sysctl.TCP_WINDOW_SCALING);
        if (offerSack) o.sackPermitted = true;
        if (offerTs) {
            o.timestamps = true;
            o.tsVal = cookieTsVal != 0 ? cookieTsVal : tsClock(now);
            if (!withAck && firstSynTsVal == 0) firstSynTsVal = o.tsVal;
            o.tsEcr = withAck ? tsRecent : 0;
        }
        if (offerWs) o.windowScale = rcvWscale;
        if (withAck) {
            if (fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length); // RFC 7413 §4.1.2
        } else if (retransmits == 0) {
            if (fastOpenRequest) o.setFastOpenCookie(fastOpenCookie, 0);
            if (synDataLen > 0) {
                if (fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length);
                s.payload = sendBuf.array();
                s.payloadOffset = sendBuf.index(0);
                s.payloadLength = synDataLen;
            }
        }
    }

    /**
     * Whether this connection may ask for, or agree to, the option a setting governs: the setting is on, the
     * socket is not TCP_NOOPT, and rexmit_drop_options has not stripped our SYN.
     */
    private boolean mayUse(Sysctl which) {
        return sysctls.get(which) != 0 && !options.noOptions && !synOptionsDropped;
    }

    /** SYN retransmissions that still ask for ECN: the profile's, or all of them without tcp_ecn_fallback. */
    private int ecnSynRetries() {
        return sysctls.get(Sysctl.TCP_ECN_FALLBACK) == 0 ? Integer.MAX_VALUE : env.engineProfile().ecnSynRetries();
    }

    /** Whether a SYN asks for ECN (ECE and CWR, RFC 3168 §6.1.1) and tcp_ecn lets a server agree (1 or 2). */
    private boolean ecnSetupSyn(TcpSegment syn) {
        return syn.ece() && syn.cwr() && sysctls.get(Sysctl.TCP_ECN) != 0;
    }

    /**
     * A pure ACK of RCV.NXT (§3.10.7.4: "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"). Its sequence number is the
     * highest ever sent, not a SND.NXT rewound by a timeout: the peer has seen up to there, and an ACK below
     * its RCV.NXT would fail its acceptability test and be lost (BSD's tcp_output sends snd_max here; Linux
     * never rewinds snd_nxt).
     */
    private void sendAck(long now) {
        if (state == TcpState.CLOSED || state == TcpState.LISTEN || state == TcpState.SYN_SENT) return;
        if (env.engineProfile().finWithAck() && onlyFinUnacknowledged()) {
            // BSD's tcp_output: the FIN goes again with every segment while it is all that is outstanding.
            transmit(header(sndMax - 1, TcpFlags.FIN | TcpFlags.ACK, now), now);
            return;
        }
        sendBareAck(sndMax, now);
    }

    /** Our FIN has been sent and everything before it acknowledged: SND.UNA + 1 = SND.MAX, the FIN's sequence. */
    private boolean onlyFinUnacknowledged() {
        return finQueued && !finAcked && sndMax - sndUna == 1 && sendBuf != null && sendBuf.size() == 0;
    }

    private void sendBareAck(int seq, long now) {
        transmit(header(seq, TcpFlags.ACK, now), now);
    }

    /**
     * RFC 5961 §3.2/§4.2/§5.2's challenge ACK: tells a legitimate peer where we are, so a blind attacker's
     * guess gains nothing. Rate limited per connection by tcp_invalid_ratelimit, as Linux does.
     */
    private long lastChallengeAck = Long.MIN_VALUE;

    /** When a duplicate ACK for an out-of-window segment was last sent (Linux's last_oow_ack_time). */
    private long lastOutOfWindowAck = Long.MIN_VALUE;

    private boolean outOfWindowAckLimited(long now) {
        long limit = sysctls.get(Sysctl.TCP_INVALID_RATELIMIT) * 1_000_000L;
        if (lastOutOfWindowAck != Long.MIN_VALUE && now - lastOutOfWindowAck < limit) return true;
        lastOutOfWindowAck = now;
        return false;
    }

    private void sendChallengeAck(long now) {
        long limit = sysctls.get(Sysctl.TCP_INVALID_RATELIMIT) * 1_000_000L;
        if (lastChallengeAck != Long.MIN_VALUE && now - lastChallengeAck < limit) return;
        lastChallengeAck = now;
        counters.inc(Counter.TCP_CHALLENGE_ACK);
        // Never with the FIN of EngineProfile.finWithAck: BSD answers with tcp_respond, not tcp_output.
        if (state != TcpState.CLOSED && state != TcpState.LISTEN && state != TcpState.SYN_SENT) sendBareAck(sndMax, now);
    }

    /** RST with our sequence number (abort, §3.10.5): <SEQ=SND.NXT><CTL=RST,ACK>, as Linux's tcp_send_active_reset. */
    private void sendReset(int seq, long now) {
        TcpSegment s = header(seq, TcpFlags.RST | TcpFlags.ACK, now);
        s.window = 0;
        s.options.clear();
        transmit(s, now);
    }

    /** The reset that answers an unacceptable segment (§3.10.7.1's forms). */
    private void replyReset(TcpSegment seg, long now) {
        TcpSegment s = scratch();
        if (Resets.replyTo(seg, s)) transmit(s, now);
    }

    // ------------------------------------------------------------------------------------------------
    // Acknowledgment policy (RFC 9293 §3.8.6.3, RFC 5681 §4.2; Linux's __tcp_ack_snd_check)

    private void scheduleAck(long now) {
        if (ackNow) return;
        if (delayedAck.ackAtOnce(rcvNxt - lastAckSent, rcvMss, options.quickAck)) {
            ackNow = true;
        } else if (delAckDeadline == NEVER) {
            delAckDeadline = now + delayedAck.timeout();
        }
    }

    /** After the application reads, offer the freed space if it is worth an ACK (Linux's tcp_cleanup_rbuf). */
    private void maybeSendWindowUpdate(long now) {
        if (!state.isSynchronized() || state == TcpState.TIME_WAIT || finReceived) return;
        int current = receiveWindow();
        int possible = Math.min(recvBuf.free(), Math.max(rcvSsthresh, 0));
        if (possible >= 2 * current && possible - current >= Math.max(advMss, 1)) {
            sendAck(now);
            afterEvent(now);
        } else if (current == 0 && possible >= Math.min(advMss, recvBuf.capacity() / 2)) {
            sendAck(now);
            afterEvent(now);
        }
    }

    /**
     * The window to advertise (Linux's tcp_select_window and __tcp_select_window): the free buffer space,
     * limited by rcv_ssthresh, withheld when small (receiver SWS avoidance, RFC 9293 §3.8.6.2.2), never
     * moving the right edge left, rounded up to the scale's granularity. Returns the raw 16-bit field.
     */
    private int selectWindow() {
        if (recvBuf == null) return state == TcpState.TIME_WAIT ? rcvWnd >>> rcvWscale : 0;
        int free = recvBuf.free();
        int full = recvBuf.capacity();
        int wnd = Math.min(free, rcvSsthresh);
        if (free < full / 2 && free < advMss) wnd = 0;
        if (wnd > 0 && rcvWscale > 0) {
            int g = 1 << rcvWscale;
            wnd = (wnd + g - 1) & -g;
        }
        int maxWnd = 0xFFFF << rcvWscale;
        if (wnd > maxWnd) wnd = maxWnd;
        // Never shrink the window: keep the old right edge if the new one would be left of it.
        int current = receiveWindow();
        if (wnd < current) wnd = ((current + (1 << rcvWscale) - 1) >>> rcvWscale) << rcvWscale;
        int raw = wnd >>> rcvWscale;
        if (raw > 0xFFFF) raw = 0xFFFF;
        int previous = rcvWnd;
        rcvWnd = raw << rcvWscale;
        rcvWup = rcvNxt;
        if (rcvWnd == 0 && previous != 0) counters.inc(Counter.TCP_TO_ZERO_WINDOW_ADV);
        else if (rcvWnd != 0 && previous == 0 && state.isSynchronized()) counters.inc(Counter.TCP_FROM_ZERO_WINDOW_ADV);
        if (rcvWnd == 0) counters.inc(Counter.TCP_WANT_ZERO_WINDOW_ADV);
        return raw;
    }

    /** The receiver's timestamps give it its own round-trip time, for autotuning (tcp_rcv_rtt_measure_ts). */
    private void measureReceiverRtt(TcpSegment seg, long now) {
        if (!tsOk || !seg.options.timestamps || seg.options.tsEcr == 0) return;
        autotuning.rttSample(Math.max(1, tsClock(now) - seg.options.tsEcr) * 1_000_000L);
    }

    /** After a read: let autotuning grow the buffer, unless tcp_moderate_rcvbuf is off or SO_RCVBUF fixed it. */
    private void adjustReceiveSpace(int n, long now) {
        if (sysctls.get(Sysctl.TCP_MODERATE_RCVBUF) == 0 || options.rcvBuf > 0 || recvBuf == null) return;
        int grown = autotuning.onRead(n, now, rtt.srtt(), advMss, recvBuf.capacity(),
                winFromSpace(sysctls.get(Sysctl.TCP_RMEM, 2)));
        if (grown > 0) recvBuf.setCapacity(grown);
    }

    /** Linux's tcp_grow_window, simplified: each in-order segment lets the offered window grow by two MSS. */
    private void growReceiveWindow(int len) {
        int full = recvBuf.capacity();
        if (rcvSsthresh < full) rcvSsthresh = Math.min(full, rcvSsthresh + 2 * Math.max(advMss, len));
    }

    /** SACK blocks the next segment carries: as many out-of-order ranges as fit beside the timestamps. */
    private int sackBlocksToSend() {
        if (!sackOk || recvBuf == null) return 0;
        int dsack = sackBlocks != null && sackBlocks.dsackPending() && dsackOn() ? 1 : 0;
        return Math.min(recvBuf.rangeCount() + dsack, tsOk ? 3 : 4);
    }

    private boolean dsackOn() {
        return sysctls.get(Sysctl.TCP_DSACK) != 0;
    }

    /** The receive buffer's out-of-order ranges in absolute sequence numbers, for the SACK block builder. */
    private final SackBlockBuilder.Ranges receivedOutOfOrder = new SackBlockBuilder.Ranges() {
        @Override public int count() { return recvBuf == null ? 0 : recvBuf.rangeCount(); }
        @Override public int start(int i) { return rcvNxt + recvBuf.rangeStart(i); }
        @Override public int end(int i) { return rcvNxt + recvBuf.rangeEnd(i); }
    };

    /** Notes a segment of data we already had, for a D-SACK block in the next ACK (RFC 2883 §4). */
    private void duplicateData(int start, int end) {
        if (!sackOk || !dsackOn() || !Seq.lt(start, end)) return;
        if (sackBlocks == null) sackBlocks = new SackBlockBuilder();
        sackBlocks.duplicateArrived(start, end);
        counters.inc(Counter.TCP_DSACK_OLD_SENT);
    }

    /**
     * The payload that fits in a segment now: the MSS less the room SACK blocks take (nop, nop, kind, length
     * and 8 bytes a block), as Linux's tcp_current_mss does, so a segment never outgrows the path MTU.
     */
    private int currentMss() {
        int blocks = sackBlocksToSend();
        return blocks == 0 ? mss : Math.max(mss - (4 + 8 * blocks), 1);
    }

    private void addSackBlocks(TcpOptions o) {
        int room = tsOk ? 3 : 4;
        if (sackBlocks == null) {
            for (int i = 0; i < Math.min(recvBuf.rangeCount(), room); i++) {
                o.addSack(rcvNxt + recvBuf.rangeStart(i), rcvNxt + recvBuf.rangeEnd(i));
            }
            return;
        }
        // RFC 2018 §4: the block holding the most recent segment first, then the most recently reported others;
        // a D-SACK block (RFC 2883) for duplicate data goes before them all.
        o.sackBlocks = sackBlocks.build(rcvNxt, receivedOutOfOrder, room, dsackOn(), o.sackLeft, o.sackRight);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers

    private void negotiateOptions(TcpOptions peer, boolean passiveOpen) {
        Sysctls s = sysctls;
        boolean v6 = tuple.v6();
        peerMss = peer.mss > 0 ? peer.mss : (v6 ? DEFAULT_MSS_V6 : DEFAULT_MSS_V4);
        wscaleOk = peer.windowScale >= 0 && mayUse(Sysctl.TCP_WINDOW_SCALING);
        if (wscaleOk) {
            // RFC 7323 §2.3: a shift above 14 is used as 14.
            sndWscale = Math.min(peer.windowScale, 14);
            if (passiveOpen) rcvWscale = chooseWindowScale();
        } else {
            sndWscale = 0;
            rcvWscale = 0;
        }
        tsOk = peer.timestamps && mayUse(Sysctl.TCP_TIMESTAMPS);
        if (tsOk) {
            tsRecent = peer.tsVal;
            tsRecentTime = lastReceiveTime;
            if (passiveOpen) tsOffset = env.timestampOffset(tuple);
        }
        sackOk = peer.sackPermitted && mayUse(Sysctl.TCP_SACK);
        computeMss();
    }

    private void computeMss() {
        int pathLimit = env.pathMtu(tuple) - (tuple.v6() ? 60 : 40);
        int m = Math.min(peerMss, pathLimit);
        if (options.maxSeg > 0) m = Math.min(m, options.maxSeg);
        if (tsOk) m -= TS_OPTION_SPACE;
        mss = Math.max(m, sysctls.get(Sysctl.TCP_MIN_SND_MSS) - (tsOk ? TS_OPTION_SPACE : 0));
        rcvMss = Math.min(advMss, DEFAULT_MSS_V4);
    }

    /** The MSS option we send: the path MTU less the IP and TCP headers, capped by TCP_MAXSEG. */
    private int ourMss() {
        int m = env.pathMtu(tuple) - (tuple.v6() ? 60 : 40);
        if (options.maxSeg > 0) m = Math.min(m, options.maxSeg);
        return Math.max(m, 88);
    }

    /** Linux's tcp_select_initial_window: the shift that lets the largest buffer be offered. */
    private int chooseWindowScale() {
        long space = Math.max(recvBuf.capacity(), (long) (options.rcvBuf > 0 ? options.rcvBuf : sysctls.get(Sysctl.TCP_RMEM, 2)));
        if (options.rcvBuf > 0) space = recvBuf.capacity(); // SO_RCVBUF locks the buffer: scale for what it holds
        int shift = (63 - Long.numberOfLeadingZeros(Math.max(space, 1))) - 15;
        return Math.max(0, Math.min(shift, 14));
    }

    /**
     * The first window: the buffer's space rounded down to whole segments, at most 65535
     * (tcp_select_initial_window); or, with {@link ConnectionOptions#offerWholeBuffer}, all of it.
     */
    private int initialWindow(int segment) {
        int space = recvBuf.capacity();
        if (space > segment && !options.offerWholeBuffer) space = (space / segment) * segment;
        return Math.min(space, 0xFFFF);
    }

    /** Where rcv_ssthresh starts: the first window (Linux), or the whole buffer when it is offered at once. */
    private int initialRcvSsthresh() {
        return options.offerWholeBuffer ? recvBuf.capacity() : rcvWnd;
    }

    private void allocateBuffers() {
        int rcvbuf = options.rcvBuf > 0 ? options.rcvBuf : sysctls.get(Sysctl.TCP_RMEM, 1);
        int sndbuf = options.sndBuf > 0 ? options.sndBuf : sysctls.get(Sysctl.TCP_WMEM, 1);
        // tcp_adv_win_scale: the share of the buffer that holds data rather than overhead (1 = half).
        recvBuf = new ReceiveBuffer(winFromSpace(rcvbuf));
        sendBuf = new SendBuffer(sndbuf);
    }

    private int winFromSpace(int space) {
        int scale = sysctls.get(Sysctl.TCP_ADV_WIN_SCALE);
        return scale <= 0 ? space >> -scale : space - (space >> scale);
    }

    /** Linux's tcp_sndbuf_expand: room for twice the congestion window, up to tcp_wmem[2], unless SO_SNDBUF set it. */
    private void growSendBuffer() {
        if (options.sndBuf > 0) return;
        int want = (int) Math.min((long) sysctls.get(Sysctl.TCP_WMEM, 2),
                2L * Math.max(cc.cwnd(), Math.max(sndWnd, CongestionControl.INITIAL_WINDOW_SEGMENTS * mss)));
        if (want > sendBuf.limit()) sendBuf.setLimit(want);
    }

    private void establish(String cause, long now) {
        bufSeq = iss + 1;
        if (cc == null) startCongestionControl(now);
        delayedAck.start();
        growSendBuffer();
        setState(TcpState.ESTABLISHED, cause, now);
        if (options.keepAlive) armKeepalive(now);
        else keepaliveDeadline = NEVER; // the connection-establishment timer, if one ran (FreeBSD's TT_KEEP)
        env.wake(this);
    }

    private void startCongestionControl(long now) {
        CongestionControl chosen = options.congestion == null ? null : CongestionControls.byName(options.congestion);
        cc = chosen != null ? chosen : CongestionControls.stackDefault(sysctls);
        cc.init(mss, now);
        cwndValidation.reset(sndUna);
        recover = iss;
        // The SACK machinery is made when first needed (sackRecoveryNeeded, receiverSackNeeded): an idle or
        // loss-free connection costs less.
    }

    private void takeRttSampleForSyn(TcpSegment seg, long now) {
        if (noSynRttSample) {
            noSynRttSample = false;
            return;
        }
        // Karn: a retransmitted SYN gives no sample unless timestamps say which copy was answered.
        if (tsOk && seg.options.timestamps && seg.options.tsEcr != 0) {
            rtt.sample(((long) (tsClock(now) - seg.options.tsEcr)) * 1_000_000L);
        } else if (retransmits == 0) {
            rtt.sample(now - rtoArmedAt);
        }
        backoff = 0;
        retransmits = 0;
    }

    private TcpSegment scratch() {
        if (out == null) out = new TcpSegment();
        return out;
    }

    /**
     * An orphaned connection in TIME-WAIT keeps only what TIME-WAIT needs, as Linux's inet_timewait_sock
     * does: the four-tuple, SND.NXT, RCV.NXT, the window, TS.Recent and the deadline. The buffers, congestion
     * control and scratch segment go (about a third of the control block remains).
     */
    private void compactForTimeWait() {
        sendBuf = null;
        recvBuf = null;
        cc = null;
        out = null;
        wrapScratch = null;
    }

    private void enterTimeWait(String cause, long now) {
        if (!env.admitTimeWait(this)) {
            counters.inc(Counter.TCP_TIME_WAIT_OVERFLOW);
            closeNow(cause + "; TIME-WAIT table full (tcp_max_tw_buckets)", now);
            return;
        }
        setState(TcpState.TIME_WAIT, cause, now);
        stopRetransmitTimer();
        delAckDeadline = NEVER;
        keepaliveDeadline = NEVER;
        closeDeadline = now + TIME_WAIT_NANOS;
        sendBuf.release();
        if (orphaned || recvBuf.readable() == 0) recvBuf.release(); // TIME-WAIT holds no buffers
        if (orphaned) compactForTimeWait();
    }

    private void closeNow(String cause, long now) {
        if (state == TcpState.CLOSED) return;
        setState(TcpState.CLOSED, cause, now);
        releaseAll();
        env.wake(this);
    }

    private void releaseAll() {
        rtxDeadline = delAckDeadline = keepaliveDeadline = closeDeadline = NEVER;
        persistMode = false;
        if (sendBuf != null) sendBuf.release();
        if (recvBuf != null && orphaned) recvBuf.release();
    }

    private void setState(TcpState to, String cause, long now) {
        TcpState from = state;
        if (from == to) return;
        state = to;
        if (!from.countsAsEstablished() && to.countsAsEstablished()) counters.inc(Counter.CURR_ESTAB);
        if (from.countsAsEstablished() && !to.countsAsEstablished()) counters.dec(Counter.CURR_ESTAB);
        if (from == TcpState.CLOSED && to == TcpState.SYN_SENT) counters.inc(Counter.ACTIVE_OPENS);
        if (from == TcpState.LISTEN && to == TcpState.SYN_RECEIVED) counters.inc(Counter.PASSIVE_OPENS);
        if ((from == TcpState.SYN_SENT || from == TcpState.SYN_RECEIVED) && (to == TcpState.CLOSED || to == TcpState.LISTEN)) {
            counters.inc(Counter.ATTEMPT_FAILS);
        }
        if (from.countsAsEstablished() && to == TcpState.CLOSED) counters.inc(Counter.ESTAB_RESETS);
        env.stateChanged(this, from, to, cause, now);
    }

    private void armRetransmit(long now) {
        persistMode = false;
        // TCPT_RANGESET: the slop is added before the timeout is capped (a 64 s maximum stays 64 s).
        long slop = rexmitSlop();
        rtxDeadline = now + (slop == 0 ? rtt.rto(backoff) : Math.min(rtt.rto(backoff) + slop, rtt.rtoMax()));
        rtoArmedAt = now;
    }

    /**
     * FreeBSD's rexmit_slop (an engine-profile knob, 0 for Linux): added to every timeout computed from a
     * backoff or an RTT sample, not to the initial one (TCPT_RANGESET versus t_rxtcur = tcp_rexmit_initial).
     */
    private long rexmitSlop() {
        return backoff > 0 || rtt.hasSample() ? env.engineProfile().rexmitSlopNanos() : 0;
    }

    private void armPersist(long now) {
        persistMode = true;
        // Linux's tcp_probe0_when: the RTO backed off, at most TCP_RTO_MAX.
        rtxDeadline = now + rtt.rto(backoff);
    }

    private void stopRetransmitTimer() {
        if (!persistMode) rtxDeadline = NEVER;
    }

    private void armKeepalive(long now) {
        keepaliveDeadline = now + options.keepIdleSeconds(sysctls) * 1_000_000_000L;
    }

    /** An active open not yet ESTABLISHED, which the connection-establishment timer watches. */
    private boolean establishing() {
        return state == TcpState.SYN_SENT || (state == TcpState.SYN_RECEIVED && !passive);
    }

    /**
     * FreeBSD's connection-establishment timer, on the keepalive timer as BSD's TT_KEEP is: TCP_KEEPINIT on
     * the socket, else the profile's keepinit; none when both are 0 (Linux).
     */
    private void armKeepInit(long now) {
        long timeout = options.keepInitMs > 0 ? options.keepInitMs * 1_000_000L : env.engineProfile().keepInitNanos();
        keepaliveDeadline = timeout > 0 ? now + timeout : NEVER;
    }

    /** TCP_KEEPINIT set on a connecting socket restarts the timer from now, as FreeBSD's tcp_ctloutput does. */
    public void keepInitChanged(long now) {
        if (establishing()) armKeepInit(now);
        env.timersChanged(this);
    }

    /**
     * TCP_CONGESTION on a live connection (Linux's tcp_reinit_congestion_control): the new algorithm starts
     * from the current window. Unknown names are refused by the caller.
     */
    public void changeCongestionControl(String name, long now) {
        options.congestion = name;
        if (cc == null || cc.name().equals(name)) return;
        CongestionControl next = CongestionControls.byName(name);
        if (next == null) return;
        int cwnd = cc.cwnd();
        next.init(mss, now);
        next.setCwnd(cwnd);
        cc = next;
    }

    /** Turns keepalive on or off (SO_KEEPALIVE) or re-reads its timing (TCP_KEEPIDLE). */
    public void keepaliveChanged(long now) {
        if (establishing()) {
            // The keepalive settings take effect once established; the timer now is the establishment one.
        } else if (options.keepAlive && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            long idle = options.keepIdleSeconds(sysctls) * 1_000_000_000L;
            keepaliveDeadline = Math.max(now, lastReceiveTime + idle);
        } else {
            keepaliveDeadline = NEVER;
        }
        env.timersChanged(this);
    }

    private void armFinWait2(long now) {
        // Linux's tcp_fin_timeout for orphaned connections (TCP_LINGER2 could override it).
        closeDeadline = now + sysctls.get(Sysctl.TCP_FIN_TIMEOUT) * 1_000_000_000L;
    }

    /** The timestamp clock: milliseconds (Linux's tcp_time_stamp_ms) plus the per-connection offset. */
    private int tsClock(long now) {
        return (int) (now / 1_000_000L) + tsOffset;
    }

    /** After any event: send what is owed, and let the host re-read the timers. */
    private void afterEvent(long now) {
        if (state != TcpState.CLOSED && state != TcpState.LISTEN && state != TcpState.SYN_SENT) {
            if (state != TcpState.SYN_RECEIVED || fastOpenPassive) output(now);
            else if (ackNow) ackNow = false;
        }
        if (options.keepAlive && keepaliveDeadline == NEVER && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            armKeepalive(now);
        }
        env.timersChanged(this);
    }

    /** The control block's variables in one line, for debugging and tests. */
    public String debugState() {
        return state + " SND.UNA=" + Seq.str(sndUna - iss) + " SND.NXT=" + Seq.str(sndNxt - iss) + " SND.MAX=" + Seq.str(sndMax - iss)
                + " SND.WND=" + sndWnd + " RCV.NXT=" + Seq.str(rcvNxt - irs) + " RCV.WND=" + rcvWnd + " rcvWup=" + Seq.str(rcvWup - irs)
                + " cwnd=" + cwnd() + " ssthresh=" + ssthresh() + " recovery=" + inRecovery + " dupAcks=" + dupAcks
                + " backoff=" + backoff + " retransmits=" + retransmits + " rto=" + rtt.rto(backoff) / 1_000_000 + "ms"
                + " sendQ=" + sendQueue() + " notSent=" + notSent() + " readable=" + readable()
                + " ooo=" + (recvBuf == null ? 0 : recvBuf.outOfOrderBytes()) + " rtx@" + rtxDeadline + (persistMode ? "(persist)" : "")
                + " finQueued=" + finQueued;
    }

    @Override
    public String toString() {
        return "TcpConnection[" + tuple + " " + state + "]";
    }
}
