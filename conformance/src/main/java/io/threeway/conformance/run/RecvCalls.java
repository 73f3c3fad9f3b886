package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/**
 * read, recv, recvfrom, recvmsg, readv and splice from a socket: the bytes the stack has (the sum of the iovecs
 * at most), blocking or EAGAIN, 0 at the end of the stream, the pending error first; recvmsg's msg_flags and
 * TCP_INQ's control message (tcp_inq_hint: the bytes left, 1 once the FIN is in and nothing is left), compared
 * with what the script expects. A NULL buffer fails with EFAULT when there are bytes to copy.
 */
final class RecvCalls {
    private final Proc p;

    RecvCalls(Proc p) {
        this.p = p;
    }

    Attempt start(Event.Syscall call) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        if (s == null) return Attempt.done(SyscallResult.fail(p.fds.get((int) Args.num(call, 0)) == null ? "EBADF" : "ENOTSOCK"));
        Expr.Struct msg = call.name().equals("recvmsg") ? msghdr(call) : null;
        int len = switch (call.name()) {
            case "recvmsg" -> (int) Args.iovLength(msg.field("msg_iov"));
            case "readv" -> (int) Args.iovLength(call.args().get(1));
            default -> (int) Args.num(call, 2);
        };
        long flags = switch (call.name()) {
            case "recv", "recvfrom", "recvmsg" -> Args.num(call, msg != null ? 2 : 3, 0);
            default -> 0;
        };
        if ((flags & Constants.MSG_ERRQUEUE) != 0) return Attempt.done(SyscallResult.fail(Errno.EAGAIN)); // no error queue is kept
        boolean nullBuffer = msg == null && !call.name().equals("readv") && Args.isNull(call, 1);
        boolean nonBlocking = (flags & Constants.MSG_DONTWAIT) != 0;
        if (len < 0) return Attempt.done(SyscallResult.fail("EFAULT")); // a size_t beyond any buffer
        Attempt read = read(s, len, nonBlocking, nullBuffer, (flags & Constants.MSG_PEEK) != 0);
        return msg == null ? read : now -> {
            SyscallResult r = read.tryNow(now);
            return r == null ? null : checkMsg(s, msg, r);
        };
    }

    private static Expr.Struct msghdr(Event.Syscall call) {
        if (call.args().size() > 1 && call.args().get(1) instanceof Expr.Struct st && st.field("msg_iov") != null) return st;
        throw new ScriptException(call.pos(), "recvmsg takes a msghdr: {msg_name(...)=..., msg_iov(N)=[...], msg_flags=...}");
    }

    /** Reads up to {@code len} bytes; blocks (null) when there are none yet on a blocking socket. */
    /**
     * Reads up to {@code len} bytes ({@code peek}: counts them without taking them, MSG_PEEK; the runner never
     * looks at the bytes); blocks (null) when there are none yet on a blocking socket.
     */
    Attempt read(Socket s, int len, boolean dontWait, boolean nullBuffer, boolean peek) {
        return now -> {
            TcpConnection c = s.connection;
            if (c == null && s.deferredConnect) {
                // A TCP_FASTOPEN_CONNECT socket whose SYN waits for the first write is in SYN-SENT for Linux:
                // tcp_recvmsg waits for data, or says EAGAIN.
                return s.nonBlocking || dontWait ? SyscallResult.fail(Errno.EAGAIN) : null;
            }
            if (c == null) return SyscallResult.fail(Errno.ENOTCONN);
            if (nullBuffer && len > 0 && c.readable() > 0) return SyscallResult.fail("EFAULT");
            if (peek && c.readable() > 0) return SyscallResult.ok(Math.min(len, c.readable()));
            int n = len > 0 && !peek ? Payloads.read(c, len, now) : 0;
            p.stack.userCallDone();
            if (n > 0) return SyscallResult.ok(n);
            if (n < 0) return SyscallResult.ok(0);
            Errno e = c.takeError();
            if (e != null) return SyscallResult.fail(e);
            if (c.state() == TcpState.CLOSED || s.readShutdown || len == 0) return SyscallResult.ok(0);
            return s.nonBlocking || dontWait ? SyscallResult.fail(Errno.EAGAIN) : null;
        };
    }

    /** recvmsg's outputs: msg_flags (none is ever set here) and the TCP_CM_INQ control message. */
    private SyscallResult checkMsg(Socket s, Expr.Struct msg, SyscallResult r) {
        String flags = Args.compareOut("msg_flags", 0, msg.field("msg_flags"));
        if (flags != null) r = r.withMismatch(flags);
        Expr control = msg.field("msg_control");
        int wanted = control instanceof Expr.Array a ? a.elements().size() : 0;
        if (!s.inq) {
            return wanted == 0 || r.value() < 0 ? r : r.withMismatch("no control message (TCP_INQ is off), the script expected " + Expr.text(control));
        }
        if (r.value() < 0) return r;
        long inq = inqHint(s.connection);
        if (wanted != 1 || !(((Expr.Array) control).elements().get(0) instanceof Expr.Struct cmsg)) {
            return r.withMismatch("a TCP_CM_INQ control message of " + inq + ", the script expected " + (control == null ? "none" : Expr.text(control)));
        }
        String level = Args.compareOut("cmsg_level", Constants.value("SOL_TCP"), cmsg.field("cmsg_level"));
        String type = Args.compareOut("cmsg_type", Constants.value("TCP_CM_INQ"), cmsg.field("cmsg_type"));
        String data = Args.compareOut("TCP_CM_INQ", inq, cmsg.field("cmsg_data"));
        for (String m : new String[] {level, type, data}) if (m != null) r = r.withMismatch(m);
        return r;
    }

    /** Linux's tcp_inq_hint: the bytes left to read, or 1 when none are left but the FIN has arrived. */
    static long inqHint(TcpConnection c) {
        if (c == null) return 0;
        long inq = c.readable();
        return inq == 0 && finReceived(c) ? 1 : inq;
    }

    /** Whether the peer's FIN has arrived (RCV_SHUTDOWN). */
    static boolean finReceived(TcpConnection c) {
        return c.atEof() || switch (c.state()) {
            case CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT -> true;
            default -> false;
        };
    }
}
