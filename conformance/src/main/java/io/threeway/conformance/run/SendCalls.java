package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/**
 * write, send, sendto, sendmsg, writev and sendfile: the bytes a call hands the stack (the sum of its iovecs),
 * its flags (MSG_DONTWAIT for this call; MSG_FASTOPEN's implied connect, {@link FastOpenCalls}); MSG_EOR,
 * MSG_MORE and MSG_ZEROCOPY are accepted, and noted as not modelled by the stack yet. A NULL buffer fails with
 * EFAULT, as the kernel's copy from user memory does.
 */
final class SendCalls {
    private final Proc p;
    private final FastOpenCalls fastOpen;

    SendCalls(Proc p, SocketCalls sockets) {
        this.p = p;
        this.fastOpen = new FastOpenCalls(p, sockets, this);
    }

    /** A send-family call: its socket, its length, its flags and whether it names an address (sendto/sendmsg). */
    Attempt start(Event.Syscall call, long now) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        int len;
        long flags;
        boolean nullBuffer;
        switch (call.name()) {
            case "sendmsg" -> {
                Expr.Struct msg = msghdr(call);
                len = (int) Args.iovLength(msg.field("msg_iov"));
                flags = Args.num(call, 2, 0);
                nullBuffer = false;
            }
            case "writev" -> {
                len = (int) Args.iovLength(call.args().get(1));
                flags = 0;
                nullBuffer = false;
            }
            default -> {
                len = (int) Args.num(call, 2);
                flags = call.name().equals("write") ? 0 : Args.num(call, 3, 0);
                nullBuffer = Args.isNull(call, 1);
            }
        }
        if (s == null) return Attempt.done(SyscallResult.fail(p.fds.get((int) Args.num(call, 0)) == null ? "EBADF" : "ENOTSOCK"));
        noteFlags(flags);
        if (nullBuffer && len > 0 || len < 0) return Attempt.done(SyscallResult.fail("EFAULT")); // a size_t beyond any buffer
        boolean named = call.name().equals("sendmsg") || call.name().equals("sendto") && call.args().size() > 4;
        boolean unspec = call.name().equals("sendto") && call.args().size() > 4 && unspecified(call.args().get(4));
        return fastOpen.send(s, len, flags, named, unspec, now);
    }

    /** An address argument of family AF_UNSPEC: the name itself, or a sockaddr with sa_family=AF_UNSPEC. */
    private static boolean unspecified(Expr a) {
        if (a instanceof Expr.Sym sym) return sym.name().equals("AF_UNSPEC");
        return a instanceof Expr.Struct st && st.field("sa_family") instanceof Expr.Sym f && f.name().equals("AF_UNSPEC");
    }

    private static Expr.Struct msghdr(Event.Syscall call) {
        if (call.args().size() > 1 && call.args().get(1) instanceof Expr.Struct st && st.field("msg_iov") != null) return st;
        throw new ScriptException(call.pos(), call.name() + " takes a msghdr: {msg_name(...)=..., msg_iov(N)=[...], msg_flags=...}");
    }

    private void noteFlags(long flags) {
        if ((flags & Constants.MSG_ZEROCOPY) != 0) p.note("MSG_ZEROCOPY accepted; the data is copied and no completion is queued");
    }

    /** write() of {@code len} bytes, of which {@code already} are queued (by a connect with data). */
    Attempt write(Socket s, int len, long flags, int already) {
        int[] written = {already};
        boolean dontWait = (flags & Constants.MSG_DONTWAIT) != 0;
        return now -> {
            if (written[0] == len && len > 0) return SyscallResult.ok(len);
            TcpConnection c = s.connection;
            if (c == null) return SyscallResult.fail(Errno.EPIPE);
            Errno e = c.takeError();
            if (e != null) return SyscallResult.fail(e);
            if (c.writeClosed()) return written[0] > 0 ? SyscallResult.ok(written[0]) : SyscallResult.fail(Errno.EPIPE);
            if (waitsForConnect(c)) {
                if (s.nonBlocking || dontWait) return written[0] > 0 ? SyscallResult.ok(written[0]) : SyscallResult.fail(Errno.EAGAIN);
                c.writePending(true); // sk_stream_wait_connect counts the waiting writer (sk_write_pending)
                return null;
            }
            c.writePending(false);
            int n = Payloads.write(c, len - written[0], (flags & Constants.MSG_EOR) != 0, (flags & Constants.MSG_MORE) != 0, now);
            p.stack.userCallDone();
            written[0] += n;
            if (written[0] == len) return SyscallResult.ok(len);
            if (s.nonBlocking || dontWait) return written[0] > 0 ? SyscallResult.ok(written[0]) : SyscallResult.fail(Errno.EAGAIN);
            return null;
        };
    }

    /**
     * Linux's tcp_sendmsg_locked waits in sk_stream_wait_connect while the handshake is under way (SYN-SENT,
     * SYN-RECEIVED but for a passive Fast Open child); FreeBSD's sosend queues data on a connecting socket.
     */
    private boolean waitsForConnect(TcpConnection c) {
        if (p.bsd()) return false;
        return c.state() == TcpState.SYN_SENT || c.state() == TcpState.SYN_RECEIVED && !c.isFastOpenPassive();
    }

    /** sendfile(out, in, [offset], count): the file's bytes from the offset, sent as write() would. */
    Attempt sendfile(Event.Syscall call) {
        Socket s = p.fds.socket((int) Args.num(call, 0));
        Fd in = p.fds.get((int) Args.num(call, 1));
        if (s == null || in == null) return Attempt.done(SyscallResult.fail(Errno.EBADF));
        if (!(in instanceof Fd.File f)) return Attempt.done(SyscallResult.fail(Errno.EINVAL));
        Expr off = Args.pointee(call, 2);
        long offset = off == null ? f.offset : Args.eval(off);
        int count = (int) Math.max(0, Math.min(Args.num(call, 3), f.size - offset));
        if (count == 0) return Attempt.done(SyscallResult.ok(0));
        if (off == null) f.offset += count;
        return write(s, count, 0, 0);
    }

    /** The send buffer's size as getsockopt(SO_SNDBUF) reports it. */
    int sndBuf(Socket s) {
        return s.options.sndBuf > 0 ? s.options.sndBuf : p.stack.sysctls().get(Sysctl.TCP_WMEM, 1);
    }
}
