package io.threeway.tcp;

import io.threeway.settings.Sysctl;

/**
 * How much of a write the send queue takes when TCP_NOTSENT_LOWAT (or net.ipv4.tcp_notsent_lowat) is set, as
 * Linux's tcp_sendmsg_locked does: data is appended to the queue's last skb while it has room, and a new skb
 * (size_goal bytes, tcp_xmit_size_goal: the device's GSO size bounded by half the peer's largest window, in
 * whole MSS) is started only while fewer than the low-water mark's bytes are unsent (sk_stream_memory_free ->
 * tcp_stream_memory_free); each full skb is pushed out before the next is started (tcp_push_one).
 */
final class SendSizing {
    private SendSizing() {}

    /** The low-water mark that means none (the sysctl's default, UINT_MAX). */
    static final long NO_LOWAT = 0xFFFF_FFFFL;

    /** The connection's low-water mark of unsent bytes: TCP_NOTSENT_LOWAT, else the sysctl (tcp_notsent_lowat()). */
    static long notSentLowat(Tcb tcb) {
        int own = tcb.options.notSentLowat; // tp->notsent_lowat ?: net->ipv4.sysctl_tcp_notsent_lowat
        long v = own != 0 ? own : tcb.sysctls().get(Sysctl.TCP_NOTSENT_LOWAT);
        return v & 0xFFFF_FFFFL;
    }

    /** tcp_xmit_size_goal: a new skb's size, gso_max_size bounded by half the largest window (tcp_bound_to_half_wnd). */
    static int sizeGoal(Tcb tcb) {
        int mss = Math.max(1, tcb.mss);
        int goal = TsoSizing.GSO_MAX_SIZE;
        int cutoff = tcb.maxSndWnd > MssPolicy.DEFAULT_MSS_V4 ? tcb.maxSndWnd >> 1 : tcb.maxSndWnd;
        if (cutoff > 0 && goal > cutoff) goal = Math.max(cutoff, 68 - MssPolicy.HEADERS_V4 / 2);
        return Math.max(goal / mss * mss, mss);
    }

    /** A write under a low-water mark: skb by skb, each sent as far as the windows allow before the next. */
    static int writeUpToLowat(TcpConnection conn, Tcb tcb, byte[] b, int off, int len, boolean endOfRecord, long now) {
        int goal = sizeGoal(tcb);
        long lowat = notSentLowat(tcb);
        int taken = 0;
        while (taken < len) {
            int unsent = tcb.notSent();
            int room = unsent % goal == 0 ? 0 : goal - unsent % goal; // room left in the last skb
            if (room == 0) {
                if (unsent >= lowat) break; // sk_stream_memory_free: no new skb
                room = goal;
            }
            int n = tcb.sendBuf.write(b, off + taken, Math.min(room, len - taken));
            if (n <= 0) break;
            taken += n;
            conn.sender.output(now);
        }
        if (taken > 0) {
            if (endOfRecord && taken == len) tcb.marks().add(tcb.bufSeq + tcb.sendBuf.size());
            tcb.env.timersChanged(conn);
        }
        return taken;
    }
}
