package io.threeway.host;

import io.threeway.stats.Counter;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.TcpSegment;
import java.util.HashMap;

/**
 * When a four-tuple in TIME-WAIT may be used again before 2·MSL: for a new incoming SYN (RFC 6191, Linux's
 * tcp_timewait_state_process returning TCP_TW_SYN) and for connect() (tcp_tw_reuse, tcp_twsk_unique). The new
 * connection's ISS then starts above the old one's sequence space (Linux: the old SND.NXT + 65535 + 2).
 */
final class TimeWaitReuse {
    /** The host. */
    private final Stack stack;
    /** ISSs chosen for four-tuples taken over from TIME-WAIT, until the new connection asks for its ISS. */
    private final HashMap<FourTuple, Integer> issOverrides = new HashMap<>();

    TimeWaitReuse(Stack stack) {
        this.stack = stack;
    }

    /**
     * A SYN arrived for a four-tuple in TIME-WAIT: if RFC 6191 lets it start a new connection and a listener
     * wants it, TIME-WAIT ends and the SYN goes on to the listener. Returns whether TIME-WAIT was ended.
     */
    boolean synReplaces(Pcb pcb, TcpSegment seg, FourTuple t, long now) {
        TcpConnection tw = pcb.conn;
        if (tw.state() != TcpState.TIME_WAIT || !seg.syn() || seg.ackFlag() || seg.rst()) return false;
        if (stack.listeners.find(t.localAddress(), t.localPort()) == null) return false;
        if (!tw.synMayEndTimeWait(seg)) return false;
        issOverrides.put(t, tw.issForSuccessor());
        tw.endTimeWait("new SYN for the four-tuple (RFC 6191)", now);
        return true;
    }

    /** Whether connect() may use this four-tuple (free, or in TIME-WAIT that tcp_tw_reuse lets it take over). */
    boolean usable(FourTuple t, long now) {
        Pcb used = stack.pcb(t);
        return used == null || used.conn.state() == TcpState.TIME_WAIT && used.conn.reusableForConnect(now);
    }

    /** connect() wants {@code t}: a TIME-WAIT there ends (TWRecycled), anything else is EADDRNOTAVAIL. */
    void takeOver(FourTuple t, long now) {
        Pcb used = stack.pcb(t);
        if (used == null) return;
        if (used.conn.state() != TcpState.TIME_WAIT || !used.conn.reusableForConnect(now)) {
            throw new TcpException(Errno.EADDRNOTAVAIL, "four-tuple in use");
        }
        issOverrides.put(t, used.conn.issForSuccessor());
        used.conn.endTimeWait("four-tuple reused by connect() (tcp_tw_reuse)", now);
        stack.counters().inc(Counter.TW_RECYCLED);
    }

    /** The ISS chosen for {@code t} by a takeover (once), or null. */
    Integer takeIss(FourTuple t) {
        return issOverrides.remove(t);
    }

    void clear() {
        issOverrides.clear();
    }
}
