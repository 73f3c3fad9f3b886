package io.threeway.tcp;

/**
 * Linux's send-side chronographs (tcp_chrono_start, tcp_chrono_stop, tcp_chrono_set in tcp_output.c): how long the
 * connection has been busy sending, and how much of that the peer's receive window held it back (tcpi_busy_time,
 * tcpi_rwnd_limited). One chronograph runs at a time, the most interesting one: RWND_LIMITED over BUSY. Made at the
 * first write, so an idle connection does not pay for it.
 */
final class Chrono {
    /** Nothing to send (TCP_CHRONO_UNSPEC). */
    static final int UNSPEC = 0;
    /** Data queued or in flight (TCP_CHRONO_BUSY). */
    static final int BUSY = 1;
    /** Data waits for the peer's receive window (TCP_CHRONO_RWND_LIMITED). */
    static final int RWND_LIMITED = 2;

    /** The chronograph running (tp->chrono_type). */
    private int type;
    /** When it started, ns (tp->chrono_start). */
    private long start;
    /** Time spent busy and not limited, ns (tp->chrono_stat[TCP_CHRONO_BUSY - 1]). */
    private long busy;
    /** Time spent limited by the receive window, ns (tp->chrono_stat[TCP_CHRONO_RWND_LIMITED - 1]). */
    private long rwndLimited;

    /** tcp_add_write_queue_tail: data queued starts BUSY; the chronographs are made at the connection's first write. */
    static void dataQueued(Tcb t, long now) {
        if (t.chrono == null) t.chrono = new Chrono();
        t.chrono.start(BUSY, now);
    }

    /** tcp_chrono_start: a more interesting condition takes over from the one running. */
    void start(int what, long now) {
        if (what > type) set(what, now);
    }

    /**
     * tcp_chrono_stop: with nothing queued or in flight ({@code queuesEmpty}) every chronograph stops; else if the
     * condition that stops is the one running, BUSY runs on.
     */
    void stop(int what, boolean queuesEmpty, long now) {
        if (queuesEmpty) set(UNSPEC, now);
        else if (what == type) set(BUSY, now);
    }

    /** tcp_chrono_set: the running chronograph's time is added to its total; {@code what} runs from now. */
    private void set(int what, long now) {
        if (type == BUSY) busy += now - start;
        else if (type == RWND_LIMITED) rwndLimited += now - start;
        start = now;
        type = what;
    }

    /** {@code c}'s busy time, or 0 before the first write (no chronographs yet). */
    static long busy(Chrono c, long now) {
        return c == null ? 0 : c.busyTime(now);
    }

    /** {@code c}'s receive-window-limited time, or 0 before the first write. */
    static long rwnd(Chrono c, long now) {
        return c == null ? 0 : c.rwndLimitedTime(now);
    }

    /** tcpi_busy_time: all time with something to send, the running chronograph's included (tcp_get_info_chrono_stats). */
    long busyTime(long now) {
        return busy + rwndLimited + (type == UNSPEC ? 0 : now - start);
    }

    /** tcpi_rwnd_limited: the part of it the receive window held the sender back. */
    long rwndLimitedTime(long now) {
        return rwndLimited + (type == RWND_LIMITED ? now - start : 0);
    }

    /**
     * The end of tcp_write_xmit: "if (is_rwnd_limited) tcp_chrono_start(sk, TCP_CHRONO_RWND_LIMITED); else
     * tcp_chrono_stop(sk, TCP_CHRONO_RWND_LIMITED)": limited when the next segment does not fit the peer's window
     * (tcp_snd_wnd_test) while the congestion window would have let it go.
     */
    static void rwndAfterWrite(Tcb tcb, int inFlight, boolean cwndFull, long now) {
        Chrono chrono = tcb.chrono;
        if (chrono == null) return;
        int unsent = tcb.notSent();
        boolean rwndLimited = unsent > 0 && !cwndFull && tcb.sndWnd - inFlight < Math.min(tcb.mss, unsent);
        if (rwndLimited) chrono.start(Chrono.RWND_LIMITED, now);
        else chrono.stop(Chrono.RWND_LIMITED, unsent == 0 && tcb.sndUna == tcb.sndMax, now);
    }
}
