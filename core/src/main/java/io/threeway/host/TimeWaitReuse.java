package io.threeway.host;

import io.threeway.stats.Counter;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.tcp.TimeWait;
import io.threeway.wire.FourTuple;
import io.threeway.wire.TcpSegment;
import java.util.HashMap;

/**
 * When a four-tuple in TIME-WAIT may be used again before 2·MSL: for a new incoming SYN (RFC 6191, Linux's
 * tcp_timewait_state_process returning TCP_TW_SYN) and for connect() (tcp_tw_reuse, tcp_twsk_unique). The new
 * connection's ISS then starts above the old one's sequence space (Linux: the old SND.NXT + 65535 + 2). The
 * TIME-WAIT is a live connection whose application still holds it, or a compact {@link TimeWaitEntry}.
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
    boolean synReplaces(TupleEntry e, TcpSegment seg, long now) {
        if (!seg.syn() || seg.ackFlag() || seg.rst()) return false;
        if (e instanceof Pcb pcb) {
            TcpConnection tw = pcb.conn;
            if (tw.state() != TcpState.TIME_WAIT || !listenerWants(pcb)) return false;
            if (!tw.synMayEndTimeWait(seg)) return false;
            issOverrides.put(tw.tuple(), tw.issForSuccessor());
            tw.endTimeWait("new SYN for the four-tuple (RFC 6191)", now);
            return true;
        }
        TimeWaitEntry tw = (TimeWaitEntry) e;
        if (!listenerWants(tw) || !TimeWait.synMayEnd(tw, seg)) return false;
        issOverrides.put(tw.tuple(), TimeWait.issForSuccessor(tw));
        tw.end("new SYN for the four-tuple (RFC 6191)", now);
        return true;
    }

    private boolean listenerWants(TupleEntry e) {
        return stack.listeners.find(e.local(), e.localPort()) != null;
    }

    /** Whether connect() may use {@code t} (free, or in TIME-WAIT that tcp_tw_reuse lets it take over). */
    boolean usable(FourTuple t, long now) {
        TupleEntry e = stack.table.find(t);
        return e == null || reusable(e, now);
    }

    private boolean reusable(TupleEntry e, long now) {
        if (e instanceof Pcb pcb) return pcb.conn.state() == TcpState.TIME_WAIT && pcb.conn.reusableForConnect(now);
        TimeWaitEntry tw = (TimeWaitEntry) e;
        boolean loopback = tw.local().isLoopback() && tw.remote().isLoopback();
        return TimeWait.reusableForConnect(tw, stack.sysctls(), loopback, now);
    }

    /** connect() wants {@code t}: a TIME-WAIT there ends (TWRecycled), anything else is EADDRNOTAVAIL. */
    void takeOver(FourTuple t, long now) {
        TupleEntry e = stack.table.find(t);
        if (e == null) return;
        if (!reusable(e, now)) throw new TcpException(Errno.EADDRNOTAVAIL, "four-tuple in use");
        String cause = "four-tuple reused by connect() (tcp_tw_reuse)";
        if (e instanceof Pcb pcb) {
            issOverrides.put(t, pcb.conn.issForSuccessor());
            pcb.conn.endTimeWait(cause, now);
        } else {
            TimeWaitEntry tw = (TimeWaitEntry) e;
            issOverrides.put(t, TimeWait.issForSuccessor(tw));
            tw.end(cause, now);
        }
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
