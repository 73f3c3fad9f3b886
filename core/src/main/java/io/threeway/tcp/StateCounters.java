package io.threeway.tcp;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;

/** The SNMP counters a state transition moves, as Linux's tcp_set_state and its callers count them (RFC 4022). */
final class StateCounters {
    private StateCounters() {}

    /** Counts the transition {@code from} to {@code to}. */
    static void transition(Counters counters, TcpState from, TcpState to) {
        if (!from.countsAsEstablished() && to.countsAsEstablished()) counters.inc(Counter.CURR_ESTAB);
        if (from.countsAsEstablished() && !to.countsAsEstablished()) counters.dec(Counter.CURR_ESTAB);
        if (from == TcpState.CLOSED && to == TcpState.SYN_SENT) counters.inc(Counter.ACTIVE_OPENS);
        if (from == TcpState.LISTEN && to == TcpState.SYN_RECEIVED) counters.inc(Counter.PASSIVE_OPENS);
        if ((from == TcpState.SYN_SENT || from == TcpState.SYN_RECEIVED) && (to == TcpState.CLOSED || to == TcpState.LISTEN)) {
            counters.inc(Counter.ATTEMPT_FAILS);
        }
        if (from.countsAsEstablished() && to == TcpState.CLOSED) counters.inc(Counter.ESTAB_RESETS);
    }
}
