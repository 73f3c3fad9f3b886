package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.host.Stack;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.List;
import java.util.TreeMap;

/**
 * The script's process: a file descriptor table and the system calls, mapped onto the stack's API with
 * Linux's return values and errno names. Each call gives an {@link Attempt}: non-blocking sockets answer at
 * once (EAGAIN, EINPROGRESS), blocking ones wait in virtual time until the stack lets them return.
 */
final class Syscalls {
    private static final int FIRST_FD = 3;

    private final Stack stack;
    private final Peer peer;
    private final Profile profile;
    private final TreeMap<Integer, Socket> fds = new TreeMap<>();

    Syscalls(Stack stack, Peer peer, Profile profile) {
        this.stack = stack;
        this.peer = peer;
        this.profile = profile;
    }

    /** Starts a call; throws ScriptException for a call or argument the runner does not know. */
    Attempt start(Event.Syscall call, long now) {
        List<Expr> a = call.args();
        return switch (call.name()) {
            case "socket" -> Attempt.done(socket());
            case "bind" -> Attempt.done(bind(sock(call, a, 0)));
            case "listen" -> Attempt.done(listen(sock(call, a, 0), (int) num(a, 1, call)));
            case "accept" -> accept(call, a);
            case "connect" -> connect(call, sock(call, a, 0), now);
            case "sendto" -> sendto(call, a, now);
            case "read", "recv", "recvfrom", "recvmsg", "readv" -> read(call, a);
            case "write", "send", "sendmsg", "writev" -> write(call, a, now);
            case "close" -> Attempt.done(close(a, call, now));
            case "shutdown" -> Attempt.done(shutdown(sock(call, a, 0), (int) num(a, 1, call), now));
            case "fcntl" -> Attempt.done(fcntl(call, a));
            case "setsockopt" -> Attempt.done(setsockopt(call, a, now));
            case "getsockopt" -> Attempt.done(getsockopt(call, a));
            case "poll" -> poll(call, a, now);
            default -> throw new ScriptException(call.pos(), "system call '" + call.name() + "' is not supported");
        };
    }

    // ------------------------------------------------------------------------------------------------
    // Sockets

    private SyscallResult socket() {
        int fd = FIRST_FD;
        while (fds.containsKey(fd)) fd++;
        fds.put(fd, new Socket(fd, profile.socketOptions()));
        return SyscallResult.ok(fd);
    }

    private SyscallResult bind(Socket s) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (s.boundPort != 0) return SyscallResult.fail(Errno.EINVAL);
        s.boundPort = Peer.SCRIPT_PORT;
        return SyscallResult.ok(0);
    }

    private SyscallResult listen(Socket s, int backlog) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (s.connection != null) return SyscallResult.fail(Errno.EINVAL);
        if (s.listener != null) {
            s.listener.setBacklog(backlog);
            applyFastOpenQueue(s);
            return SyscallResult.ok(0);
        }
        try {
            int port = s.boundPort != 0 ? s.boundPort : Peer.SCRIPT_PORT;
            s.listener = stack.listen(peer.local.v6() ? IpAddress.ANY6 : IpAddress.ANY4, port, backlog, s.options, s.reuseAddress);
        } catch (TcpException e) {
            return SyscallResult.fail(e.errno());
        }
        applyFastOpenQueue(s);
        peer.localPort = s.listener.port();
        peer.remotePort = Peer.PEER_EPHEMERAL_PORT;
        return SyscallResult.ok(0);
    }

    /**
     * A listener's Fast Open queue from the socket's TCP_FASTOPEN: Linux's queue length capped at somaxconn
     * (fastopen_queue_tune); FreeBSD's flag, which allows half the backlog (tcp_fastopen.c).
     */
    private void applyFastOpenQueue(Socket s) {
        if (s.listener == null) return;
        int limit;
        if (profile.socketApi() == Profile.SocketApi.BSD) {
            limit = s.fastOpen != 0 ? Math.max(1, s.listener.acceptQueueLimit() / 2) : 0;
        } else {
            limit = Math.min(s.fastOpen, stack.sysctls().get(io.threeway.settings.Sysctl.SOMAXCONN));
        }
        s.listener.setFastOpenQueueLimit(limit);
    }

    private Attempt accept(Event.Syscall call, List<Expr> a) {
        Socket s = sock(call, a, 0);
        if (s == null || s.listener == null) return Attempt.done(SyscallResult.fail(s == null ? Errno.EBADF : Errno.EINVAL));
        return now -> {
            TcpConnection c = s.listener.accept();
            if (c == null) return s.nonBlocking ? SyscallResult.fail(Errno.EAGAIN) : null;
            SyscallResult r = socket();
            Socket child = fds.get((int) r.value());
            child.connection = c;
            return r;
        };
    }

    private Attempt connect(Event.Syscall call, Socket s, long now) {
        if (s == null) return Attempt.done(SyscallResult.fail(Errno.EBADF));
        if (s.listener != null) return Attempt.done(SyscallResult.fail(Errno.EISCONN));
        if (s.connection != null) {
            TcpConnection c = s.connection;
            if (c.state() == TcpState.SYN_SENT) return Attempt.done(SyscallResult.fail(Errno.EALREADY));
            if (c.state().isSynchronized()) return Attempt.done(SyscallResult.fail(Errno.EISCONN));
            Errno e = c.takeError();
            return Attempt.done(e == null ? SyscallResult.fail(Errno.EISCONN) : SyscallResult.fail(e));
        }
        if (s.deferredConnect) return Attempt.done(SyscallResult.fail(Errno.EISCONN));
        if (profile.socketApi() == Profile.SocketApi.BSD && s.fastOpen != 0) s.options.fastOpenConnect = true;
        if (s.options.fastOpenConnect && clientFastOpen() && stack.hasFastOpenCookie(peer.remote)) {
            // Linux's tcp_fastopen_defer_connect: with a cookie cached, connect() returns 0 at once and the SYN
            // waits for the first write, to carry its data.
            s.deferredConnect = true;
            return Attempt.done(SyscallResult.ok(0));
        }
        SyscallResult failed = open(s, null, 0, now);
        if (failed != null) return Attempt.done(failed);
        if (s.nonBlocking) return Attempt.done(SyscallResult.fail(Errno.EINPROGRESS));
        TcpConnection c = s.connection;
        return t -> {
            if (!c.connectDone()) return null;
            if (c.state().isSynchronized()) return SyscallResult.ok(0);
            Errno e = c.takeError();
            return SyscallResult.fail(e == null ? Errno.ECONNREFUSED : e);
        };
    }

    /** The active open: a SYN, with {@code data} for it when Fast Open may carry some. Null, or the failure. */
    private SyscallResult open(Socket s, byte[] data, int len, long now) {
        try {
            s.connection = data == null
                    ? stack.connect(peer.remote, Peer.SCRIPT_PORT, s.boundPort, s.options, now)
                    : stack.connect(peer.remote, Peer.SCRIPT_PORT, s.boundPort, s.options, data, 0, len, now);
        } catch (TcpException e) {
            return SyscallResult.fail(e.errno());
        }
        s.deferredConnect = false;
        // A new connection: its ISN and timestamp offset are learned afresh from its SYN, as packetdrill does
        // per socket (a script may open several connections one after the other).
        peer.localIsnKnown = false;
        peer.tsOffsetKnown = false;
        stack.userCallDone();
        peer.localPort = s.connection.tuple().localPort();
        peer.remotePort = Peer.SCRIPT_PORT;
        return null;
    }

    /** Whether tcp_fastopen has its client bit (FreeBSD's net.inet.tcp.fastopen.client_enable). */
    private boolean clientFastOpen() {
        return (stack.sysctls().get(io.threeway.settings.Sysctl.TCP_FASTOPEN) & 0x1) != 0;
    }

    /**
     * sendto(): on a connected socket, write(). On an unconnected one, Linux connects when the flags have
     * MSG_FASTOPEN (tcp_sendmsg_fastopen: the data goes in the SYN when a cookie is cached; a non-blocking call
     * returns the bytes in the SYN or EINPROGRESS, a blocking one waits for the handshake and writes the rest)
     * and fails with EPIPE otherwise; FreeBSD connects whenever an address is given (PR_IMPLOPCL), as a Fast
     * Open connect when TCP_FASTOPEN is on, and returns once the data is queued.
     */
    private Attempt sendto(Event.Syscall call, List<Expr> a, long now) {
        Socket s = sock(call, a, 0);
        long flags = a.size() > 3 ? num(a, 3, call) : 0;
        boolean fastOpenFlag = (flags & Constants.value("MSG_FASTOPEN")) != 0;
        boolean bsd = profile.socketApi() == Profile.SocketApi.BSD;
        if (s == null || s.listener != null) return write(call, a, now);
        if (s.connection != null) {
            if (fastOpenFlag && !bsd) return Attempt.done(SyscallResult.fail(Errno.EISCONN)); // __inet_stream_connect
            return write(call, a, now);
        }
        if (s.deferredConnect) return write(call, a, now);
        int len = (int) num(a, 2, call);
        boolean implied = bsd ? a.size() > 4 : fastOpenFlag;
        if (!implied) return write(call, a, now);
        boolean fastOpen = bsd ? s.fastOpen != 0 : true;
        if (fastOpen && !clientFastOpen()) {
            if (!bsd) return Attempt.done(SyscallResult.fail(Errno.EOPNOTSUPP)); // tcp_sendmsg_fastopen without TFO_CLIENT_ENABLE
            fastOpen = false;                                                     // tcp_fastopen_connect clears TF_FASTOPEN
        }
        if (!bsd && !stack.hasFastOpenCookie(peer.remote) && (stack.sysctls().get(io.threeway.settings.Sysctl.TCP_FASTOPEN) & 0x4) == 0) {
            // Linux's tcp_send_syn_data without a cookie: the SYN only asks for one and takes none of the data,
            // which a non-blocking call leaves to the application (EINPROGRESS) and a blocking one writes once
            // the handshake is done.
            boolean was = s.options.fastOpenConnect;
            s.options.fastOpenConnect = true;
            SyscallResult failed = open(s, null, 0, now);
            s.options.fastOpenConnect = was;
            if (failed != null) return Attempt.done(failed);
            if (s.nonBlocking) return Attempt.done(SyscallResult.fail(Errno.EINPROGRESS));
            TcpConnection c = s.connection;
            Attempt rest = write(call, a, now, 0);
            return t -> {
                if (!c.connectDone()) return null;
                if (!c.state().isSynchronized()) {
                    Errno e = c.takeError();
                    return SyscallResult.fail(e == null ? Errno.ECONNREFUSED : e);
                }
                return rest.tryNow(t);
            };
        }
        SyscallResult failed = open(s, fastOpen ? new byte[Math.max(len, 0)] : null, Math.max(len, 0), now);
        if (failed != null) return Attempt.done(failed);
        TcpConnection c = s.connection;
        int queued = fastOpen ? c.sendQueue() : 0;
        if (bsd) return write(call, a, now, queued);
        if (s.nonBlocking) {
            int inSyn = c.sndNxt() - (c.iss() + 1);
            return Attempt.done(inSyn > 0 ? SyscallResult.ok(inSyn) : SyscallResult.fail(Errno.EINPROGRESS));
        }
        Attempt rest = write(call, a, now, queued);
        return t -> {
            if (!c.connectDone()) return null;
            if (!c.state().isSynchronized()) {
                Errno e = c.takeError();
                return SyscallResult.fail(e == null ? Errno.ECONNREFUSED : e);
            }
            return rest.tryNow(t);
        };
    }

    private Attempt read(Event.Syscall call, List<Expr> a) {
        Socket s = sock(call, a, 0);
        int len = (int) num(a, 2, call);
        return now -> {
            if (s == null) return SyscallResult.fail(Errno.EBADF);
            TcpConnection c = s.connection;
            if (c == null) return SyscallResult.fail(Errno.ENOTCONN);
            int n = c.read(new byte[Math.max(len, 0)], 0, Math.max(len, 0), now);
            stack.userCallDone();
            if (n > 0) return SyscallResult.ok(n);
            if (n < 0) return SyscallResult.ok(0);
            Errno e = c.takeError();
            if (e != null) return SyscallResult.fail(e);
            if (c.state() == TcpState.CLOSED) return SyscallResult.ok(0);
            if (len == 0) return SyscallResult.ok(0);
            return s.nonBlocking ? SyscallResult.fail(Errno.EAGAIN) : null;
        };
    }

    private Attempt write(Event.Syscall call, List<Expr> a, long start) {
        Socket s = sock(call, a, 0);
        if (s != null && s.deferredConnect && s.connection == null) {
            // The connect TCP_FASTOPEN_CONNECT deferred: the first write sends the SYN with its data.
            int len = (int) num(a, 2, call);
            SyscallResult failed = open(s, new byte[Math.max(len, 0)], Math.max(len, 0), start);
            if (failed != null) return Attempt.done(failed);
            int queued = s.connection.sendQueue();
            if (s.nonBlocking) {
                int inSyn = s.connection.sndNxt() - (s.connection.iss() + 1);
                return Attempt.done(inSyn > 0 ? SyscallResult.ok(inSyn) : SyscallResult.fail(Errno.EINPROGRESS));
            }
            TcpConnection c = s.connection;
            Attempt rest = write(call, a, start, queued);
            return t -> {
                if (!c.connectDone()) return null;
                if (!c.state().isSynchronized()) {
                    Errno e = c.takeError();
                    return SyscallResult.fail(e == null ? Errno.ECONNREFUSED : e);
                }
                return rest.tryNow(t);
            };
        }
        return write(call, a, start, 0);
    }

    /** write() of a call's length, of which {@code already} bytes are queued (by a connect with data). */
    private Attempt write(Event.Syscall call, List<Expr> a, long start, int already) {
        Socket s = sock(call, a, 0);
        int len = (int) num(a, 2, call);
        int[] written = {already};
        return now -> {
            if (s == null) return SyscallResult.fail(Errno.EBADF);
            if (written[0] == len && len > 0) return SyscallResult.ok(len);
            TcpConnection c = s.connection;
            if (c == null) return SyscallResult.fail(Errno.EPIPE);
            Errno e = c.takeError();
            if (e != null) return SyscallResult.fail(e);
            if (c.writeClosed()) return written[0] > 0 ? SyscallResult.ok(written[0]) : SyscallResult.fail(Errno.EPIPE);
            int n = c.write(new byte[len - written[0]], 0, len - written[0], now);
            stack.userCallDone();
            written[0] += n;
            if (written[0] == len) return SyscallResult.ok(len);
            if (s.nonBlocking) return written[0] > 0 ? SyscallResult.ok(written[0]) : SyscallResult.fail(Errno.EAGAIN);
            return null;
        };
    }

    private SyscallResult close(List<Expr> a, Event.Syscall call, long now) {
        Socket s = sock(call, a, 0);
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        fds.remove(s.fd);
        if (s.listener != null) stack.closeListener(s.listener, now);
        if (s.connection != null) s.connection.close(now);
        stack.userCallDone();
        return SyscallResult.ok(0);
    }

    private SyscallResult shutdown(Socket s, int how, long now) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (s.connection == null || !(s.connection.state().isSynchronized() || s.connection.state() == TcpState.SYN_SENT)) {
            return SyscallResult.fail(Errno.ENOTCONN);
        }
        if (how == 1 || how == 2) s.connection.shutdownOutput(now);
        stack.userCallDone();
        return SyscallResult.ok(0);
    }

    private SyscallResult fcntl(Event.Syscall call, List<Expr> a) {
        Socket s = sock(call, a, 0);
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        long cmd = num(a, 1, call);
        if (cmd == Constants.F_GETFL) return SyscallResult.ok(Constants.O_RDWR | (s.nonBlocking ? Constants.O_NONBLOCK : 0));
        if (cmd == Constants.F_SETFL) {
            s.nonBlocking = (num(a, 2, call) & Constants.O_NONBLOCK) != 0;
            return SyscallResult.ok(0);
        }
        throw new ScriptException(call.pos(), "fcntl command " + cmd + " is not supported");
    }

    // ------------------------------------------------------------------------------------------------
    // Options

    private SyscallResult setsockopt(Event.Syscall call, List<Expr> a, long now) {
        Socket s = sock(call, a, 0);
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        String name = symbol(a, 2, call);
        Expr valueExpr = a.size() > 3 ? a.get(3) : null;
        long v = valueExpr instanceof Expr.Array arr && arr.elements().size() == 1 ? eval(arr.elements().get(0)) : 0;
        var o = s.options;
        switch (name) {
            case "SO_REUSEADDR" -> s.reuseAddress = v != 0;
            case "SO_KEEPALIVE" -> o.keepAlive = v != 0;
            case "SO_RCVBUF" -> o.rcvBuf = (int) Math.max(v * 2, 2304);
            case "SO_SNDBUF" -> o.sndBuf = (int) Math.max(v * 2, 4608);
            case "SO_LINGER" -> {
                if (!(valueExpr instanceof Expr.Struct st)) throw new ScriptException(call.pos(), "SO_LINGER takes {l_onoff=..., l_linger=...}");
                long on = field(st, "l_onoff", "linger_onoff");
                long secs = field(st, "l_linger", "linger");
                o.lingerSeconds = on != 0 ? (int) secs : -1;
            }
            case "TCP_NODELAY" -> o.noDelay = v != 0;
            case "TCP_MAXSEG" -> o.maxSeg = (int) v;
            case "TCP_KEEPIDLE" -> o.keepIdle = (int) v;
            case "TCP_KEEPINTVL" -> o.keepIntvl = (int) v;
            case "TCP_KEEPCNT" -> o.keepCnt = (int) v;
            case "TCP_USER_TIMEOUT" -> o.userTimeoutMs = (int) v;
            case "TCP_SYNCNT" -> o.synCount = (int) v;
            case "TCP_QUICKACK" -> o.quickAck = v != 0;
            // FreeBSD's (the profile says whether the system has them): TCP_NOOPT, and TCP_KEEPINIT in seconds.
            case "TCP_NOOPT" -> {
                if (!profile.extraSocketOptions().contains(name)) return SyscallResult.fail(Errno.ENOPROTOOPT);
                o.noOptions = v != 0;
            }
            case "TCP_FASTOPEN" -> {
                return fastOpenOption(s, v);
            }
            case "TCP_FASTOPEN_CONNECT" -> {
                // Linux's do_tcp_setsockopt; FreeBSD has no such option.
                if (profile.socketApi() == Profile.SocketApi.BSD) return SyscallResult.fail(Errno.ENOPROTOOPT);
                if (!clientFastOpen()) return SyscallResult.fail(Errno.EOPNOTSUPP);
                if (s.connection != null || s.listener != null || s.deferredConnect) return SyscallResult.fail(Errno.EINVAL);
                o.fastOpenConnect = v != 0;
            }
            case "TCP_KEEPINIT" -> {
                if (!profile.extraSocketOptions().contains(name)) return SyscallResult.fail(Errno.ENOPROTOOPT);
                if (v < 0) return SyscallResult.fail(Errno.EINVAL);
                o.keepInitMs = v * 1000;
                if (s.connection != null) {
                    s.connection.keepInitChanged(now);
                    stack.userCallDone();
                }
                return SyscallResult.ok(0);
            }
            default -> {
                return SyscallResult.fail(Errno.ENOPROTOOPT);
            }
        }
        if (s.connection != null && (name.equals("SO_KEEPALIVE") || name.startsWith("TCP_KEEP"))) {
            s.connection.keepaliveChanged(now);
            stack.userCallDone();
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
        if (profile.socketApi() == Profile.SocketApi.BSD) {
            int mode = stack.sysctls().get(io.threeway.settings.Sysctl.TCP_FASTOPEN);
            if ((mode & 0x3) == 0) return SyscallResult.fail(Errno.EPERM);
            if (connecting) return SyscallResult.fail(Errno.EINVAL);
            if (v != 0 && s.listener != null && (mode & 0x2) == 0) return SyscallResult.fail(Errno.EINVAL);
            s.fastOpen = v != 0 ? 1 : 0;
        } else {
            if (connecting || v < 0) return SyscallResult.fail(Errno.EINVAL);
            s.fastOpen = (int) Math.min(v, Integer.MAX_VALUE);
        }
        applyFastOpenQueue(s);
        return SyscallResult.ok(0);
    }

    private SyscallResult getsockopt(Event.Syscall call, List<Expr> a) {
        Socket s = sock(call, a, 0);
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        String name = symbol(a, 2, call);
        TcpConnection c = s.connection;
        long value = switch (name) {
            case "SO_ERROR" -> {
                Errno e = c == null ? null : c.takeError();
                yield e == null ? 0 : e.number();
            }
            case "SO_RCVBUF" -> receiveBuffer(s);
            case "SO_SNDBUF" -> s.options.sndBuf > 0 ? s.options.sndBuf : stack.sysctls().get(io.threeway.settings.Sysctl.TCP_WMEM, 1);
            case "SO_REUSEADDR" -> s.reuseAddress ? 1 : 0;
            case "SO_KEEPALIVE" -> s.options.keepAlive ? 1 : 0;
            case "TCP_NODELAY" -> s.options.noDelay ? 1 : 0;
            case "TCP_MAXSEG" -> c != null && c.state().isSynchronized() ? c.mss() : (s.options.maxSeg > 0 ? s.options.maxSeg : 536);
            case "TCP_FASTOPEN" -> profile.socketApi() == Profile.SocketApi.BSD ? s.fastOpen
                    : s.listener != null ? s.listener.fastOpenQueueLimit() : s.fastOpen;
            case "TCP_FASTOPEN_CONNECT" -> profile.socketApi() == Profile.SocketApi.BSD ? Long.MIN_VALUE : (s.options.fastOpenConnect ? 1 : 0);
            case "TCP_NOOPT" -> profile.extraSocketOptions().contains(name) ? (s.options.noOptions ? 1 : 0) : Long.MIN_VALUE;
            case "TCP_KEEPINIT" -> profile.extraSocketOptions().contains(name)
                    ? (s.options.keepInitMs > 0 ? s.options.keepInitMs / 1000 : stack.engineProfile().keepInitNanos() / 1_000_000_000L)
                    : Long.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
        if (value == Long.MIN_VALUE) return SyscallResult.fail(Errno.ENOPROTOOPT);
        SyscallResult r = SyscallResult.ok(0);
        if (a.size() > 3 && a.get(3) instanceof Expr.Array arr && arr.elements().size() == 1
                && !(arr.elements().get(0) instanceof Expr.Ellipsis)) {
            long want = eval(arr.elements().get(0));
            if (want != value) r = r.withMismatch(name + " is " + value + ", the script expected " + Expr.text(arr.elements().get(0)));
        }
        return r;
    }

    /** SO_RCVBUF as the profile's system reports it. */
    private long receiveBuffer(Socket s) {
        int configured = s.options.rcvBuf > 0 ? s.options.rcvBuf : stack.sysctls().get(io.threeway.settings.Sysctl.TCP_RMEM, 1);
        if (profile.rcvbufReport() == Profile.BufferReport.LINUX) return configured;
        // FreeBSD: the limit, not doubled; tcp_mss_update rounds it up to whole segments once the MSS is known.
        long limit = s.options.rcvBuf > 0 ? s.options.rcvBuf / 2 : configured;
        TcpConnection c = s.connection;
        if (c != null && c.mss() > 0) { // the MSS is known from the peer's SYN on
            int mss = c.mss();
            limit = (limit + mss - 1) / mss * mss;
        }
        return limit;
    }

    private Attempt poll(Event.Syscall call, List<Expr> a, long now) {
        if (!(a.get(0) instanceof Expr.Array arr)) throw new ScriptException(call.pos(), "poll takes an array of {fd=..., events=...}");
        long timeoutMs = num(a, 2, call);
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000L;
        return new Attempt() {
            @Override
            public SyscallResult tryNow(long t) {
                int ready = 0;
                StringBuilder mismatch = new StringBuilder();
                for (Expr e : arr.elements()) {
                    if (!(e instanceof Expr.Struct st)) throw new ScriptException(e.pos(), "expected {fd=..., events=...}");
                    Socket s = fds.get((int) field(st, "fd", "fd"));
                    long events = field(st, "events", "events");
                    long revents = s == null ? 0x20 : revents(s) & (events | 0x8 | 0x10);
                    if (revents != 0) ready++;
                    Expr want = fieldExpr(st, "revents");
                    if (want != null && eval(want) != revents) {
                        mismatch.append("fd ").append(s == null ? "?" : s.fd).append(" revents ").append(revents)
                                .append(" instead of ").append(Expr.text(want)).append(' ');
                    }
                }
                if (ready == 0 && t < deadline) return null;
                SyscallResult r = SyscallResult.ok(ready);
                return mismatch.isEmpty() ? r : r.withMismatch(mismatch.toString().trim());
            }

            @Override
            public long deadlineNs() {
                return deadline;
            }
        };
    }

    private static long revents(Socket s) {
        long r = 0;
        if (s.listener != null) return s.listener.acceptQueueLength() > 0 ? 0x1 : 0;
        TcpConnection c = s.connection;
        if (c == null) return 0x4 | 0x10;
        if (c.readable() > 0 || c.atEof()) r |= 0x1 | 0x40;
        if (c.atEof()) r |= 0x2000;
        if (c.state().isSynchronized() && c.writable() > 0) r |= 0x4 | 0x100;
        if (c.error() != null) r |= 0x8;
        if (c.state() == TcpState.CLOSED) r |= 0x10;
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // Arguments

    private Socket sock(Event.Syscall call, List<Expr> a, int i) {
        return fds.get((int) num(a, i, call));
    }

    private static long num(List<Expr> a, int i, Event.Syscall call) {
        if (i >= a.size()) throw new ScriptException(call.pos(), call.name() + " needs at least " + (i + 1) + " arguments");
        Expr e = a.get(i);
        if (e instanceof Expr.Ellipsis) return 0;
        return eval(e);
    }

    private static String symbol(List<Expr> a, int i, Event.Syscall call) {
        if (i < a.size() && a.get(i) instanceof Expr.Sym s) return s.name();
        throw new ScriptException(call.pos(), "argument " + (i + 1) + " of " + call.name() + " must be a name such as SO_RCVBUF");
    }

    private static long field(Expr.Struct st, String name, String alias) {
        Expr e = fieldExpr(st, name);
        if (e == null) e = fieldExpr(st, alias);
        if (e == null) throw new ScriptException(st.pos(), "missing field '" + name + "'");
        return eval(e);
    }

    private static Expr fieldExpr(Expr.Struct st, String name) {
        return st.field(name);
    }

    /** The integer value of an expression; names are Linux's constants and errno names. */
    static long eval(Expr e) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Sym s -> {
                Long v = Constants.value(s.name());
                if (v == null) throw new ScriptException(s.pos(), "unknown name '" + s.name() + "'");
                yield v;
            }
            case Expr.Or o -> {
                long v = 0;
                for (Expr t : o.terms()) v |= eval(t);
                yield v;
            }
            default -> throw new ScriptException(e.pos(), "expected a number, found " + Expr.text(e));
        };
    }
}
