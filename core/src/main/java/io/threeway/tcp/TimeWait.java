package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * TIME-WAIT (RFC 9293 §3.6, §3.10.7.4; RFC 1337; RFC 7323 §5.8): entering it (Linux's tcp_time_wait, with
 * tcp_max_tw_buckets), and what a segment that finds a connection there gets: Linux's
 * tcp_timewait_state_process, or FreeBSD's tcp_twcheck under the engine profile's {@code bsdTimeWait}. A SYN
 * that may start a new connection never gets here (the host ends TIME-WAIT for it, RFC 6191).
 */
final class TimeWait {
    private TimeWait() {}

    /** Linux's TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s (2·MSL with MSL = 30 s). */
    static final long TIME_WAIT_NANOS = 60_000_000_000L;

    /** Enters TIME-WAIT (or closes at once when the host holds tcp_max_tw_buckets of them: TCPTimeWaitOverflow). */
    static void enter(TcpConnection c, String cause, long now) {
        Tcb t = c.tcb;
        if (!t.env.admitTimeWait(c)) {
            t.counters.inc(Counter.TCP_TIME_WAIT_OVERFLOW);
            c.closeNow(cause + "; TIME-WAIT table full (tcp_max_tw_buckets)", now);
            return;
        }
        c.setState(TcpState.TIME_WAIT, cause, now);
        c.timers.enterTimeWait(now + TIME_WAIT_NANOS);
        t.sendBuf.release();
        if (t.orphaned || t.recvBuf.readable() == 0) t.recvBuf.release(); // TIME-WAIT holds no buffers
        if (t.orphaned) compact(c);
    }

    /**
     * An orphaned connection in TIME-WAIT keeps only what TIME-WAIT needs, as Linux's inet_timewait_sock
     * does: the four-tuple, SND.NXT, RCV.NXT, the window, TS.Recent and the deadline. The buffers, congestion
     * control and scratch segment go.
     */
    static void compact(TcpConnection c) {
        c.tcb.sendBuf = null;
        c.tcb.recvBuf = null;
        c.sender.release();
        c.transmitter.release();
    }

    /** A segment for a connection in TIME-WAIT: it only answers, it takes nothing in. */
    static void arrives(TcpConnection c, TcpSegment seg, long now) {
        if (c.tcb.env.engineProfile().bsdTimeWait()) {
            bsdArrives(c, seg, now);
            return;
        }
        linuxArrives(c, seg, now);
    }

    /** Linux's tcp_timewait_state_process. */
    private static void linuxArrives(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        boolean pawsReject = c.receiver.pawsRejects(seg, now);
        if (!pawsReject && seg.seq == t.rcvNxt && (seg.segLen() == 0 || seg.rst())) {
            // In the window, which here means exactly at RCV.NXT: a bare ACK, or an RST.
            if (seg.rst()) {
                if (t.sysctls.get(Sysctl.TCP_RFC1337) == 0) c.closeNow("RST received in TIME-WAIT", now); // else RFC 1337
                return;
            }
            c.timers.armClose(now + TIME_WAIT_NANOS);
            if (t.tsOk && seg.options.timestamps) {
                t.tsRecent = seg.options.tsVal;
                t.tsRecentTime = now;
            }
            return;
        }
        if (pawsReject) t.counters.inc(Counter.PAWS_ESTAB);
        if (seg.rst()) return; // out of the window: ignored
        // Everything else is acknowledged (a retransmitted FIN above all), and TIME-WAIT starts again unless it is
        // an ACK-less SYN, which may be an old duplicate or a new connection's SYN below RCV.NXT.
        if (pawsReject || seg.ackFlag()) c.timers.armClose(now + TIME_WAIT_NANOS);
        if (seg.payloadLength == 0 && !seg.fin() || seg.syn()) {
            if (c.transmitter.outOfWindowAckLimited(now)) {
                t.counters.inc(Counter.TCP_ACK_SKIPPED_TIME_WAIT);
                return;
            }
        }
        c.transmitter.sendAck(now);
    }

    /** FreeBSD's tcp_twcheck (the engine profile's {@code bsdTimeWait}). */
    private static void bsdArrives(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        if (seg.rst()) return;             // RFC 1337 and Stevens vol. 2 p. 964: drop it
        if (!seg.ackFlag()) return;        // "Drop the segment if it does not contain an ACK"
        if (seg.fin() && seg.seq + seg.payloadLength + (seg.syn() ? 1 : 0) + 1 == t.rcvNxt) {
            c.timers.armClose(now + TIME_WAIT_NANOS); // a duplicate FIN restarts 2·MSL
        }
        boolean duplicateAck = seg.flags == TcpFlags.ACK && seg.payloadLength == 0 && seg.seq == t.rcvNxt
                && seg.ack == t.sndMax;
        if (!duplicateAck) c.transmitter.sendBareAck(t.sndMax, now);
    }
}
