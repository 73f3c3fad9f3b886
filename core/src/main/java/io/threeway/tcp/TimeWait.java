package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * TIME-WAIT (RFC 9293 §3.6, §3.10.7.4; RFC 1337; RFC 7323 §5.8): entering it (Linux's tcp_time_wait, with
 * tcp_max_tw_buckets), what a segment that finds a connection there gets (Linux's tcp_timewait_state_process, or
 * FreeBSD's tcp_twcheck under the engine profile's {@code bsdTimeWait}), and when its four-tuple may be used
 * again before 2·MSL (RFC 6191, tcp_tw_reuse). The rules are written once over a {@link TimeWaitBlock}: the
 * full connection while its application holds it, or the host's compact record once it is orphaned.
 */
public final class TimeWait {
    private TimeWait() {}

    /** Linux's TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s (2·MSL with MSL = 30 s). */
    public static final long TIME_WAIT_NANOS = 60_000_000_000L;
    /** Linux's tcp_twsk_unique: the last timestamp must be at least a second old for tcp_tw_reuse. */
    private static final long REUSE_AFTER_NANOS = 1_000_000_000L;

    /** Enters TIME-WAIT (or closes at once when the host holds tcp_max_tw_buckets of them: TCPTimeWaitOverflow). */
    static void enter(TcpConnection c, String cause, long now) {
        Tcb t = c.tcb;
        if (!t.env.admitTimeWait(c)) {
            t.counters().inc(Counter.TCP_TIME_WAIT_OVERFLOW);
            c.closeNow(cause + "; TIME-WAIT table full (tcp_max_tw_buckets)", now);
            return;
        }
        c.setState(TcpState.TIME_WAIT, cause, now);
        c.timers.enterTimeWait(now + TIME_WAIT_NANOS);
        t.sendBuf.release();
        if (t.orphaned || t.recvBuf.readable() == 0) t.recvBuf.release(t.env.memory()); // TIME-WAIT holds no buffers
        if (t.orphaned) compact(c);
    }

    /**
     * An orphaned connection in TIME-WAIT keeps only what TIME-WAIT needs, as Linux's inet_timewait_sock does:
     * the buffers, congestion control and scratch segment go, and the host may replace the whole connection by
     * a compact record ({@link Environment#compactTimeWait}).
     */
    static void compact(TcpConnection c) {
        // A socket that reached TIME-WAIT with data unread kept its receive buffer until its close() brought it here:
        // give it back to tcp_mem before letting go of it (found by the soak).
        if (c.tcb.sendBuf != null) c.tcb.sendBuf.release();
        if (c.tcb.recvBuf != null) c.tcb.recvBuf.release(c.tcb.env.memory());
        c.tcb.sendBuf = null;
        c.tcb.recvBuf = null;
        c.sender.release();
        c.transmitter.release();
        c.tcb.env.compactTimeWait(c);
    }

    /** A segment for a connection in TIME-WAIT: it only answers, it takes nothing in. */
    public static void arrives(TimeWaitBlock tw, Environment env, TcpSegment seg, long now) {
        if (env.engineProfile().bsdTimeWait()) {
            bsdArrives(tw, seg, now);
            return;
        }
        linuxArrives(tw, env, seg, now);
    }

    /** Linux's tcp_timewait_state_process. */
    private static void linuxArrives(TimeWaitBlock tw, Environment env, TcpSegment seg, long now) {
        boolean pawsReject = pawsRejects(tw, seg, now);
        if (!pawsReject && seg.seq == tw.rcvNxt() && (seg.segLen() == 0 || seg.rst())) {
            // In the window, which here means exactly at RCV.NXT: a bare ACK, or an RST.
            if (seg.rst()) {
                if (env.sysctls().get(Sysctl.TCP_RFC1337) == 0) tw.end("RST received in TIME-WAIT", now); // else RFC 1337
                return;
            }
            tw.restart(now + TIME_WAIT_NANOS);
            if (tw.timestamps() && seg.options.timestamps) tw.updateTsRecent(seg.options.tsVal, now);
            return;
        }
        if (pawsReject) env.counters().inc(Counter.PAWS_ESTAB);
        if (seg.rst()) return; // out of the window: ignored
        // Everything else is acknowledged (a retransmitted FIN above all), and TIME-WAIT starts again unless it is
        // an ACK-less SYN, which may be an old duplicate or a new connection's SYN below RCV.NXT.
        if (pawsReject || seg.ackFlag()) tw.restart(now + TIME_WAIT_NANOS);
        if (seg.payloadLength == 0 && !seg.fin() || seg.syn()) {
            if (tw.outOfWindowAckLimited(now)) {
                env.counters().inc(Counter.TCP_ACK_SKIPPED_TIME_WAIT);
                return;
            }
        }
        tw.sendAck(now);
    }

    /** FreeBSD's tcp_twcheck (the engine profile's {@code bsdTimeWait}). */
    private static void bsdArrives(TimeWaitBlock tw, TcpSegment seg, long now) {
        if (seg.rst()) return;             // RFC 1337 and Stevens vol. 2 p. 964: drop it
        if (!seg.ackFlag()) return;        // "Drop the segment if it does not contain an ACK"
        if (seg.fin() && seg.seq + seg.payloadLength + (seg.syn() ? 1 : 0) + 1 == tw.rcvNxt()) {
            tw.restart(now + TIME_WAIT_NANOS); // a duplicate FIN restarts 2·MSL
        }
        boolean duplicateAck = seg.flags == TcpFlags.ACK && seg.payloadLength == 0 && seg.seq == tw.rcvNxt()
                && seg.ack == tw.sndMax();
        if (!duplicateAck) tw.sendAck(now);
    }

    /** RFC 7323 §5.3's PAWS test, with R5's 24 days (Linux's tcp_paws_discard). */
    static boolean pawsRejects(TimeWaitBlock tw, TcpSegment seg, long now) {
        if (!tw.timestamps() || !seg.options.timestamps || seg.rst()) return false;
        if (now - tw.tsRecentTime() > Receiver.PAWS_IDLE_LIMIT) return false;
        return tw.tsRecent() - seg.options.tsVal > 1;
    }

    /**
     * RFC 6191 (Linux's tcp_timewait_state_process, TCP_TW_SYN): whether a new SYN for the four-tuple may start a
     * new connection: its sequence number is above the old RCV.NXT or its timestamp is newer than TS.Recent, so no
     * old duplicate can be mistaken for new data.
     */
    public static boolean synMayEnd(TimeWaitBlock tw, TcpSegment syn) {
        return Seq.gt(syn.seq, tw.rcvNxt()) || (tw.timestamps() && syn.options.timestamps && Seq.gt(syn.options.tsVal, tw.tsRecent()));
    }

    /**
     * Whether connect() may take over the four-tuple (Linux's tcp_twsk_unique): tcp_tw_reuse is 1 (or 2 and both
     * ends are loopback), the old connection used timestamps, and its last timestamp is at least a second old, so
     * PAWS on the peer rejects any old duplicate.
     */
    public static boolean reusableForConnect(TimeWaitBlock tw, Sysctls sysctls, boolean loopback, long now) {
        int reuse = sysctls.get(Sysctl.TCP_TW_REUSE);
        if (reuse == 2) reuse = loopback ? 1 : 0;
        return reuse == 1 && tw.timestamps() && now - tw.tsRecentTime() >= REUSE_AFTER_NANOS;
    }

    /** The ISS for a connection that takes over the four-tuple (Linux: the old SND.NXT + 65535 + 2). */
    public static int issForSuccessor(TimeWaitBlock tw) {
        return tw.sndMax() + 65535 + 2;
    }

    /**
     * The ACK a compact TIME-WAIT sends, as the connection it replaced would have sent it: <SEQ=SND.MAX>
     * <ACK=RCV.NXT><CTL=ACK>, the last window, and our clock with TS.Recent when timestamps were agreed.
     */
    public static void fillAck(TcpSegment s, int localPort, int remotePort, TimeWaitBlock tw, int window, int tsOffset,
                               long now) {
        s.clear();
        s.srcPort = localPort;
        s.dstPort = remotePort;
        s.seq = tw.sndMax();
        s.ack = tw.rcvNxt();
        s.flags = TcpFlags.ACK;
        s.window = window;
        if (tw.timestamps()) {
            s.options.timestamps = true;
            s.options.tsVal = (int) (now / 1_000_000L) + tsOffset;
            s.options.tsEcr = tw.tsRecent();
        }
    }
}
