package io.threeway.conformance.run;

import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.FastOpen;
import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import java.util.Set;

/**
 * setsockopt and getsockopt: the options the stack implements map onto its per-socket options; options Linux has
 * whose behaviour the stack does not model yet (TCP_CORK, TCP_NOTSENT_LOWAT, SO_ZEROCOPY, IP_TOS...) are accepted
 * as Linux accepts them, kept for getsockopt, and noted; a name Linux does not have fails with ENOPROTOOPT.
 */
final class SockOpts {
    /** Options Linux accepts whose effect the stack does not model: set, read back, and noted. */
    private static final Set<String> UNMODELLED = Set.of("SO_ZEROCOPY", "IP_TOS", "SO_MARK",
            "IP_FREEBIND", "IP_MTU_DISCOVER", "SO_TIMESTAMPING", "SO_PRIORITY", "SO_RCVLOWAT", "TCP_THIN_LINEAR_TIMEOUTS",
            "TCP_WINDOW_CLAMP", "TCP_LINGER2", "IPV6_TCLASS", "IP_RECVERR", "IPV6_RECVERR", "SO_MAX_PACING_RATE", "TCP_TX_DELAY",
            "SO_REUSEPORT", "IPV6_MTU_DISCOVER");

    private final Proc p;
    private final SocketCalls sockets;

    SockOpts(Proc p, SocketCalls sockets) {
        this.p = p;
        this.sockets = sockets;
    }

    SyscallResult set(Event.Syscall call, long now) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        String name = Args.symbol(call, 2);
        Expr valueExpr = call.args().size() > 3 ? call.args().get(3) : null;
        Expr pointee = Args.pointee(call, 3);
        long v = pointee != null && !(pointee instanceof Expr.Str) ? Args.eval(pointee) : 0;
        SyscallResult special = special(call, s, name, valueExpr, v, now);
        if (special != null) return special;
        if (!setOption(s, name, v)) {
            if (!UNMODELLED.contains(name)) return SyscallResult.fail(Errno.ENOPROTOOPT);
            s.unmodelled.put(name, v);
            p.note(name + " accepted as Linux does; the stack does not model it yet");
        }
        if (s.connection != null && ((name.equals("TCP_CORK") && v == 0) || (name.equals("TCP_NODELAY") && v != 0))) {
            s.connection.pushPending(now); // do_tcp_setsockopt: uncorking, or TCP_NODELAY, pushes what waits
            p.stack.userCallDone();
        }
        if (s.connection != null && (name.equals("SO_KEEPALIVE") || name.startsWith("TCP_KEEP"))) {
            s.connection.keepaliveChanged(now);
            p.stack.userCallDone();
        }
        return SyscallResult.ok(0);
    }

    /** The plain per-socket options; false when {@code name} is not one. */
    private static boolean setOption(Socket s, String name, long v) {
        var o = s.options;
        switch (name) {
            case "SO_REUSEADDR" -> s.reuseAddress = v != 0;
            case "SO_KEEPALIVE" -> o.keepAlive = v != 0;
            case "SO_RCVBUF" -> o.rcvBuf = (int) Math.max(v * 2, 2304);
            case "SO_SNDBUF" -> o.sndBuf = (int) Math.max(v * 2, 4608);
            case "TCP_NODELAY" -> o.noDelay = v != 0;
            case "TCP_MAXSEG" -> o.maxSeg = (int) v;
            case "TCP_KEEPIDLE" -> o.keepIdle = (int) v;
            case "TCP_KEEPINTVL" -> o.keepIntvl = (int) v;
            case "TCP_KEEPCNT" -> o.keepCnt = (int) v;
            case "TCP_USER_TIMEOUT" -> o.userTimeoutMs = (int) v;
            case "TCP_SYNCNT" -> o.synCount = (int) v;
            case "TCP_QUICKACK" -> o.quickAck = v != 0;
            case "TCP_INQ" -> s.inq = v != 0;
            case "TCP_NOTSENT_LOWAT" -> o.notSentLowat = (int) v; // a u32, as tp->notsent_lowat
            case "TCP_CORK" -> o.cork = v != 0;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Options with their own rules (SO_LINGER's struct, Fast Open, FreeBSD's), or null for the plain ones. */
    private SyscallResult special(Event.Syscall call, Socket s, String name, Expr valueExpr, long v, long now) {
        var o = s.options;
        switch (name) {
            case "SO_LINGER" -> {
                if (!(valueExpr instanceof Expr.Struct st)) throw new ScriptException(call.pos(), "SO_LINGER takes {onoff=..., linger=...}");
                long on = st.field("onoff") != null ? Args.field(st, "onoff") : Args.field(st, "l_onoff");
                long secs = st.field("linger") != null ? Args.field(st, "linger") : Args.field(st, "l_linger");
                o.lingerSeconds = on != 0 ? (int) secs : -1;
                return SyscallResult.ok(0);
            }
            case "TCP_CONGESTION" -> {
                if (!(Args.pointee(call, 3) instanceof Expr.Str str) && !(valueExpr instanceof Expr.Str)) {
                    throw new ScriptException(call.pos(), "TCP_CONGESTION takes a string");
                }
                String cc = valueExpr instanceof Expr.Str direct ? direct.value() : ((Expr.Str) Args.pointee(call, 3)).value();
                if (!ConnectionOptions.congestionAvailable(cc)) return SyscallResult.fail("ENOENT"); // tcp_set_congestion_control
                if (s.listener != null) throw new ScriptException(call.pos(), "TCP_CONGESTION on a listener is not supported by the runner");
                if (s.connection == null) {
                    s.congestion = cc; // applied when connect() makes the connection
                    return SyscallResult.ok(0);
                }
                s.connection.changeCongestionControl(cc, now);
                return SyscallResult.ok(0);
            }
            case "TCP_DEFER_ACCEPT" -> {
                if (s.listener == null) {
                    s.unmodelled.put(name, v);
                    return SyscallResult.ok(0);
                }
                s.listener.setDeferAcceptSeconds((int) v);
                return SyscallResult.ok(0);
            }
            case "TCP_FASTOPEN" -> {
                return fastOpenOption(s, v);
            }
            case "TCP_FASTOPEN_CONNECT" -> {
                // Linux's do_tcp_setsockopt; FreeBSD has no such option.
                if (p.bsd()) return SyscallResult.fail(Errno.ENOPROTOOPT);
                if (!p.clientFastOpen()) return SyscallResult.fail(Errno.EOPNOTSUPP);
                if (s.connection != null || s.listener != null || s.deferredConnect) return SyscallResult.fail(Errno.EINVAL);
                o.fastOpenConnect = v != 0;
                return SyscallResult.ok(0);
            }
            case "TCP_FASTOPEN_KEY" -> {
                s.unmodelled.put(name, 0L);
                p.note("TCP_FASTOPEN_KEY accepted; the stack keeps one key (net.ipv4.tcp_fastopen_key), not one per listener");
                return SyscallResult.ok(0);
            }
            case "TCP_NOOPT", "TCP_KEEPINIT" -> {
                return freeBsdOption(s, name, v, now);
            }
            default -> {
                return null;
            }
        }
    }

    /** FreeBSD's (the profile says whether the system has them): TCP_NOOPT, and TCP_KEEPINIT in seconds. */
    private SyscallResult freeBsdOption(Socket s, String name, long v, long now) {
        if (!p.profile.extraSocketOptions().contains(name)) return SyscallResult.fail(Errno.ENOPROTOOPT);
        if (name.equals("TCP_NOOPT")) {
            s.options.noOptions = v != 0;
            return SyscallResult.ok(0);
        }
        if (v < 0) return SyscallResult.fail(Errno.EINVAL);
        s.options.keepInitMs = (int) Math.min(Integer.MAX_VALUE, v * 1000);
        if (s.connection != null) {
            s.connection.keepInitChanged(now);
            p.stack.userCallDone();
        }
        return SyscallResult.ok(0);
    }

    /**
     * setsockopt(TCP_FASTOPEN). Linux: the Fast Open queue length of a listener, now or at listen(); EINVAL on a
     * socket that is connecting or connected, or for a negative length. FreeBSD: TF_FASTOPEN on or off; EPERM
     * when Fast Open is off on both sides (fastopen.client_enable and server_enable are 0), EINVAL once connecting
     * and, on a listener, when server_enable is 0.
     */
    private SyscallResult fastOpenOption(Socket s, long v) {
        boolean connecting = s.connection != null && s.connection.state() != TcpState.CLOSED || s.deferredConnect;
        if (p.bsd()) {
            int mode = p.stack.sysctls().get(Sysctl.TCP_FASTOPEN);
            if ((mode & (FastOpen.CLIENT | FastOpen.SERVER)) == 0) return SyscallResult.fail(Errno.EPERM);
            if (connecting) return SyscallResult.fail(Errno.EINVAL);
            if (v != 0 && s.listener != null && (mode & FastOpen.SERVER) == 0) return SyscallResult.fail(Errno.EINVAL);
            s.fastOpen = v != 0 ? 1 : 0;
        } else {
            if (connecting || v < 0) return SyscallResult.fail(Errno.EINVAL);
            s.fastOpen = (int) Math.min(v, Integer.MAX_VALUE);
        }
        sockets.applyFastOpenQueue(s);
        return SyscallResult.ok(0);
    }

    SyscallResult get(Event.Syscall call) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        String name = Args.symbol(call, 2);
        if (name.equals("TCP_INFO")) return SyscallResult.ok(0); // the %{ }% blocks read TCP_INFO (TcpInfoFields)
        long value = value(s, name);
        if (value == Long.MIN_VALUE) return SyscallResult.fail(Errno.ENOPROTOOPT);
        SyscallResult r = SyscallResult.ok(0);
        String mismatch = Args.compareOut(name, value, Args.pointee(call, 3));
        return mismatch == null ? r : r.withMismatch(mismatch);
    }

    /** An option's value as getsockopt reports it, or Long.MIN_VALUE for ENOPROTOOPT. */
    private long value(Socket s, String name) {
        TcpConnection c = s.connection;
        return switch (name) {
            case "SO_ERROR" -> {
                Errno e = c == null ? null : c.takeError();
                yield e == null ? 0 : e.number();
            }
            case "SO_RCVBUF" -> receiveBuffer(s);
            case "SO_SNDBUF" -> s.options.sndBuf > 0 ? s.options.sndBuf : p.stack.sysctls().get(Sysctl.TCP_WMEM, 1);
            case "SO_REUSEADDR" -> s.reuseAddress ? 1 : 0;
            case "SO_KEEPALIVE" -> s.options.keepAlive ? 1 : 0;
            case "TCP_NODELAY" -> s.options.noDelay ? 1 : 0;
            case "TCP_INQ" -> s.inq ? 1 : 0;
            case "TCP_NOTSENT_LOWAT" -> Integer.toUnsignedLong(s.options.notSentLowat); // tp->notsent_lowat: 0 unless set
            case "TCP_CORK" -> s.options.cork ? 1 : 0;
            case "TCP_KEEPIDLE" -> s.options.keepIdle > 0 ? s.options.keepIdle : p.stack.sysctls().get(Sysctl.TCP_KEEPALIVE_TIME);
            case "TCP_KEEPINTVL" -> s.options.keepIntvl > 0 ? s.options.keepIntvl : p.stack.sysctls().get(Sysctl.TCP_KEEPALIVE_INTVL);
            case "TCP_KEEPCNT" -> s.options.keepCnt > 0 ? s.options.keepCnt : p.stack.sysctls().get(Sysctl.TCP_KEEPALIVE_PROBES);
            case "TCP_SYNCNT" -> s.options.synCount > 0 ? s.options.synCount : p.stack.sysctls().get(Sysctl.TCP_SYN_RETRIES);
            case "TCP_USER_TIMEOUT" -> s.options.userTimeoutMs;
            case "TCP_QUICKACK" -> s.options.quickAck ? 1 : 0;
            case "TCP_MAXSEG" -> c != null && c.state().isSynchronized() ? c.maxSegment() : (s.options.maxSeg > 0 ? s.options.maxSeg : 536);
            case "TCP_FASTOPEN" -> p.bsd() ? s.fastOpen : s.listener != null ? s.listener.fastOpenQueueLimit() : s.fastOpen;
            case "TCP_FASTOPEN_CONNECT" -> p.bsd() ? Long.MIN_VALUE : (s.options.fastOpenConnect ? 1 : 0);
            case "TCP_NOOPT" -> p.profile.extraSocketOptions().contains(name) ? (s.options.noOptions ? 1 : 0) : Long.MIN_VALUE;
            case "TCP_KEEPINIT" -> p.profile.extraSocketOptions().contains(name)
                    ? (s.options.keepInitMs > 0 ? s.options.keepInitMs / 1000 : p.stack.engineProfile().keepInitNanos() / 1_000_000_000L)
                    : Long.MIN_VALUE;
            default -> UNMODELLED.contains(name) ? s.unmodelled.getOrDefault(name, 0L) : Long.MIN_VALUE;
        };
    }

    /** SO_RCVBUF as the profile's system reports it. */
    private long receiveBuffer(Socket s) {
        int configured = s.options.rcvBuf > 0 ? s.options.rcvBuf : p.stack.sysctls().get(Sysctl.TCP_RMEM, 1);
        if (p.profile.rcvbufReport() == Profile.BufferReport.LINUX) return configured;
        // FreeBSD: the limit, not doubled; tcp_mss_update rounds it up to whole segments once the MSS is known.
        long limit = s.options.rcvBuf > 0 ? s.options.rcvBuf / 2 : configured;
        TcpConnection c = s.connection;
        if (c != null && c.maxSegment() > 0) { // the MSS is known from the peer's SYN on
            int mss = c.maxSegment();
            limit = (limit + mss - 1) / mss * mss;
        }
        return limit;
    }
}
