package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.ScriptException;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;

/** socket, bind, listen, accept, connect, close, shutdown and fcntl, with Linux's return values. */
final class SocketCalls {
    private final Proc p;

    SocketCalls(Proc p) {
        this.p = p;
    }

    /** socket(): a new socket, which becomes the socket under test (packetdrill's run_syscall_socket). */
    SyscallResult socket(Event.Syscall call) {
        Socket s = new Socket(p.profile.socketOptions());
        int fd = p.fds.add(s, call);
        p.sut = s;
        p.peer.newSocket(Peer.State.NEW);
        return SyscallResult.ok(fd);
    }

    SyscallResult bind(Socket s) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (s.boundPort != 0) return SyscallResult.fail(Errno.EINVAL);
        s.boundPort = Peer.SCRIPT_PORT;
        return SyscallResult.ok(0);
    }

    SyscallResult listen(Socket s, int backlog) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (s.connection != null) return SyscallResult.fail(Errno.EINVAL);
        if (s.listener != null) {
            s.listener.setBacklog(backlog);
            applyFastOpenQueue(s);
            return SyscallResult.ok(0);
        }
        try {
            int port = s.boundPort != 0 ? s.boundPort : Peer.SCRIPT_PORT;
            s.listener = p.stack.listen(p.peer.local.v6() ? IpAddress.ANY6 : IpAddress.ANY4, port, backlog, s.options, s.reuseAddress);
        } catch (TcpException e) {
            return SyscallResult.fail(e.errno());
        }
        applyFastOpenQueue(s);
        p.peer.state = Peer.State.LISTENING;
        p.peer.localPort = s.listener.port();
        return SyscallResult.ok(0);
    }

    /**
     * A listener's Fast Open queue from the socket's TCP_FASTOPEN: Linux's queue length capped at somaxconn
     * (fastopen_queue_tune); FreeBSD's flag, which allows half the backlog (tcp_fastopen.c).
     */
    void applyFastOpenQueue(Socket s) {
        if (s.listener == null) return;
        int limit;
        if (p.bsd()) {
            limit = s.fastOpen != 0 ? Math.max(1, s.listener.acceptQueueLimit() / 2) : 0;
        } else {
            limit = Math.min(s.fastOpen, p.stack.sysctls().get(Sysctl.SOMAXCONN));
        }
        s.listener.setFastOpenQueueLimit(limit);
    }

    Attempt accept(Event.Syscall call, Socket s) {
        if (s == null || s.listener == null) return Attempt.done(SyscallResult.fail(s == null ? Errno.EBADF : Errno.EINVAL));
        return now -> {
            TcpConnection c = s.listener.accept();
            if (c == null) return s.nonBlocking ? SyscallResult.fail(Errno.EAGAIN) : null;
            Socket child = new Socket(c.options()); // the connection's own options: setsockopt on the child reaches it
            child.connection = c;
            child.ssConnected = true; // inet_accept: newsock->state = SS_CONNECTED
            return SyscallResult.ok(p.fds.add(child, call));
        };
    }

    Attempt connect(Socket s, long now) {
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
        if (p.bsd() && s.fastOpen != 0) s.options.fastOpenConnect = true;
        if (s.options.fastOpenConnect && p.clientFastOpen() && p.stack.hasFastOpenCookie(p.peer.remote)) {
            // Linux's tcp_fastopen_defer_connect: with a cookie cached, connect() returns 0 at once and the SYN
            // waits for the first write, to carry its data.
            s.deferredConnect = true;
            return Attempt.done(SyscallResult.ok(0));
        }
        SyscallResult failed = open(s, null, 0, now);
        if (failed != null) return Attempt.done(failed);
        if (s.nonBlocking) return Attempt.done(SyscallResult.fail(Errno.EINPROGRESS));
        return whenConnected(s.connection, t -> {
            s.ssConnected = true;
            return SyscallResult.ok(0);
        });
    }

    /** Returns {@code then} once the handshake is done, or the error that ended it. */
    static Attempt whenConnected(TcpConnection c, Attempt then) {
        return t -> {
            if (!c.connectDone()) return null;
            if (!c.state().isSynchronized()) {
                Errno e = c.takeError();
                return SyscallResult.fail(e == null ? Errno.ECONNREFUSED : e);
            }
            return then.tryNow(t);
        };
    }

    /** The active open: a SYN, with {@code data} for it when Fast Open may carry some. Null, or the failure. */
    SyscallResult open(Socket s, byte[] data, int len, long now) {
        return open(s, data, len, false, now);
    }

    /** The active open; {@code synOnly}: the stack takes only what the SYN carries (Linux's MSG_FASTOPEN). */
    SyscallResult open(Socket s, byte[] data, int len, boolean synOnly, long now) {
        try {
            s.connection = data == null
                    ? p.stack.connect(p.peer.remote, Peer.SCRIPT_PORT, s.boundPort, s.options, now)
                    : p.stack.connect(p.peer.remote, Peer.SCRIPT_PORT, s.boundPort, s.options, data, 0, len, synOnly, now);
        } catch (TcpException e) {
            return SyscallResult.fail(e.errno());
        }
        s.deferredConnect = false;
        if (s.congestion != null) s.connection.changeCongestionControl(s.congestion, now);
        // A new connection: its ISN and timestamps are learned afresh from its SYN, as packetdrill does per socket.
        p.peer.newSocket(Peer.State.ACTIVE_SYN_SENT);
        p.stack.userCallDone();
        p.peer.localPort = s.connection.tuple().localPort();
        p.peer.remotePort = Peer.SCRIPT_PORT;
        return null;
    }

    SyscallResult close(Event.Syscall call, long now) {
        int fd = (int) Args.num(call, 0);
        Fd f = p.fds.remove(fd);
        if (f == null) return SyscallResult.fail(Errno.EBADF);
        if (f instanceof Socket s) {
            if (s.listener != null) p.stack.closeListener(s.listener, now);
            if (s.connection != null) s.connection.close(now);
            p.stack.userCallDone();
        }
        return SyscallResult.ok(0);
    }

    /** shutdown(): SHUT_WR sends the FIN; SHUT_RD makes reads return 0 (Linux keeps acknowledging what arrives). */
    SyscallResult shutdown(Socket s, int how, long now) {
        if (s == null) return SyscallResult.fail(Errno.EBADF);
        if (how < 0 || how > 2) return SyscallResult.fail(Errno.EINVAL);
        if (s.connection == null || !(s.connection.state().isSynchronized() || s.connection.state() == TcpState.SYN_SENT)) {
            return SyscallResult.fail(Errno.ENOTCONN);
        }
        if (how == 0 || how == 2) s.readShutdown = true;
        if (how == 1 || how == 2) s.connection.shutdownOutput(now);
        p.stack.userCallDone();
        return SyscallResult.ok(0);
    }

    SyscallResult fcntl(Event.Syscall call) {
        Fd f = p.fds.get((int) Args.num(call, 0));
        if (f == null) return SyscallResult.fail(Errno.EBADF);
        long cmd = Args.num(call, 1);
        boolean nonBlocking = f instanceof Socket s && s.nonBlocking;
        if (cmd == Constants.F_GETFL) return SyscallResult.ok(Constants.O_RDWR | (nonBlocking ? Constants.O_NONBLOCK : 0));
        if (cmd == Constants.F_SETFL) {
            if (f instanceof Socket s) s.nonBlocking = (Args.num(call, 2) & Constants.O_NONBLOCK) != 0;
            return SyscallResult.ok(0);
        }
        throw new ScriptException(call.pos(), "fcntl command " + cmd + " is not supported");
    }
}
