package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.host.Stack;
import io.threeway.tcp.TcpConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The script's process: a file descriptor table and the system calls, mapped onto the stack's API with Linux's
 * return values and errno names. Each call gives an {@link Attempt}: non-blocking sockets answer at once
 * (EAGAIN, EINPROGRESS), blocking ones wait in virtual time until the stack lets them return. The calls live in
 * {@link SocketCalls}, {@link SendCalls}, {@link RecvCalls}, {@link SockOpts}, {@link PollCalls} and
 * {@link FileCalls}.
 */
final class Syscalls {
    /** Calls whose result is a new descriptor: packetdrill checks only that it is not negative (CHECK_FD). */
    private static final Set<String> FD_RESULTS = Set.of("socket", "accept", "accept4", "epoll_create", "epoll_create1", "open");

    private final Proc p;
    private final SocketCalls sockets;
    private final SendCalls send;
    private final RecvCalls recv;
    private final SockOpts opts;
    private final PollCalls poll;
    private final FileCalls files;

    Syscalls(Stack stack, Peer peer, Profile profile, Map<String, Long> files, List<String> notes) {
        this.p = new Proc(stack, peer, profile, files, notes);
        this.sockets = new SocketCalls(p);
        this.send = new SendCalls(p, sockets);
        this.recv = new RecvCalls(p);
        this.opts = new SockOpts(p, sockets);
        this.poll = new PollCalls(p);
        this.files = new FileCalls(p, recv, send);
    }

    /** Starts a call; throws ScriptException for a call or argument the runner does not know. */
    Attempt start(Event.Syscall call, long now) {
        return switch (call.name()) {
            case "socket" -> Attempt.done(sockets.socket(call));
            case "bind" -> Attempt.done(sockets.bind(socket(call)));
            case "listen" -> Attempt.done(sockets.listen(socket(call), (int) Args.num(call, 1)));
            case "accept", "accept4" -> sockets.accept(call, socket(call));
            case "connect" -> sockets.connect(socket(call), now);
            case "read", "recv", "recvfrom", "recvmsg", "readv" -> recv.start(call);
            case "write", "send", "sendto", "sendmsg", "writev" -> send.start(call, now);
            case "sendfile" -> send.sendfile(call);
            case "close" -> Attempt.done(sockets.close(call, now));
            case "shutdown" -> Attempt.done(sockets.shutdown(socket(call), (int) Args.num(call, 1), now));
            case "fcntl" -> Attempt.done(sockets.fcntl(call));
            case "setsockopt" -> Attempt.done(opts.set(call, now));
            case "getsockopt" -> Attempt.done(opts.get(call));
            case "poll" -> poll.poll(call, now);
            case "epoll_create", "epoll_create1" -> Attempt.done(poll.create(call));
            case "epoll_ctl" -> Attempt.done(poll.ctl(call));
            case "epoll_wait" -> poll.wait(call, now);
            case "pipe" -> Attempt.done(files.pipe(call));
            case "open" -> Attempt.done(files.open(call));
            case "splice" -> files.splice(call);
            case "ioctl" -> Attempt.done(files.ioctl(call));
            default -> throw new ScriptException(call.pos(), "system call '" + call.name() + "' is not supported");
        };
    }

    private Socket socket(Event.Syscall call) {
        return p.fds.socket((int) Args.num(call, 0));
    }

    /** Whether a call's result is what the line expects: equal, anything for {@code ...}, any fd for an fd. */
    static boolean resultMatches(Event.Syscall c, SyscallResult r) {
        if (c.result() instanceof Expr.Ellipsis) return true;
        long want = Args.eval(c.result());
        if (FD_RESULTS.contains(c.name()) && want >= 0) return r.value() >= 0;
        return want == r.value();
    }

    /** The socket under test as TCP_INFO sees it: its connection, or none (then listening or not). */
    record UnderTest(TcpConnection connection, boolean listening) { }

    /**
     * The socket under test, for TCP_INFO: the connection with the peer's four-tuple (a passive child before
     * accept() too), else the last socket() made, listening or unconnected; null before any socket().
     */
    UnderTest underTest() {
        if (p.peer.state != Peer.State.LISTENING && p.peer.state != Peer.State.NEW) {
            for (TcpConnection c : p.stack.connections()) {
                if (c.tuple().localPort() == p.peer.localPort && c.tuple().remotePort() == p.peer.remotePort) return new UnderTest(c, false);
            }
        }
        Socket s = p.sut;
        if (s == null) return null;
        if (s.connection != null) return new UnderTest(s.connection, false);
        return new UnderTest(null, s.listener != null);
    }
}
