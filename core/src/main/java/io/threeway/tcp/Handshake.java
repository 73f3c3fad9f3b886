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
    /** Client: our SYN is a Fast Open one (Linux's fastopen_req with a cookie, or cookie-less data): it carries the cookie and the data. */
    private boolean fastOpenSyn;
    /** Client: our SYN's Fast Open option is the experimental one (kind 254; Linux's syn_fastopen_exp). */
    private boolean fastOpenExperimental;
    /** Client: our first SYN carried data (Linux's syn_data). */
    private boolean synDataSent;
    /** Client: the MSS clamp our SYN's data was sized by (tcp_send_syn_data's mss_clamp). */
    private int synMssClamp;
    /** Client: the SYN-ACK acknowledged only part of our SYN's data (not TCPI_OPT_SYN_DATA; the rest is resent). */
    private boolean synDataShort;
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

    /**
     * OPEN, active (§3.10.1), with data queued before the SYN; returns how many bytes were queued. {@code synOnly}:
     * queue only what the SYN carries (Linux's tcp_sendmsg_fastopen returns fastopen_req->copied; the caller
     * writes the rest once connected, or leaves it to the application).
     */
    int connect(byte[] data, int off, int len, boolean synOnly, long now) {
        tcb.startSendSequence(tcb.env.initialSequenceNumber(tcb.tuple, now));
        tcb.tsOffset = tcb.sysctls().get(Sysctl.TCP_TIMESTAMPS) == 1 ? tcb.env.timestampOffset(tcb.tuple) : 0;
        tcb.advMss = MssPolicy.advertised(tcb);
        conn.receiver.allocateBuffers();
        int offered = data == null ? 0 : len;
        planFastOpen(offered, data != null, now);
        int queued = data == null ? 0 : tcb.sendBuf.write(data, off, synOnly ? synDataLen : len);
        synDataLen = Math.min(synDataLen, queued);
        tcb.rcvWscale = (byte) (tcb.sysctls().get(Sysctl.TCP_WINDOW_SCALING) != 0 ? conn.receiver.chooseScale() : 0);
        conn.receiver.initial(tcb.advMss);
        tcb.ecnOk = tcb.sysctls().get(Sysctl.TCP_ECN) == 1; // RFC 3168 §6.1.1: ask with an ECN-setup SYN
        conn.setState(TcpState.SYN_SENT, synDataLen > 0 ? "connect() with data (Fast Open)" : "connect()", now);
        sendSyn(false, now);
        synDataSent = synDataLen > 0;
        tcb.sndNxt = tcb.iss + 1 + synDataLen;
        tcb.sndMax = tcb.sndNxt;
        conn.timers.armRetransmit(now);
        Keepalive.armKeepInit(conn, now);
        return queued;
    }

    /**
     * Linux's tcp_fastopen_defer_connect / tcp_send_syn_data: what this connect's SYN carries. {@code withData}: the
     * call hands data for the SYN (sendto with MSG_FASTOPEN, even of 0 bytes), so with a cookie the SYN carries it.
     */
    private void planFastOpen(int queued, boolean withData, long now) {
        int mode = tcb.sysctls().get(Sysctl.TCP_FASTOPEN);
        // No data and no TCP_FASTOPEN_CONNECT: an ordinary SYN. TCP_FASTOPEN_CONNECT without data and without a
        // cookie still asks for one, as Linux's connect() does with that option set; with a cookie and no data
        // (the socket layer held the SYN back, then read() came first) the SYN is an ordinary one.
        if ((mode & FastOpen.CLIENT) == 0 || (queued == 0 && !withData && !tcb.options.fastOpenConnect)) return;
        if (tcb.env.fastOpenPathDisabled(tcb.tuple.remoteAddress(), now)) return; // RFC 7413 §4.1.3: a negative response
        FastOpenMetrics cached = tcb.env.fastOpenMetrics(tcb.tuple.remoteAddress());
        byte[] cookie = cached == null ? null : cached.cookie();
        fastOpenExperimental = cached != null && cached.experimental(); // tcp_fastopen_cache_get's cookie->exp
        if ((mode & FastOpen.CLIENT_NO_COOKIE) != 0) {
            cookie = null; // tcp_fastopen_no_cookie: data without a cookie, and no option at all
        } else if (cookie == null) {
            fastOpenRequest = true; // ask for a cookie; the data waits for the handshake
            return;
        } else if (queued == 0 && !withData) {
            return;
        }
        fastOpenCookie = cookie;
        fastOpenSyn = true;
        synDataLen = Math.min(queued, synDataSpace(cached));
    }

    /**
     * Linux's tcp_send_syn_data: the SYN's data is the MSS of the path (__tcp_mtu_to_mss) clamped by the server's
     * cached MSS (or our advertised MSS when none is cached) and TCP_MAXSEG (tcp_mss_clamp), less the largest
     * option space, so that a middlebox's options still fit.
     */
    private int synDataSpace(FastOpenMetrics cached) {
        int clamp = cached != null && cached.mss() > 0 ? cached.mss() : tcb.advMss;
        if (tcb.options.maxSeg > 0) clamp = Math.min(clamp, tcb.options.maxSeg);
        synMssClamp = clamp;
        int mss = Math.min(tcb.env.pathMtu(tcb.tuple) - MssPolicy.headers(tcb), clamp);
        mss = Math.max(mss, tcb.sysctls().get(Sysctl.TCP_MIN_SND_MSS));
        return Math.max(0, mss - FastOpen.MAX_OPTION_SPACE);
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
            boolean resend = fastOpenSynAck(seg, now);
            establish("SYN-ACK received", now);
            synDataAcknowledged();
            // The SYN-ACK is acknowledged at once (Linux's tcp_rcv_synsent_state_process -> tcp_send_ack), unless a
            // writer waits for the connection ("Save one ACK": its data will carry it). Data queued before the
            // handshake (Fast Open SYN data the SYN-ACK did not take, or data written while asking for a cookie)
            // carries that ACK: RFC 9293 §3.10.7.3 "Data or controls that were queued for transmission MAY be
            // included", as Linux's tcp_rcv_fastopen_synack resends SYN data without a bare ACK.
            if (tcb.writePending && !resend) conn.receiver.saveOneAck(now);
            else conn.receiver.ackNow();
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
     * option) is sent again after the handshake. Returns true when it is (Linux then sends no separate ACK).
     */
    private boolean fastOpenSynAck(TcpSegment seg, long now) {
        if (!fastOpenRequest && !fastOpenSyn) return false; // only after a Fast Open SYN (syn_fastopen || syn_data)
        TcpOptions o = seg.options;
        boolean dataTaken = Seq.gt(seg.ack, tcb.iss + 1);
        boolean optionSent = fastOpenRequest || fastOpenCookie != null; // Linux's syn_fastopen
        // An unsolicited cookie (our SYN had no Fast Open option) is ignored.
        byte[] cookie = optionSent && o.fastOpen && o.fastOpenCookieLength > 0
                ? Arrays.copyOf(o.fastOpenCookie, o.fastOpenCookieLength) : null;
        int tryExp = 0;
        if (optionSent && tcb.totalRetrans == 0 && !o.fastOpen && !synDataSent) { // tp->total_retrans: the SYN was never resent
            // We asked for a cookie and got no option at all: ask with the other format next time.
            tryExp = fastOpenExperimental ? 2 : 1;
        }
        int mss = seg.options.mss > 0 ? seg.options.mss : synMssClamp;
        tcb.env.fastOpenCacheSet(tcb.tuple.remoteAddress(), mss, cookie, o.fastOpenExperimental, tryExp);
        if (cookie == null && (fastOpenRequest || synDataLen > 0) && !dataTaken) {
            tcb.env.fastOpenRefused(tcb.tuple.remoteAddress(), now); // no cookie, and the SYN's data (if any) not taken
        }
        if (synDataLen > 0) {
            if (Seq.geq(seg.ack, tcb.iss + 1 + synDataLen)) {
                tcb.counters().inc(Counter.TCP_FAST_OPEN_ACTIVE);
            } else {
                // tcp_rcv_fastopen_synack: what the SYN-ACK left unacknowledged (all of it, or a part) is marked
                // lost and resent at once (tcp_non_congestion_loss_retransmit), and it counts as a failure.
                tcb.counters().inc(Counter.TCP_FAST_OPEN_ACTIVE_FAIL);
                tcb.sndNxt = tcb.sndUna;
                synDataShort = dataTaken;
                return true;
            }
        }
        return synDataSent && !dataTaken; // the SYN's data was dropped with a retransmitted SYN: send it now
    }

    /** After establishment: release SYN data the SYN-ACK acknowledged. */
    private void synDataAcknowledged() {
        conn.sender.delivered++; // the SYN, with its data: "SYN-data is counted as two separate packets" and one taken off (tcp_rcv_fastopen_synack)
        int acked = tcb.sndUna - (tcb.iss + 1);
        if (acked > 0) {
            tcb.synDataAcked = !synDataShort; // tp->syn_data_acked only when the SYN-ACK took all of it
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
        int stored = tcb.recvBuf.store(tcb.env.memory(), 0, seg.payload, seg.payloadOffset, Math.min(seg.payloadLength, tcb.rcvWnd));
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
            int encoded = (tcb.wscaleOk ? tcb.sndWscale : CookieTimestamp.NO_WSCALE)
                    | (tcb.sackOk ? CookieTimestamp.SACK : 0) | (tcb.ecnOk ? CookieTimestamp.ECN : 0);
            int clock = tcb.tsClock(now);
            int ts = (clock & ~CookieTimestamp.MASK) | encoded;
            if (Seq.gt(ts, clock)) ts -= CookieTimestamp.MASK + 1; // never ahead of the clock
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
            int encoded = ack.options.tsEcr & CookieTimestamp.MASK;
            // Linux's cookie_ecn_ok: ECN agreed by a cookie is only valid while tcp_ecn still allows it.
            cookieEcn = (encoded & CookieTimestamp.ECN) != 0;
            if (cookieEcn && tcb.sysctls().get(Sysctl.TCP_ECN) == 0) return false;
            peer.timestamps = true;
            peer.tsVal = ack.options.tsVal;
            peer.sackPermitted = (encoded & CookieTimestamp.SACK) != 0;
            if (peer.sackPermitted && tcb.sysctls().get(Sysctl.TCP_SACK) == 0) return false;
            int ws = encoded & CookieTimestamp.NO_WSCALE;
            if (ws != CookieTimestamp.NO_WSCALE) {
                if (tcb.sysctls().get(Sysctl.TCP_WINDOW_SCALING) == 0) return false;
                peer.windowScale = ws;
            }
        }
        passiveOpen(ack.seq - 1, ack.ack - 1, peer);
        tcb.ecnOk = cookieEcn;
        conn.receiver.initial(synAckSegment());
        tcb.initialSendWindow(tcb.peerWindow(ack), ack);
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
        conn.sender.delivered++; // tcp_rcv_state_process: "SYN-ACK delivery isn't tracked in tcp_ack"
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
        conn.receiver.start(now);
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
        timers.retransStamp = Timers.NO_STAMP; // the SYN is acknowledged: data's give-up time starts afresh
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
        conn.receiver.setRcvMss(Math.min(tcb.advMss, MssPolicy.DEFAULT_MSS_V4));
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
            // RFC 7413 §4.1.2: a server's cookie; a simultaneous open's SYN-ACK carries none (tcp_send_synack).
            if (tcb.passive && fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length);
        } else if (conn.timers.retransmits == 0) {
            // Linux's tcp_syn_options: the option only in the first SYN (tcp_send_syn_data sets cookie.len = -1 after).
            if (fastOpenRequest) o.setFastOpenCookie(fastOpenCookie, 0);
            if (fastOpenSyn && fastOpenCookie != null) o.setFastOpenCookie(fastOpenCookie, fastOpenCookie.length);
            if (o.fastOpen) o.fastOpenExperimental = fastOpenExperimental;
            if (synDataLen > 0) {
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
        // Linux's retrans_stamp: when the first SYN went out (the timer was first armed), for the time limit.
        if (timers.retransStamp == Timers.NO_STAMP) timers.retransStamp = timers.rtoArmedAt;
        if (timers.retransmits >= RetransmitLimits.synRetransmissions(tcb.sysctls(), tcb.options)
                || (timers.retransmits > 0 && RetransmitLimits.synTimedOut(tcb.sysctls(), tcb.options, now - timers.retransStamp, tcb.rtt.rtoMax()))) {
            conn.abortOnTimeout("SYN retries exhausted", false, now);
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
                conn.abortOnTimeout("SYN-ACK retries exhausted", false, now);
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
