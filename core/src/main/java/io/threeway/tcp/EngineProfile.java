package io.threeway.tcp;

/**
 * The few places where TCP implementations that are all correct behave observably differently, as data:
 * one value per stack, read by every connection on the paths it governs. {@link #LINUX} is the stack's own
 * behaviour (Linux 6.x) and the default everywhere; other values exist so the stack can be checked against
 * test suites written for other systems (the conformance runner's {@code freebsd} profile), never to switch
 * code paths by system name.
 *
 * <p>Each knob names the FreeBSD sysctl or function it mirrors. A profile is immutable; a stack swaps in a
 * changed copy ({@code with...}), so a connection sees a script's {@code sysctl -w} from its next segment on.
 *
 * @param challengeRst RFC 5961 §3.2: an in-window RST that is not exactly at RCV.NXT draws a challenge ACK
 *        instead of resetting. Linux always does this; FreeBSD's {@code net.inet.tcp.insecure_rst=1} turns it
 *        off, so that any in-window RST resets, as RFC 793 had it.
 * @param challengeSyn RFC 5961 §4.2: a SYN in a synchronized state draws a challenge ACK. Linux always does
 *        this; FreeBSD's {@code net.inet.tcp.insecure_syn=1} turns it off for SYNs inside the window, which
 *        then reset the connection (RFC 793's "send a reset, enter CLOSED"; FreeBSD's tcp_drop).
 * @param bsdReceiveWindow which sequence numbers a synchronized connection accepts. False: Linux's
 *        tcp_sequence, the window last advertised with its right edge included. True: BSD's tcp_input, where
 *        RCV.WND is the larger of the receive buffer's free space and what was advertised
 *        ({@code rcv_wnd = max(sbspace, rcv_adv - rcv_nxt)}, so more than a 16-bit window field can carry),
 *        and a segment starting at RCV.NXT + RCV.WND is outside, as RFC 9293 §3.10.7.4's test says.
 * @param finWithAck BSD's tcp_output sets FIN on every segment it sends in FIN-WAIT-1, CLOSING and LAST-ACK
 *        while the FIN is the only thing unacknowledged ({@code tcp_outflags}, {@code TF_SENTFIN} with
 *        {@code snd_nxt == snd_una}), so the ACK of a peer's FIN repeats ours: {@code F. 1:1(0) ack 2}.
 *        Linux sends a bare ACK at SND.NXT.
 * @param rexmitSlopNanos FreeBSD's {@code net.inet.tcp.rexmit_slop} (200 ms): TCPT_RANGESET adds it to every
 *        retransmission timeout it computes, so a SYN is resent after 1 s, then 2.2 s, 4.2 s. Linux adds none.
 * @param bsdTimeWait how a connection in TIME-WAIT answers segments. False: Linux's tcp_timewait_state_process
 *        (only a bare ACK or RST exactly at RCV.NXT goes unanswered; every other segment is acknowledged, pure
 *        ones at most every tcp_invalid_ratelimit). True: FreeBSD's tcp_twcheck (RSTs and segments without ACK
 *        are dropped silently; anything but an exact duplicate ACK is acknowledged at once).
 * @param keepInitNanos FreeBSD's connection-establishment timer ({@code net.inet.tcp.keepinit}, TCPTV_KEEP_INIT
 *        = 75 s): started by connect() (tcp_connect arms TT_KEEP), it drops an active open that is not yet
 *        ESTABLISHED when it expires, with ETIMEDOUT (tcp_timer_keep). It runs on its own, whatever the SYN
 *        retransmissions are doing. A socket's {@link ConnectionOptions#keepInitMs} (TCP_KEEPINIT) overrides
 *        it. 0: none, as Linux, where only tcp_syn_retries ends a connect.
 * @param rexmitDropOptions FreeBSD's {@code net.inet.tcp.rexmit_drop_options}: from the third SYN
 *        retransmission on, the SYN stops asking for window scaling, timestamps and SACK (tcp_timer_rexmt
 *        clears TF_REQ_SCALE, TF_REQ_TSTMP and TF_SACK_PERMIT), in case a middlebox drops SYNs with options it
 *        does not know; only the MSS option remains. Linux keeps them.
 * @param ecnSynRetries how many SYN retransmissions still ask for ECN (RFC 3168 §6.1.1.1: a host that gets
 *        no answer to an ECN-setup SYN MAY resend it without ECE and CWR). FreeBSD's
 *        {@code net.inet.tcp.ecn.maxretries} (1). Linux's tcp_ecn_clear_syn drops them from the first
 *        retransmission on (0) while {@code net.ipv4.tcp_ecn_fallback} is 1, its default; with it at 0 every
 *        SYN asks.
 * @param fastOpenPathDisableNanos RFC 7413 §4.1.3's negative cache on the client: when a server answers a Fast
 *        Open SYN with a SYN-ACK that neither carries a valid cookie nor acknowledges the SYN's data (a cookie
 *        request answered without one, or SYN data refused without a new cookie), the cached cookie is dropped
 *        and connections to that server open without Fast Open for this long. FreeBSD's
 *        {@code net.inet.tcp.fastopen.path_disable_time} (900 s; tcp_fastopen_disable_path). 0: none, as Linux,
 *        which keeps the cookie and tries again.
 * @param bsdPush where PSH goes on new data. True: BSD's tcp_output, on the segment that sends the last byte
 *        queued ("If we're sending everything we've got, set PUSH"). False: Linux, on the last segment of each
 *        TSO/GSO super-segment of pushed data (tcp_mark_push at the end of a write, sized by tcp_tso_autosize;
 *        tcp_gso_segment leaves PSH on the last piece), so a cwnd-limited burst ends with PSH too. The same
 *        flag picks Nagle's rule, which goes with each stack's output routine: BSD's RFC 896 (a short segment
 *        waits while any data is unacknowledged) or Linux's with Minshall's rule (tcp_nagle_check: only while an
 *        earlier short segment is).
 */
public record EngineProfile(boolean challengeRst, boolean challengeSyn, boolean bsdReceiveWindow,
                            boolean finWithAck, long rexmitSlopNanos, boolean bsdTimeWait,
                            long keepInitNanos, boolean rexmitDropOptions, int ecnSynRetries,
                            long fastOpenPathDisableNanos, boolean bsdPush) {

    /** Linux 6.x: the stack's own behaviour. */
    public static final EngineProfile LINUX = new EngineProfile(true, true, false, false, 0, false, 0, false, 0, 0, false);

    /** The SYN retransmission from which {@link #rexmitDropOptions} leaves the options out (FreeBSD's t_rxtshift == 3). */
    public static final int DROP_OPTIONS_RETRANSMISSION = 3;

    public EngineProfile {
        if (rexmitSlopNanos < 0) throw new IllegalArgumentException("rexmit_slop must not be negative");
        if (keepInitNanos < 0) throw new IllegalArgumentException("keepinit must not be negative");
        if (ecnSynRetries < 0) throw new IllegalArgumentException("ECN SYN retries must not be negative");
        if (fastOpenPathDisableNanos < 0) throw new IllegalArgumentException("path_disable_time must not be negative");
    }

    public EngineProfile withChallengeRst(boolean on) {
        return new EngineProfile(on, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withChallengeSyn(boolean on) {
        return new EngineProfile(challengeRst, on, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withBsdReceiveWindow(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, on, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withFinWithAck(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, on, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withRexmitSlopNanos(long nanos) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, nanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withBsdTimeWait(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, on, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withKeepInitNanos(long nanos) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, nanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withRexmitDropOptions(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, on, ecnSynRetries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withEcnSynRetries(int retries) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, retries, fastOpenPathDisableNanos, bsdPush);
    }

    public EngineProfile withBsdPush(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, fastOpenPathDisableNanos, on);
    }

    public EngineProfile withFastOpenPathDisableNanos(long nanos) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait, keepInitNanos, rexmitDropOptions, ecnSynRetries, nanos, bsdPush);
    }
}
