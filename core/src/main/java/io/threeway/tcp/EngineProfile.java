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
 */
public record EngineProfile(boolean challengeRst, boolean challengeSyn, boolean bsdReceiveWindow,
                            boolean finWithAck, long rexmitSlopNanos, boolean bsdTimeWait) {

    /** Linux 6.x: the stack's own behaviour. */
    public static final EngineProfile LINUX = new EngineProfile(true, true, false, false, 0, false);

    public EngineProfile {
        if (rexmitSlopNanos < 0) throw new IllegalArgumentException("rexmit_slop must not be negative");
    }

    public EngineProfile withChallengeRst(boolean on) {
        return new EngineProfile(on, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait);
    }

    public EngineProfile withChallengeSyn(boolean on) {
        return new EngineProfile(challengeRst, on, bsdReceiveWindow, finWithAck, rexmitSlopNanos, bsdTimeWait);
    }

    public EngineProfile withBsdReceiveWindow(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, on, finWithAck, rexmitSlopNanos, bsdTimeWait);
    }

    public EngineProfile withFinWithAck(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, on, rexmitSlopNanos, bsdTimeWait);
    }

    public EngineProfile withRexmitSlopNanos(long nanos) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, nanos, bsdTimeWait);
    }

    public EngineProfile withBsdTimeWait(boolean on) {
        return new EngineProfile(challengeRst, challengeSyn, bsdReceiveWindow, finWithAck, rexmitSlopNanos, on);
    }
}
