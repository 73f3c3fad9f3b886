package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;

/**
 * Opening a connection (RFC 9293 §3.5): the active open and its SYN, the passive open from a listener's SYN,
 * simultaneous open, SYN cookies (RFC 4987 with Linux's encoding), TCP Fast Open (RFC 7413), option negotiation
 * (MSS by {@link MssPolicy}, window scale and timestamps RFC 7323, SACK RFC 2018, ECN RFC 3168 §6.1.1), and the
 * SYN and SYN-ACK retransmission timers. It ends with {@link #establish}.
 */
final class Handshake {
    /** Linux's SYN-cookie TSval encoding: the low 6 bits carry the peer's window scale (15 = none) and SACK. */
    static final int COOKIE_TS_MASK = 0x3F;
    /** The window-scale field of a cookie's TSval that means "no window scaling". */
    static final int COOKIE_NO_WSCALE = 0xF;
    /** The SACK-permitted bit of a cookie's TSval. */
    static final int COOKIE_SACK = 0x10;
    /** Linux's TS_OPT_ECN: the SYN asked for ECN and the SYN-ACK agreed. */
    static final int COOKIE_ECN = 0x20;

    /** The connection being opened. */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** The TSval of our first SYN, for checking the SYN-ACK's echo (PAWSActive). */
    private int firstSynTsVal;
    /** Data bytes our SYN carried (client Fast Open). */
    private int synDataLen;
    /** Client: the cookie our SYN carries. Server: the cookie our SYN-ACK hands out. */
    private byte[] fastOpenCookie;
    /** Client: our SYN asks for a cookie. */
    private boolean fastOpenRequest;
    /** Server: the host accepted this SYN's data (valid cookie, queue room). */
    private boolean acceptSynData;
    /** A SYN cookie's encoded TSval for the stateless SYN-ACK (0 when not answering with a cookie). */
    private int cookieTsVal;
    /** Established from a SYN cookie: no SYN-ACK send time, so no RTT sample from the handshake. */
    private boolean noSynRttSample;
    /** FreeBSD's rexmit_drop_options took effect: later SYNs ask for no window scaling, timestamps or SACK. */
    private boolean synOptionsDropped;

    Handshake(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    // ------------------------------------------------------------------------------------------------
    // Active open

    /** OPEN, active (§3.10.1), with data queued before the SYN; returns how many bytes were queued. */
    int connect(byte[] data, int off, int len, long now) {
        tcb.startSendSequence(tcb.env.initialSequenceNumber(tcb.tuple, now));
        tcb.tsOffset = tcb.sysctls().get(Sysctl.TCP_TIMESTAMPS) == 1 ? tcb.env.timestampOffset(tcb.tuple) : 0;
        tcb.advMss = MssPolicy.advertised(tcb);
        conn.receiver.allocateBuffers();
        int queued = data == null ? 0 : tcb.sendBuf.write(data, off, len);
        planFastOpen(queued, now);
        tcb.rcvWscale = (byte) (tcb.sysctls().get(Sysctl.TCP_WINDOW_SCALING) != 0 ? conn.receiver.chooseScale() : 0);
        conn.receiver.initial(tcb.advMss);
        tcb.ecnOk = tcb.sysctls().get(Sysctl.TCP_ECN) == 1; // RFC 3168 §6.1.1: ask with an ECN-setup SYN
        conn.setState(TcpState.SYN_SENT, synDataLen > 0 ? "connect() with data (Fast Open)" : "connect()", now);
        sendSyn(false, now);
        tcb.sndNxt = tcb.iss + 1 + synDataLen;
        tcb.sndMax = tcb.sndNxt;
        conn.timers.armRetransmit(now);
        Keepalive.armKeepInit(conn, now);
        return queued;
    }

    /** Linux's tcp_fastopen_defer_connect / tcp_send_syn_data: what this connect's SYN carries. */
    private void planFastOpen(int queued, long now) {
        int mode = tcb.sysctls().get(Sysctl.TCP_FASTOPEN);
        // No data and no TCP_FASTOPEN_CONNECT: an ordinary SYN. TCP_FASTOPEN_CONNECT without data and without a
        // cookie still asks for one, as Linux's connect() does with that option set; with a cookie and no data
        // (the socket layer held the SYN back, then read() came first) the SYN is an ordinary one.
        if ((mode & FastOpen.CLIENT) == 0 || (queued == 0 && !tcb.options.fastOpenConnect)) return;
        if (tcb.env.fastOpenPathDisabled(tcb.tuple.remoteAddress(), now)) return; // RFC 7413 §4.1.3: a negative response
        byte[] cookie = tcb.env.fastOpenCookie(tcb.tuple.remoteAddress());
        if (cookie == null && (mode & FastOpen.CLIENT_NO_COOKIE) == 0) {
            fastOpenCookie = null;
            fastOpenRequest = true; // ask for a cookie; the data waits for the handshake
            return;
        }
        fastOpenCookie = cookie;
        // Linux: the SYN's data is at most the MSS less the largest option space.
        synDataLen = Math.min(queued, Math.max(0, tcb.advMss - FastOpen.MAX_OPTION_SPACE));
    }

    /** §3.10.7.3: "If the state is SYN-SENT". */
    void synSentArrives(TcpSegment seg, long now) {
        // First, check the ACK bit.
        boolean ackOk = false;
        if (seg.ackFlag()) {
            if (Seq.leq(seg.ack, tcb.iss) || Seq.gt(seg.ack, tcb.sndMax)) {
                if (!seg.rst()) conn.transmitter.replyReset(seg, now);
                return;
            }
            ackOk = Seq.leq(tcb.sndUna, seg.ack) && Seq.leq(seg.ack, tcb.sndMax);
        }
        // Second, check the RST bit: "If the ACK was acceptable, then signal to the user 'error: connection
        // reset', drop the segment, enter CLOSED state". The user sees it as "Connection refused".
        if (seg.rst()) {
            if (ackOk) {
                tcb.error = Errno.ECONNREFUSED;
                conn.closeNow("RST received (connection refused)", now);
            }
            return;
        }
        // Fourth, check the SYN bit.
        if (!seg.syn()) return;
        if (oldSynAck(seg, now)) {
            tcb.counters().inc(Counter.PAWS_ACTIVE);
            conn.transmitter.replyReset(seg, now);
            return;
        }
        synReceivedInSynSent(seg, ackOk, now);
    }

    /**
     * RFC 7323 §5 / Linux's tcp_rcv_synsent_state_process: a SYN-ACK echoing a timestamp we never sent is an old
     * duplicate (reset it and keep waiting for the real one).
     */
    private boolean oldSynAck(TcpSegment seg, long now) {
        TcpOptions o = seg.options;
        return seg.ackFlag() && o.timestamps && o.tsEcr != 0 && firstSynTsVal != 0
                && !(Seq.geq(o.tsEcr, firstSynTsVal) && Seq.leq(o.tsEcr, tcb.tsClock(now)));
    }

    /** The SYN (with or without an ACK of ours) in SYN-SENT: ESTABLISHED, or SYN-RECEIVED for a simultaneous open. */
    private void synReceivedInSynSent(TcpSegment seg, boolean ackOk, long now) {
        tcb.startReceiveSequence(seg.seq);
        tcb.lastReceiveTime = now;
        negotiateOptions(seg.options, false);
        // RFC 3168 §6.1.1: a SYN-ACK agrees to ECN with ECE alone (ECE and CWR together is a reflected SYN's
        // flags, Linux's tcp_ecn_rcv_synack); a simultaneous-open SYN agrees with both (tcp_ecn_rcv_syn).
        if (tcb.ecnOk) tcb.ecnOk = seg.ackFlag() ? seg.ece() && !seg.cwr() : seg.ece() && seg.cwr();
        if (tcb.tsOk) {
            tcb.tsRecent = seg.options.tsVal;
            tcb.tsRecentTime = now;
        }
        if (ackOk) {
            tcb.sndUna = seg.ack;
            takeRttSample(seg, now);
        }
        tcb.initialSendWindow(seg.window, seg); // the window in a SYN or SYN-ACK is never scaled
        if (Seq.gt(tcb.sndUna, tcb.iss)) {
            // Our SYN is acknowledged: ESTABLISHED.
            conn.timers.stopRetransmit();
            fastOpenSynAck(seg, now);
            establish("SYN-ACK received", now);
            synDataAcknowledged();
            // The SYN-ACK is acknowledged at once (Linux's tcp_rcv_synsent_state_process -> tcp_send_ack). Data
            // queued before the handshake (Fast Open SYN data the SYN-ACK did not take, or data written while
            // asking for a cookie) carries that ACK: RFC 9293 §3.10.7.3 "Data or controls that were queued for
            // transmission MAY be included", as Linux's tcp_rcv_fastopen_synack resends SYN data without a bare ACK.
            conn.receiver.ackNow();
            conn.sender.output(now);
        } else {
            // Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>".
            conn.setState(TcpState.SYN_RECEIVED, "SYN received in SYN-SENT (simultaneous open)", now);
            sendSyn(true, now);
            conn.timers.armRetransmit(now);
        }
    }

    /**
     * RFC 7413 §4.2.2 (Linux's tcp_rcv_fastopen_synack): a cookie in the SYN-ACK is cached for the next
     * connection; SYN data the SYN-ACK does not acknowledge (the server refused it, or a middlebox stripped the
     * option) is sent again after the handshake.
     */
    private void fastOpenSynAck(TcpSegment seg, long now) {
        TcpOptions o = seg.options;
        boolean dataTaken = Seq.gt(seg.ack, tcb.iss + 1);
        if (o.fastOpen && o.fastOpenCookieLength > 0) {
            tcb.env.fastOpenCookieLearned(tcb.tuple.remoteAddress(), Arrays.copyOf(o.fastOpenCookie, o.fastOpenCookieLength));
        } else if ((fastOpenRequest || synDataLen > 0) && !dataTaken) {
            tcb.env.fastOpenRefused(tcb.tuple.remoteAddress(), now); // no cookie, and the SYN's data (if any) not taken
        }
        if (synDataLen > 0) {
            if (dataTaken) {
                tcb.counters().inc(Counter.TCP_FAST_OPEN_ACTIVE);
            } else {
                tcb.counters().inc(Counter.TCP_FAST_OPEN_ACTIVE_FAIL);
                tcb.sndNxt = tcb.sndUna; // go back: the data was not taken
            }
        }
    }

    /** After establishment: release SYN data the SYN-ACK acknowledged. */
    private void synDataAcknowledged() {
        int acked = tcb.sndUna - (tcb.iss + 1);
        if (acked > 0) {
            tcb.synDataAcked = true;
            tcb.sendBuf.consume(acked);
            tcb.bufSeq += acked;
            tcb.bytesAcked += acked;
            tcb.bytesSent += acked;
            tcb.counters().inc(Counter.TCP_ORIG_DATA_SENT);
        }
        if (Seq.lt(tcb.sndNxt, tcb.sndUna)) tcb.sndNxt = tcb.sndUna;
        synDataLen = 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Passive open

    /** The host's Fast Open decision for the SYN about to be given to {@link #acceptSyn}. */
    void prepareFastOpen(byte[] cookieToSend, boolean acceptData) {
        this.fastOpenCookie = cookieToSend;
        this.acceptSynData = acceptData;
    }

    /**
     * Sets up a passive open (§3.10.7.2, "If the state is LISTEN ... third, check for a SYN"; Linux's
     * tcp_openreq_init and inet_csk_clone): the peer's ISN and ours, our MSS, the buffers, the options agreed.
     * The clone starts where its listener is: in LISTEN, without a transition of its own.
     */
    private void passiveOpen(int peerIsn, int isn, TcpOptions peer) {
        tcb.passive = true;
        tcb.state = TcpState.LISTEN;
        tcb.startReceiveSequence(peerIsn);
        tcb.startSendSequence(isn);
        tcb.advMss = MssPolicy.advertised(tcb);
        conn.receiver.allocateBuffers();
        negotiateOptions(peer, true);
    }

    /** Linux's tcp_openreq_init_rwin: the SYN-ACK's window leaves room for timestamps in each segment. */
    private int synAckSegment() {
        return tcb.advMss - (tcb.tsOk ? MssPolicy.TS_OPTION_SPACE : 0);
    }

    /**
     * A clone of a listening socket takes a SYN: it records the peer's ISN and options, chooses its own ISS,
     * sends SYN-ACK, and enters SYN-RECEIVED. The host has already checked the segment's RST and ACK bits.
     */
    void acceptSyn(TcpSegment seg, long now) {
        passiveOpen(seg.seq, tcb.env.initialSequenceNumber(tcb.tuple, now), seg.options);
        tcb.ecnOk = ecnSetupSyn(seg);
        conn.receiver.initial(synAckSegment());
        if (acceptSynData && seg.payloadLength > 0) takeSynData(seg, now);
        tcb.initialSendWindow(seg.window, seg); // a SYN's window is never scaled (RFC 7323 §2.2)
        tcb.lastReceiveTime = now;
        conn.setState(TcpState.SYN_RECEIVED, "SYN received", now);
        sendSyn(true, now);
        conn.timers.armRetransmit(now);
    }

    /**
     * RFC 7413 §4.3: a valid cookie: the SYN's data goes to the application now, before the handshake completes,
     * and the SYN-ACK acknowledges it (Linux's tcp_fastopen_add_skb).
     */
    private void takeSynData(TcpSegment seg, long now) {
        int stored = tcb.recvBuf.store(0, seg.payload, seg.payloadOffset, Math.min(seg.payloadLength, tcb.rcvWnd));
        tcb.rcvNxt += stored;
        tcb.bytesReceived += stored;
        tcb.dataSegsIn++;
        conn.receiver.synDataArrived(now);
        tcb.lastDataRecvTime = now;
        tcb.fastOpenPassive = true;
        conn.sender.startCongestionControl(now); // it may send from SYN-RECEIVED (Linux: tcp_init_transfer at creation)
    }

    /**
     * Answers a SYN with a SYN cookie (RFC 4987 §3.6; Linux's tcp_conn_request with want_cookie): the SYN-ACK
     * {@link #acceptSyn} would send, but with ISS = {@code cookie} and, when the SYN had timestamps, the peer's
     * window scale and SACK permission folded into the low six bits of TSval (Linux's cookie_init_timestamp),
     * so they survive without state. Nothing is kept: the caller throws the connection away.
     */
    void sendCookieSynAck(TcpSegment syn, int cookie, long now) {
        passiveOpen(syn.seq, cookie, syn.options);
        tcb.ecnOk = ecnSetupSyn(syn);
        tcb.rcvWnd = conn.receiver.initialWindow(synAckSegment());
        if (tcb.tsOk) {
            int encoded = (tcb.wscaleOk ? tcb.sndWscale : COOKIE_NO_WSCALE) | (tcb.sackOk ? COOKIE_SACK : 0)
                    | (tcb.ecnOk ? COOKIE_ECN : 0);
            int clock = tcb.tsClock(now);
            int ts = (clock & ~COOKIE_TS_MASK) | encoded;
            if (Seq.gt(ts, clock)) ts -= COOKIE_TS_MASK + 1; // never ahead of the clock
            cookieTsVal = ts;
        }
        sendSyn(true, now);
        tcb.state = TcpState.CLOSED;
    }

    /**
     * Completes a connection from the ACK that brought back a valid SYN cookie (Linux's cookie_v4_check and
     * tcp_get_cookie_sock): the peer's ISN is SEG.SEQ - 1 and ours SEG.ACK - 1; {@code peerMss} is the MSS the
     * cookie encoded; window scale and SACK come back from TSecr's low bits (without timestamps they are lost,
     * the price of cookies the seeds mention). Returns false when the echoed options contradict our settings (a
     * failed cookie); then nothing has changed. The caller then processes the ACK as in SYN-RECEIVED.
     */
    boolean acceptCookie(TcpSegment ack, int peerMss, long now) {
        TcpOptions peer = new TcpOptions();
        peer.mss = peerMss;
        boolean cookieEcn = false;
        if (ack.options.timestamps && tcb.sysctls().get(Sysctl.TCP_TIMESTAMPS) != 0) {
            int encoded = ack.options.tsEcr & COOKIE_TS_MASK;
            // Linux's cookie_ecn_ok: ECN agreed by a cookie is only valid while tcp_ecn still allows it.
            cookieEcn = (encoded & COOKIE_ECN) != 0;
            if (cookieEcn && tcb.sysctls().get(Sysctl.TCP_ECN) == 0) return false;
            peer.timestamps = true;
            peer.tsVal = ack.options.tsVal;
            peer.sackPermitted = (encoded & COOKIE_SACK) != 0;
            if (peer.sackPermitted && tcb.sysctls().get(Sysctl.TCP_SACK) == 0) return false;
            int ws = encoded & COOKIE_NO_WSCALE;
            if (ws != COOKIE_NO_WSCALE) {
                if (tcb.sysctls().get(Sysctl.TCP_WINDOW_SCALING) == 0) return false;
                peer.windowScale = ws;
            }
        }
        passiveOpen(ack.seq - 1, ack.ack - 1, peer);
        tcb.ecnOk = cookieEcn;
        conn.receiver.initial(synAckSegment());
        tcb.sndWl1 = ack.seq;
        tcb.sndWl2 = ack.ack;
        tcb.lastReceiveTime = now;
        noSynRttSample = true; // the SYN-ACK's send time was not kept
        conn.setState(TcpState.SYN_RECEIVED, "ACK with a valid SYN cookie", now);
        return true;
    }

    /**
     * Fifth step in SYN-RECEIVED (or FIN-WAIT-1 after a close there, §3.10.4): the ACK of our SYN. Returns false
     * when it acknowledges nothing we sent ("form a reset segment <SEQ=SEG.ACK><CTL=RST>": the segment is done).
     */
    boolean synAcknowledged(TcpSegment seg, long now) {
        if (!(Seq.lt(tcb.sndUna, seg.ack) && Seq.leq(seg.ack, tcb.sndMax))) {
            conn.transmitter.replyReset(seg, now);
            return false;
        }
        tcb.initialSendWindow(tcb.peerWindow(seg), seg);
        // The SYN is acknowledged; whatever the ACK covers beyond it (a FIN sent in FIN-WAIT-1) is left to the
        // sender's ACK processing, as in ESTABLISHED.
        tcb.sndUna = tcb.iss + 1;
        takeRttSample(seg, now);
        if (tcb.sndUna == tcb.sndMax) conn.timers.stopRetransmit();
        else conn.timers.armRetransmit(now);
        if (tcb.state == TcpState.SYN_RECEIVED) establish("ACK of SYN-ACK received", now);
        return true;
    }

    /** The handshake is done: ESTABLISHED, with the sending machinery, quick ACKs and keepalive. */
    void establish(String cause, long now) {
        tcb.bufSeq = tcb.iss + 1;
        if (!conn.sender.started()) conn.sender.startCongestionControl(now);
        conn.receiver.start();
        conn.sender.growSendBuffer();
        conn.setState(TcpState.ESTABLISHED, cause, now);
        Keepalive.established(conn, now);
        conn.handshakeDone();
        tcb.env.wake(conn);
    }

    /** The RTT of the handshake: timestamps if agreed, else the SYN's round trip unless it was retransmitted (Karn). */
    private void takeRttSample(TcpSegment seg, long now) {
        if (noSynRttSample) {
            noSynRttSample = false;
            return;
        }
        Timers timers = conn.timers;
        if (tcb.tsOk && seg.options.timestamps && seg.options.tsEcr != 0) {
            tcb.rtt.sample(((long) (tcb.tsClock(now) - seg.options.tsEcr)) * 1_000_000L);
        } else if (timers.retransmits == 0) {
            tcb.rtt.sample(now - timers.rtoArmedAt);
        }
        timers.backoff = 0;
        timers.retransmits = 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Options

    /** What both ends agreed to, from the peer's SYN or SYN-ACK options and our settings. */
    private void negotiateOptions(TcpOptions peer, boolean passiveOpen) {
        tcb.peerMss = MssPolicy.fromPeer(tcb, peer.mss);
        tcb.wscaleOk = peer.windowScale >= 0 && mayUse(Sysctl.TCP_WINDOW_SCALING);
        if (tcb.wscaleOk) {
            // RFC 7323 §2.3: a shift above 14 is used as 14.
            tcb.sndWscale = (byte) Math.min(peer.windowScale, 14);
            if (passiveOpen) tcb.rcvWscale = (byte) conn.receiver.chooseScale();
        } else {
            tcb.sndWscale = 0;
            tcb.rcvWscale = 0;
        }
        tcb.tsOk = peer.timestamps && mayUse(Sysctl.TCP_TIMESTAMPS);
        if (tcb.tsOk) {
            tcb.tsRecent = peer.tsVal;
            tcb.tsRecentTime = tcb.lastReceiveTime;
            if (passiveOpen) tcb.tsOffset = tcb.env.timestampOffset(tcb.tuple);
        }
        tcb.sackOk = peer.sackPermitted && mayUse(Sysctl.TCP_SACK);
        tcb.mss = MssPolicy.sending(tcb, tcb.env.pathMtu(tcb.tuple));
        tcb.rcvMss = Math.min(tcb.advMss, MssPolicy.DEFAULT_MSS_V4);
    }

    /**
     * Whether this connection may ask for, or agree to, the option a setting governs: the setting is on, the
     * socket is not TCP_NOOPT, and rexmit_drop_options has not stripped our SYN.
     */
    private boolean mayUse(Sysctl which) {
        return tcb.sysctls().get(which) != 0 && !tcb.options.noOptions && !synOptionsDropped;
    }

    /** SYN retransmissions that still ask for ECN: the profile's, or all of them without tcp_ecn_fallback. */
    private int ecnSynRetries() {
        return tcb.sysctls().get(Sysctl.TCP_ECN_FALLBACK) == 0 ? Integer.MAX_VALUE : tcb.env.engineProfile().ecnSynRetries();
    }

    /** Whether a SYN asks for ECN (ECE and CWR, RFC 3168 §6.1.1) and tcp_ecn lets a server agree (1 or 2). */
    private boolean ecnSetupSyn(TcpSegment syn) {
        return syn.ece() && syn.cwr() && tcb.sysctls().get(Sysctl.TCP_ECN) != 0;
    }

    // ------------------------------------------------------------------------------------------------
    // SYN and SYN-ACK segments and their timers

    /** SYN (active open, retransmission) or SYN-ACK (passive open, simultaneous open) with our options. */
    private void sendSyn(boolean withAck, long now) {
        TcpSegment s = conn.transmitter.scratch();
        s.clear();
        s.srcPort = tcb.tuple.localPort();
        s.dstPort = tcb.tuple.remotePort();
        s.seq = tcb.iss;
        s.flags = TcpFlags.SYN | (withAck ? TcpFlags.ACK : 0);
        s.ack = withAck ? tcb.rcvNxt : 0;
        s.window = Math.min(tcb.rcvWnd, 0xFFFF); // never scaled in a SYN (RFC 7323 §2.2)
        // RFC 3168 §6.1.1: an ECN-setup SYN has ECE and CWR, an ECN-setup SYN-ACK ECE alone.
        if (withAck ? tcb.ecnOk : tcb.ecnOk && conn.timers.retransmits <= ecnSynRetries()) {
            s.flags |= withAck ? TcpFlags.ECE : TcpFlags.ECE | TcpFlags.CWR;
        }
        if (withAck) conn.receiver.synAckSent();
        if (!tcb.options.noOptions) addSynOptions(s, withAck, now);
        conn.transmitter.handOver(s);
    }

    /** The options of a SYN or SYN-ACK: MSS, then what we ask for (SYN) or agreed to (SYN-ACK), and Fast Open. */
    private void addSynOptions(TcpSegment s, boolean withAck, long now) {
        TcpOptions o = s.options;
        o.mss = tcb.advMss;
        boolean offerTs = withAck ? tcb.tsOk : mayUse(Sysctl.TCP_TIMESTAMPS);
        boolean offerSack = withAck ? tcb.sackOk : mayUse(Sysctl.TCP_SACK);
        boolean offerWs = withAck ? tcb.wscaleOk : mayUse(Sysctl.TCP_WINDOW_SCALING);
        if (offerSack) o.sackPermitted = true;
        if (offerTs) {
            o.timestamps = true;
            o.tsVal = cookieTsVal != 0 ? cookieTsVal : tcb.tsClock(now);
            if (!withAck && firstSynTsVal == 0) firstSynTsVal = o.tsVal;
            o.tsEcr = withAck ? tcb.tsRecent : 0;
        }
        if (offerWs) o.windowScale = tcb.rcvWscale;
        if (withAck) {
            if (fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length); // RFC 7413 §4.1.2
        } else if (conn.timers.retransmits == 0) {
            if (fastOpenRequest) o.setFastOpenCookie(fastOpenCookie, 0);
            if (synDataLen > 0) {
                if (fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length);
                s.payload = tcb.sendBuf.array();
                s.payloadOffset = tcb.sendBuf.index(0);
                s.payloadLength = synDataLen;
            }
        }
    }

    /** The peer retransmitted its SYN: our SYN-ACK was lost (tcp_check_req -> inet_rtx_syn_ack, tcp_rtx_synack). */
    void resendSynAck(long now) {
        countRetransmission();
        sendSyn(true, now);
    }

    private void countRetransmission() {
        tcb.counters().inc(Counter.TCP_SYN_RETRANS);
        tcb.counters().inc(Counter.RETRANS_SEGS);
        tcb.totalRetrans++;
    }

    /**
     * The SYN's retransmission timer. Linux 6.x: a connect() may retransmit tcp_syn_retries +
     * tcp_syn_linear_timeouts times; the RTO stays at its initial value for the first tcp_syn_linear_timeouts
     * timeouts, then doubles.
     */
    void synTimeout(long now) {
        Timers timers = conn.timers;
        if (timers.retransmits >= RetransmitLimits.synRetransmissions(tcb.sysctls(), tcb.options)) {
            tcb.error = conn.timeoutError();
            conn.closeNow("SYN retries exhausted", now);
            return;
        }
        timers.retransmits++;
        if (RetransmitLimits.synTimeoutBacksOff(tcb.sysctls(), timers.retransmits)) timers.backoff++;
        if (tcb.env.engineProfile().rexmitDropOptions() && timers.retransmits >= EngineProfile.DROP_OPTIONS_RETRANSMISSION) {
            synOptionsDropped = true; // FreeBSD's tcp_timer_rexmt: the SYN may be dropped for its options
        }
        if (synDataLen > 0) {
            // The SYN with data was lost (or dropped on the way): the retry is a plain SYN and the data
            // follows the handshake (Linux's tcp_fastopen_synack_time / syn_data loss handling).
            tcb.counters().inc(Counter.TCP_FAST_OPEN_ACTIVE_FAIL);
            synDataLen = 0;
            tcb.sndNxt = tcb.iss + 1;
            tcb.sndMax = tcb.sndNxt;
        }
        countRetransmission();
        sendSyn(false, now);
        timers.armRetransmit(now);
    }

    /** The SYN-ACK's retransmission timer: tcp_synack_retries, then the half-open connection is dropped. */
    void synAckTimeout(long now) {
        Timers timers = conn.timers;
        if (timers.retransmits >= tcb.sysctls().get(Sysctl.TCP_SYNACK_RETRIES)) {
            if (tcb.passive) {
                conn.dropHalfOpen("SYN-ACK retries exhausted", now);
            } else {
                tcb.error = conn.timeoutError();
                conn.closeNow("SYN-ACK retries exhausted", now);
            }
            return;
        }
        timers.retransmits++;
        timers.backoff++;
        countRetransmission();
        sendSyn(true, now);
        timers.armRetransmit(now);
    }
}
