package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;

/**
 * The calls around the sockets: pipe, open (of a file the script's commands made), splice between a socket and a
 * pipe, and ioctl's queue sizes (SIOCINQ/FIONREAD, SIOCOUTQ, SIOCOUTQNSD).
 */
final class FileCalls {
    private final Proc p;
    private final RecvCalls recv;
    private final SendCalls send;

    FileCalls(Proc p, RecvCalls recv, SendCalls send) {
        this.p = p;
        this.recv = recv;
        this.send = send;
    }

    /** pipe([r, w]): the two ends under the numbers the script names. */
    SyscallResult pipe(Event.Syscall call) {
        long[] shared = new long[1];
        int[] want = {-1, -1};
        if (call.args().get(0) instanceof Expr.Array a && a.elements().size() == 2) {
            for (int k = 0; k < 2; k++) if (a.elements().get(k) instanceof Expr.Num n) want[k] = (int) n.value();
        }
        p.fds.add(new Fd.Pipe(shared, true), want[0]);
        p.fds.add(new Fd.Pipe(shared, false), want[1]);
        return SyscallResult.ok(0);
    }

    /** open(path, flags): a file the script's commands made ({@code dd ... of=path}), else ENOENT. */
    SyscallResult open(Event.Syscall call) {
        if (!(call.args().get(0) instanceof Expr.Str path)) throw new ScriptException(call.pos(), "open takes a path in quotes");
        Long size = p.files.get(path.value());
        if (size == null) return SyscallResult.fail("ENOENT");
        return SyscallResult.ok(p.fds.add(new Fd.File(path.value(), size), call));
    }

    /** splice(in, off, out, off, len, flags): socket to pipe (a read), or pipe to socket (a write). */
    Attempt splice(Event.Syscall call) {
        Fd in = p.fds.get((int) Args.num(call, 0));
        Fd out = p.fds.get((int) Args.num(call, 2));
        int len = (int) Args.num(call, 4);
        if (in == null || out == null) return Attempt.done(SyscallResult.fail(Errno.EBADF));
        if (in instanceof Socket s && out instanceof Fd.Pipe pipe && !pipe.readEnd) {
            Attempt read = recv.read(s, len, (Args.num(call, 5) & 2) != 0, false, false);
            return now -> {
                SyscallResult r = read.tryNow(now);
                if (r != null && r.value() > 0) pipe.buffered[0] += r.value();
                return r;
            };
        }
        if (in instanceof Fd.Pipe pipe && pipe.readEnd && out instanceof Socket s) {
            int n = (int) Math.min(len, pipe.buffered[0]);
            pipe.buffered[0] -= n;
            return n == 0 ? Attempt.done(SyscallResult.ok(0)) : send.write(s, n, 0, 0);
        }
        return Attempt.done(SyscallResult.fail(Errno.EINVAL));
    }

    /** ioctl(fd, SIOCINQ | SIOCOUTQ | SIOCOUTQNSD, [n]): the queue size, compared with the script's value. */
    SyscallResult ioctl(Event.Syscall call) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        if (s == null) return SyscallResult.fail(p.fds.get((int) Args.num(call, 0)) == null ? "EBADF" : "ENOTTY");
        String request = Args.symbol(call, 1);
        TcpConnection c = s.connection;
        if (s.listener != null) return SyscallResult.fail(Errno.EINVAL); // tcp_ioctl on a listener
        long value = switch (request) {
            case "SIOCINQ", "FIONREAD" -> c == null ? 0 : c.readable();
            case "SIOCOUTQ", "TIOCOUTQ" -> c == null ? 0 : c.sendQueue();
            case "SIOCOUTQNSD" -> c == null ? 0 : c.notSent();
            default -> Long.MIN_VALUE;
        };
        if (value == Long.MIN_VALUE) return SyscallResult.fail("ENOTTY");
        String m = Args.compareOut(request, value, Args.pointee(call, 2));
        return m == null ? SyscallResult.ok(0) : SyscallResult.ok(0).withMismatch(m);
    }
}
