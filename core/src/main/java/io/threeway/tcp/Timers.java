package io.threeway.tcp;

/**
 * Every timer of one connection, in one place (RFC 9293 §3.8, RFC 6298; Linux's inet_connection_sock timers):
 * the deadlines, the retransmission timer's backoff, and the one way to arm each. The deadlines are private:
 * nothing else in the engine writes them, so every arming of the retransmission timer goes through
 * {@link #armRetransmit} and gets the same rules (the backoff, the engine profile's slop, the cap).
 *
 * <p>Deadlines are nanoseconds on the engine's clock, {@link #NEVER} when a timer is off. The retransmission
 * and persist timers share one deadline, as in Linux ({@code icsk_timeout} with {@code ICSK_TIME_RETRANS} or
 * {@code ICSK_TIME_PROBE0}); TIME-WAIT's 2·MSL and the orphaned FIN-WAIT-2 timeout share another. The expiry
 * handlers belong to the parts whose timers they are ({@link Sender}, {@link Handshake}, {@link Keepalive},
 * {@link Receiver}); {@link TcpConnection#onTimer} calls them in a fixed order.
 */
final class Timers {
    /** A timer that is off. */
    static final long NEVER = Long.MAX_VALUE;
    /** "No retransmission under way" for {@link #retransStamp}: any long, 0 included, is a valid time. */
    static final long NO_STAMP = Long.MIN_VALUE;
    /** What {@link #takeRetransmit} found: nothing due. */
    static final int NOT_DUE = 0;
    /** What {@link #takeRetransmit} found: the retransmission timer expired. */
    static final int RETRANSMIT = 1;
    /** What {@link #takeRetransmit} found: the persist (zero-window probe) timer expired. */
    static final int PERSIST = 2;
    /** What {@link #takeRetransmit} found: the tail loss probe timer expired (Linux's ICSK_TIME_LOSS_PROBE). */
    static final int LOSS_PROBE = 3;

    /** The connection's control block (state, RTT estimator, settings). */
    private final Tcb tcb;
    /** The retransmission or persist deadline. */
    private long rtx = NEVER;
    /** {@link #rtx} is the persist timer (Linux's ICSK_TIME_PROBE0), not the retransmission timer. */
    private boolean persist;
    /** {@link #rtx} is the tail loss probe's timeout (Linux's ICSK_TIME_LOSS_PROBE), which replaced the RTO's. */
    private boolean lossProbe;
    /** When the delayed ACK is due (Linux's ICSK_TIME_DACK). */
    private long delAck = NEVER;
    /** The keepalive timer, or FreeBSD's connection-establishment timer before ESTABLISHED (TT_KEEP). */
    private long keepalive = NEVER;
    /** TIME-WAIT's 2·MSL, or the orphaned FIN-WAIT-2 timeout (tcp_fin_timeout). */
    private long close = NEVER;

    /** RFC 6298 §5.5: the timer backs off by doubling this many times (Linux's icsk_backoff). */
    short backoff;
    /** Consecutive expirations of the retransmission timer (Linux's icsk_retransmits). */
    short retransmits;
    /** Zero-window or keepalive probes sent without an answer (Linux's icsk_probes_out). */
    short probesOut;
    /** When the segment being retransmitted was first sent (Linux's retrans_stamp), for tcp_retries2. */
    long retransStamp = NO_STAMP;
    /** When the retransmission timer was last armed: the send time of what it watches. */
    long rtoArmedAt;

    Timers(Tcb tcb) {
        this.tcb = tcb;
    }

    /**
     * Arms the retransmission timer at RTO·2^backoff from now (RFC 6298 §5.1, §5.5), plus the engine profile's
     * slop (FreeBSD's TCPT_RANGESET adds it before the cap, so a 64 s maximum stays 64 s). Replaces a persist
     * timer.
     */
    void armRetransmit(long now) {
        persist = false;
        lossProbe = false;
        long slop = rexmitSlop();
        long rto = tcb.rtt.rto(backoff);
        rtx = now + (slop == 0 ? rto : Math.min(rto + slop, tcb.rtt.rtoMax()));
        rtoArmedAt = now;
    }

    /**
     * FreeBSD's rexmit_slop (an engine-profile knob, 0 for Linux): added to every timeout computed from a
     * backoff or an RTT sample, not to the initial one (TCPT_RANGESET versus t_rxtcur = tcp_rexmit_initial).
     */
    private long rexmitSlop() {
        return backoff > 0 || tcb.rtt.hasSample() ? tcb.env.engineProfile().rexmitSlopNanos() : 0;
    }

    /** A segment went out: start the retransmission timer if it is not running, or if it was the persist timer. */
    void onSegmentSent(long now) {
        if (rtx == NEVER || persist) armRetransmit(now);
        else if (lossProbe) rearmRetransmit(now); // tcp_event_new_data_sent: "icsk_pending == ICSK_TIME_LOSS_PROBE"
    }

    /**
     * Linux's tcp_rearm_rto: the retransmission timer again in place of a loss probe's, at the time the RTO armed
     * before it would have fired ("Offset the time elapsed after installing regular RTO", tcp_rto_delta_us, at
     * least 1 us); the full RTO from now when no probe was pending.
     */
    void rearmRetransmit(long now) {
        if (!lossProbe) {
            armRetransmit(now);
            return;
        }
        resumeRetransmit(now);
    }

    /** The retransmission timer at the time the RTO armed last would fire (at least 1 us from now; tcp_rearm_rto). */
    void resumeRetransmit(long now) {
        lossProbe = false;
        persist = false;
        rtx = now + Math.max(rtoDelta(now), 1_000L);
    }

    /** A retransmission of the oldest segment: the RTO replaces a pending loss probe (tcp_xmit_retransmit_queue). */
    void rearmIfProbe(long now) {
        if (lossProbe) armRetransmit(now);
    }

    /** Linux's tcp_rto_delta_us: how far in the future the RTO armed last would fire (negative when past). */
    long rtoDelta(long now) {
        return rtoArmedAt + tcb.rtt.rto(backoff) - now;
    }

    /**
     * Linux's tcp_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, timeout): the shared deadline becomes the probe's,
     * {@code timeout} from now (the caller keeps it no later than the RTO).
     */
    void armLossProbe(long now, long timeout) {
        persist = false;
        lossProbe = true;
        rtx = now + timeout;
    }

    /** Arms the persist timer (Linux's tcp_probe0_when: the RTO backed off, at most TCP_RTO_MAX). */
    void armPersist(long now) {
        persist = true;
        lossProbe = false;
        rtx = now + tcb.rtt.rto(backoff);
    }

    /** Stops the retransmission timer (all data acknowledged); a persist timer keeps running. */
    void stopRetransmit() {
        if (!persist) rtx = NEVER;
        lossProbe = false;
    }

    /** The window opened: stop probing (tcp_ack_probe) and start the backoff afresh. */
    void stopPersist() {
        if (!persist) return;
        rtx = NEVER;
        persist = false;
        backoff = 0;
    }

    /** Whether neither the retransmission nor the persist timer runs. */
    boolean retransmitIdle() {
        return rtx == NEVER;
    }

    /** Whether the shared deadline is the persist timer's. */
    boolean persistMode() {
        return persist;
    }

    /** If the retransmission or persist timer is due, turns it off and says which ({@link #RETRANSMIT}, {@link #PERSIST}). */
    int takeRetransmit(long now) {
        if (rtx > now) return NOT_DUE;
        rtx = NEVER;
        boolean wasPersist = persist;
        boolean wasProbe = lossProbe;
        persist = false;
        lossProbe = false;
        return wasPersist ? PERSIST : wasProbe ? LOSS_PROBE : RETRANSMIT;
    }

    /** Arms the delayed ACK {@code timeout} from now unless it already runs. */
    void armDelayedAck(long now, long timeout) {
        if (delAck == NEVER) delAck = now + timeout;
    }

    /** An ACK went out: nothing is owed any more. */
    void cancelDelayedAck() {
        delAck = NEVER;
    }

    /** If the delayed ACK is due, turns it off and returns true. */
    boolean takeDelayedAck(long now) {
        if (delAck > now) return false;
        delAck = NEVER;
        return true;
    }

    /** Arms the keepalive (or connection-establishment) timer at {@code deadline}; {@link #NEVER} stops it. */
    void armKeepalive(long deadline) {
        keepalive = deadline;
    }

    boolean keepaliveRunning() {
        return keepalive != NEVER;
    }

    /** If the keepalive timer is due, turns it off and returns true. */
    boolean takeKeepalive(long now) {
        if (keepalive > now) return false;
        keepalive = NEVER;
        return true;
    }

    /** Arms TIME-WAIT's 2·MSL or FIN-WAIT-2's timeout at {@code deadline}. */
    void armClose(long deadline) {
        close = deadline;
    }

    /** If the close deadline is due, turns it off and returns true. */
    boolean takeClose(long now) {
        if (close > now) return false;
        close = NEVER;
        return true;
    }

    /** The TIME-WAIT or FIN-WAIT-2 deadline. */
    long closeDeadline() {
        return close;
    }

    /** Entering TIME-WAIT: only its own timer runs (a persist timer is left as {@link #stopRetransmit} leaves it). */
    void enterTimeWait(long deadline) {
        stopRetransmit();
        delAck = NEVER;
        keepalive = NEVER;
        close = deadline;
    }

    /** The connection is gone: every timer off. */
    void cancelAll() {
        rtx = delAck = keepalive = close = NEVER;
        persist = false;
        lossProbe = false;
    }

    /** The earliest deadline, or {@link #NEVER}. */
    long next() {
        return Math.min(Math.min(rtx, delAck), Math.min(keepalive, close));
    }

    /** Which timer ss -o shows: {@code on} (retransmit), {@code persist}, {@code keepalive}, {@code timewait}, or null. */
    String ssName() {
        if (tcb.state == TcpState.TIME_WAIT) return "timewait";
        if (rtx != NEVER) return persist ? "persist" : "on";
        if (keepalive != NEVER) return "keepalive";
        if (close != NEVER) return "timewait";
        return null;
    }

    /** When the timer {@link #ssName} names fires. */
    long ssDeadline() {
        if (tcb.state == TcpState.TIME_WAIT) return close;
        if (rtx != NEVER) return rtx;
        if (keepalive != NEVER) return keepalive;
        return close;
    }

    /** The retransmission deadline for debugging output. */
    String describe() {
        return "rtx@" + rtx + (persist ? "(persist)" : lossProbe ? "(loss probe)" : "");
    }
}
