package io.threeway.tcp;

import io.threeway.stats.Counter;

/**
 * Linux's tcp_out_of_resources: when an orphan's retransmission or persist timer fires, the stack checks whether it
 * holds too many orphans or too much memory (tcp_check_oom) and, if so, drops this orphan at once instead of letting
 * it retry ({@code TCPAbortOnMemory}), with a reset unless it has been silent long enough that its peer has surely
 * given up. A connection silent for over twice TCP_RTO_MAX, or past its retries, or that got an ICMP error, counts
 * the orphans twice or four times over (the shift of tcp_too_many_orphans).
 */
final class OutOfResources {
    private OutOfResources() {}

    /**
     * For the orphan {@code conn}: true when it was dropped. {@code doReset} is Linux's: whether the connection is
     * still alive enough to deserve a reset (its RTO below TCP_RTO_MAX, or retries left).
     */
    static boolean check(TcpConnection conn, Tcb tcb, boolean doReset, long now) {
        long silent = now - tcb.lastDataSendTime;
        int shift = 0;
        if (silent > 2 * tcb.rtt.rtoMax() || !doReset) shift++; // "penalize" a peer that left the window shut so long
        if (tcb.softError != null) shift++; // "if some dubious ICMP arrived, penalize even more"
        if (!tcb.env.memory().checkOom(conn.sendQueue(), shift)) return false;
        // "Catch exceptional cases, when connection requires reset": sent recently, or the window is closed.
        boolean reset = doReset || silent <= TimeWait.TIME_WAIT_NANOS || (tcb.sndWnd == 0 && tcb.sndMax == tcb.sndUna);
        tcb.counters().inc(Counter.TCP_ABORT_ON_MEMORY);
        if (reset) conn.resetAndClose("orphan out of resources (tcp_out_of_resources)", now);
        else conn.closeNow("orphan out of resources (tcp_out_of_resources)", now);
        return true;
    }
}
