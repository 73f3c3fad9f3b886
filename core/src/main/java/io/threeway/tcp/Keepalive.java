package io.threeway.tcp;

import io.threeway.stats.Counter;

/**
 * Keepalive (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6; Linux's tcp_keepalive_timer) and, on the same timer as BSD's
 * TT_KEEP, FreeBSD's connection-establishment timer (TCP_KEEPINIT, the engine profile's keepinit).
 */
final class Keepalive {
    private Keepalive() {}

    /** Nanoseconds per second. */
    private static final long SECOND = 1_000_000_000L;

    /** An active open not yet ESTABLISHED, which the connection-establishment timer watches. */
    static boolean establishing(Tcb t) {
        return t.state == TcpState.SYN_SENT || (t.state == TcpState.SYN_RECEIVED && !t.passive);
    }

    /**
     * FreeBSD's connection-establishment timer, on the keepalive timer as BSD's TT_KEEP is: TCP_KEEPINIT on
     * the socket, else the profile's keepinit; none when both are 0 (Linux).
     */
    static void armKeepInit(TcpConnection c, long now) {
        Tcb t = c.tcb;
        long timeout = t.options.keepInitMs > 0 ? t.options.keepInitMs * 1_000_000L : t.env.engineProfile().keepInitNanos();
        c.timers.armKeepalive(timeout > 0 ? now + timeout : Timers.NEVER);
    }

    /** ESTABLISHED: keepalive starts if SO_KEEPALIVE is on; the establishment timer, if one ran, stops. */
    static void established(TcpConnection c, long now) {
        if (c.tcb.options.keepAlive) arm(c, now);
        else c.timers.armKeepalive(Timers.NEVER);
    }

    /** Arms keepalive one idle time (TCP_KEEPIDLE or tcp_keepalive_time) from now. */
    static void arm(TcpConnection c, long now) {
        c.timers.armKeepalive(now + c.tcb.options.keepIdleSeconds(c.tcb.sysctls()) * SECOND);
    }

    /** After any event: a keepalive connection always has its timer running while open. */
    static void afterEvent(TcpConnection c, long now) {
        Tcb t = c.tcb;
        if (t.options.keepAlive && !c.timers.keepaliveRunning() && t.open()) arm(c, now);
    }

    /** SO_KEEPALIVE or TCP_KEEPIDLE changed: the timer follows (once established; before, the establishment timer runs). */
    static void settingsChanged(TcpConnection c, long now) {
        Tcb t = c.tcb;
        if (establishing(t)) return; // the keepalive settings take effect once established
        if (t.options.keepAlive && t.open()) {
            long idle = t.options.keepIdleSeconds(t.sysctls()) * SECOND;
            c.timers.armKeepalive(Math.max(now, t.lastReceiveTime + idle));
        } else {
            c.timers.armKeepalive(Timers.NEVER);
        }
    }

    /** The keepalive (or establishment) timer fired. */
    static void timeout(TcpConnection c, long now) {
        Tcb t = c.tcb;
        if (establishing(t)) {
            // FreeBSD's tcp_timer_keep before ESTABLISHED: the connection-establishment timer expired. tcp_drop
            // answers with RST once a SYN has been received (simultaneous open), not in SYN-SENT.
            c.abortOnTimeout("connection-establishment timer (keepinit) expired", t.state != TcpState.SYN_SENT, now);
            return;
        }
        if (!t.options.keepAlive || !(t.state == TcpState.ESTABLISHED || t.state == TcpState.CLOSE_WAIT
                || t.state == TcpState.FIN_WAIT_1 || t.state == TcpState.FIN_WAIT_2)) {
            return;
        }
        probe(c, now);
    }

    /** An open connection with keepalive on: idle long enough, probe it, or give up after TCP_KEEPCNT probes. */
    private static void probe(TcpConnection c, long now) {
        Tcb t = c.tcb;
        Timers timers = c.timers;
        long idle = t.options.keepIdleSeconds(t.sysctls()) * SECOND;
        long intvl = t.options.keepIntvlSeconds(t.sysctls()) * SECOND;
        if (t.sndMax != t.sndUna || t.notSent() > 0) {
            // Data in flight: the retransmission timer watches the peer, not keepalive.
            timers.armKeepalive(now + idle);
            return;
        }
        long elapsed = now - t.lastReceiveTime;
        if (elapsed < idle) {
            timers.armKeepalive(t.lastReceiveTime + idle);
            timers.probesOut = 0;
            return;
        }
        boolean userTimedOut = t.options.userTimeoutMs > 0 && elapsed >= t.options.userTimeoutMs * 1_000_000L
                && timers.probesOut > 0;
        if (timers.probesOut >= t.options.keepProbes(t.sysctls()) || userTimedOut) {
            c.abortOnTimeout("keepalive: peer did not answer", true, now);
            return;
        }
        // A keepalive probe is an ACK with SEG.SEQ = SND.NXT - 1 and no data (RFC 9293 §3.8.4).
        c.transmitter.sendBareAck(t.sndUna - 1, now);
        t.counters().inc(Counter.TCP_KEEP_ALIVE);
        timers.probesOut++;
        timers.armKeepalive(now + intvl);
    }
}
