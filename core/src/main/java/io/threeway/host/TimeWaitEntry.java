package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.tcp.TimeWait;
import io.threeway.tcp.TimeWaitBlock;
import io.threeway.tcp.TimeWaitState;
import io.threeway.wire.IpAddress;

/**
 * A compact TIME-WAIT (Linux's inet_timewait_sock): what stands in the connection table for an orphaned
 * connection in TIME-WAIT. It keeps the four-tuple (as numbers, in {@link TupleEntry}), its deadline (in the
 * timer entry), and what {@link TimeWait}'s rules need: SND.MAX, RCV.NXT, the window, TS.Recent and its time,
 * the timestamp offset, the rate limit's last time. About a hundred bytes, where the connection it replaces
 * holds about a kilobyte.
 */
final class TimeWaitEntry extends TupleEntry implements TimeWaitBlock {
    /** The local address (the interface's own object, shared by every entry). */
    private final IpAddress local;
    /** The remote address's high 64 bits (0 for IPv4). */
    private final long remoteHi;
    /** The remote address's low 64 bits. */
    private final long remoteLo;
    /** The host whose table holds the entry. */
    private final Stack stack;
    /** The sequence number of our ACKs (SND.MAX). */
    private final int sndMax;
    /** RCV.NXT, the peer's FIN included. */
    private final int rcvNxt;
    /** The raw window field our ACKs carry. */
    private final int window;
    /** The offset of our TSvals (tcp_ts_off). */
    private final int tsOffset;
    /** TS.Recent. */
    private int tsRecent;
    /** When TS.Recent was last updated (ns). */
    private long tsRecentTime;
    /**
     * When an out-of-window segment was last answered, for tcp_invalid_ratelimit: milliseconds as a wrapping 32-bit
     * stamp, 0 for never, as Linux's tw_last_oow_ack_time (jiffies at HZ=1000); an int, not a long, keeps the
     * entry at 104 bytes.
     */
    private int lastOutOfWindowAck;
    /** Timestamps were agreed. */
    private final boolean timestamps;
    /** TIME-WAIT has ended (the entry has left the table). */
    private boolean ended;

    private TimeWaitEntry(Stack stack, IpAddress local, TcpConnection c, TimeWaitState s) {
        super(c.tuple().localPort(), c.tuple().remotePort());
        this.local = local;
        this.remoteHi = c.tuple().remoteAddress().hi();
        this.remoteLo = c.tuple().remoteAddress().lo();
        this.stack = stack;
        this.sndMax = s.sndMax();
        this.rcvNxt = s.rcvNxt();
        this.window = s.window();
        this.tsOffset = s.tsOffset();
        this.tsRecent = s.tsRecent();
        this.tsRecentTime = s.tsRecentTime();
        this.lastOutOfWindowAck = s.lastOutOfWindowAck() == Long.MIN_VALUE ? 0 : millis(s.lastOutOfWindowAck());
        this.timestamps = s.timestamps();
    }

    /** The compact record for {@code c}, whose local address is {@code local} (the host's own object). */
    static TimeWaitEntry of(Stack stack, IpAddress local, TcpConnection c) {
        return new TimeWaitEntry(stack, local, c, c.timeWaitState());
    }

    @Override IpAddress local() { return local; }
    @Override long remoteHi() { return remoteHi; }
    @Override long remoteLo() { return remoteLo; }
    @Override public int sndMax() { return sndMax; }
    @Override public int rcvNxt() { return rcvNxt; }
    @Override public boolean timestamps() { return timestamps; }
    @Override public int tsRecent() { return tsRecent; }
    @Override public long tsRecentTime() { return tsRecentTime; }
    @Override public TcpState state() { return ended ? TcpState.CLOSED : TcpState.TIME_WAIT; }

    @Override
    public void updateTsRecent(int tsVal, long now) {
        tsRecent = tsVal;
        tsRecentTime = now;
    }

    @Override
    public void restart(long deadline) {
        stack.schedule(this, deadline);
    }

    @Override
    public boolean outOfWindowAckLimited(long now) {
        // Linux's tcp_oow_rate_limited: "if (*last_oow_ack_time) { s32 elapsed = now - *last; if (0 <= elapsed
        // && elapsed < ratelimit) return true; }", then the stamp.
        int ms = millis(now);
        if (lastOutOfWindowAck != 0) {
            int elapsed = ms - lastOutOfWindowAck;
            if (elapsed >= 0 && elapsed < stack.sysctls().get(Sysctl.TCP_INVALID_RATELIMIT)) return true;
        }
        lastOutOfWindowAck = ms;
        return false;
    }

    /** {@code nanos} as a wrapping 32-bit millisecond stamp. */
    private static int millis(long nanos) {
        return (int) Math.floorDiv(nanos, 1_000_000L);
    }

    @Override
    public void sendAck(long now) {
        stack.outbound.sendTimeWaitAck(this, window, tsOffset, now);
    }

    @Override
    public void end(String cause, long now) {
        if (ended) return;
        ended = true;
        stack.timeWaitEnded(this, cause, now);
    }

    /** 2·MSL has passed (Linux's inet_twsk_kill from the timewait timer, counted as TW). */
    @Override
    void fire(long now) {
        if (ended || deadline() > now) return;
        stack.counters().inc(Counter.TW);
        end("TIME-WAIT expired (2MSL)", now);
    }

    /** The entry's deadline: when TIME-WAIT ends. */
    long timeWaitDeadline() {
        return deadline();
    }
}
