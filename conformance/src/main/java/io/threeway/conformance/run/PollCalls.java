package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * poll, epoll_create, epoll_ctl and epoll_wait over the sockets, with readiness as Linux's tcp_poll computes it.
 * Edge-triggered epoll reports a socket again only after a new wakeup: here, a change in what the socket has
 * received, its state or its accept queue (the events whose sk_data_ready / sk_state_change would fire).
 */
final class PollCalls {
    private final Proc p;

    PollCalls(Proc p) {
        this.p = p;
    }

    /** Linux's tcp_poll (and inet_csk_listen_poll for a listener). */
    static long revents(Socket s) {
        if (s.listener != null) return s.listener.acceptQueueLength() > 0 ? Poll.POLLIN | Poll.POLLRDNORM : 0;
        TcpConnection c = s.connection;
        if (c == null) return s.deferredConnect ? Poll.POLLOUT | Poll.POLLWRNORM : Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP;
        long mask = 0;
        TcpState st = c.state();
        // tcp_done (a reset, a timeout, the end of a close) sets sk_shutdown to SHUTDOWN_MASK: a closed socket is
        // shut both ways, so poll reports it readable (a read returns at once) as well as hung up.
        boolean closed = st == TcpState.CLOSED;
        boolean rcvShutdown = RecvCalls.finReceived(c) || s.readShutdown || closed;
        boolean sendShutdown = c.writeClosed() || closed;
        if (rcvShutdown && sendShutdown) mask |= Poll.POLLHUP;
        if (rcvShutdown) mask |= Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDHUP;
        if (st != TcpState.SYN_SENT && (st != TcpState.SYN_RECEIVED || c.isFastOpenPassive())) {
            if (c.readable() > 0) mask |= Poll.POLLIN | Poll.POLLRDNORM;
            if (sendShutdown || c.writable() > 0) mask |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        if (c.error() != null) mask |= Poll.POLLERR;
        return mask;
    }

    /** What stands for a socket's wakeups: it changes whenever Linux would wake its waiters for input or state. */
    static long wakeups(Socket s) {
        if (s.listener != null) return s.listener.acceptQueueLength();
        TcpConnection c = s.connection;
        if (c == null) return s.deferredConnect ? 1 : 0;
        return c.info(0).bytesReceived() * 31 + c.state().ordinal() * 7 + (c.error() == null ? 0 : c.error().ordinal() + 1);
    }

    Attempt poll(Event.Syscall call, long now) {
        if (!(call.args().get(0) instanceof Expr.Array arr)) throw new ScriptException(call.pos(), "poll takes an array of {fd=..., events=...}");
        long timeoutMs = Args.num(call, 2);
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000L;
        return new Attempt() {
            @Override
            public SyscallResult tryNow(long t) {
                int ready = 0;
                List<String> mismatch = new ArrayList<>();
                for (Expr e : arr.elements()) {
                    if (!(e instanceof Expr.Struct st)) throw new ScriptException(e.pos(), "expected {fd=..., events=...}");
                    int fd = (int) Args.field(st, "fd");
                    long events = Args.field(st, "events");
                    long revents = p.fds.get(fd) instanceof Socket s ? revents(s) & (events | Poll.POLLERR | Poll.POLLHUP) : Poll.POLLNVAL;
                    if (revents != 0) ready++;
                    String m = Args.compareOut("fd " + fd + " revents", revents, st.field("revents"));
                    if (m != null) mismatch.add(m);
                }
                if (ready == 0 && t < deadline) return null;
                SyscallResult r = SyscallResult.ok(ready);
                return mismatch.isEmpty() ? r : r.withMismatch(String.join("; ", mismatch));
            }

            @Override
            public long deadlineNs() {
                return deadline;
            }
        };
    }

    SyscallResult create(Event.Syscall call) {
        if (Args.num(call, 0, 1) <= 0 && call.name().equals("epoll_create")) return SyscallResult.fail(Errno.EINVAL);
        return SyscallResult.ok(p.fds.add(new Fd.Epoll(), call));
    }

    /** epoll_ctl(epfd, op, fd, {events=..., fd=...}). */
    SyscallResult ctl(Event.Syscall call) {
        if (!(p.fds.get((int) Args.num(call, 0)) instanceof Fd.Epoll ep)) return SyscallResult.fail(Errno.EBADF);
        long op = Args.num(call, 1);
        int fd = (int) Args.num(call, 2);
        if (p.fds.get(fd) == null) return SyscallResult.fail(Errno.EBADF);
        boolean present = ep.watched.containsKey(fd);
        if (op == Constants.value("EPOLL_CTL_DEL")) {
            if (!present) return SyscallResult.fail("ENOENT");
            ep.watched.remove(fd);
            ep.lastWakeup.remove(fd);
            return SyscallResult.ok(0);
        }
        if (!(call.args().get(3) instanceof Expr.Struct ev)) throw new ScriptException(call.pos(), "epoll_ctl takes {events=..., fd=...}");
        if (op == Constants.value("EPOLL_CTL_ADD") && present) return SyscallResult.fail("EEXIST");
        if (op == Constants.value("EPOLL_CTL_MOD") && !present) return SyscallResult.fail("ENOENT");
        ep.watched.put(fd, Args.field(ev, "events"));
        ep.lastWakeup.put(fd, -1L); // ep_insert / ep_modify: report at once if ready
        Expr data = ev.elements().size() > 1 && ev.elements().get(1) instanceof Expr.Assign a ? a.value() : null;
        ep.data.put(fd, data == null ? fd : Args.eval(data));
        return SyscallResult.ok(0);
    }

    /** epoll_wait(epfd, expected events, maxevents, timeout): the ready fds, compared with the script's one event. */
    Attempt wait(Event.Syscall call, long now) {
        if (!(p.fds.get((int) Args.num(call, 0)) instanceof Fd.Epoll ep)) return Attempt.done(SyscallResult.fail(Errno.EBADF));
        int max = (int) Args.num(call, 2);
        long timeoutMs = Args.num(call, 3);
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000L;
        Expr expected = call.args().get(1);
        return new Attempt() {
            @Override
            public SyscallResult tryNow(long t) {
                List<long[]> ready = ready(ep, max);
                if (ready.isEmpty() && t < deadline) return null;
                SyscallResult r = SyscallResult.ok(ready.size());
                String m = compare(expected, ready);
                return m == null ? r : r.withMismatch(m);
            }

            @Override
            public long deadlineNs() {
                return deadline;
            }
        };
    }

    /** The ready descriptors as {fd, events, data}; edge-triggered ones are consumed until their next wakeup. */
    private List<long[]> ready(Fd.Epoll ep, int max) {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Integer, Long> w : ep.watched.entrySet()) {
            if (out.size() >= max) break;
            int fd = w.getKey();
            long events = w.getValue();
            if (!(p.fds.get(fd) instanceof Socket s)) continue;
            long mask = revents(s) & (events | Poll.POLLERR | Poll.POLLHUP);
            long wake = wakeups(s);
            boolean edge = (events & Constants.EPOLLET) != 0;
            if (mask == 0 || edge && ep.lastWakeup.get(fd) == wake) continue;
            if (edge) ep.lastWakeup.put(fd, wake);
            if ((events & Constants.EPOLLONESHOT) != 0) ep.watched.put(fd, 0L);
            out.add(new long[] {fd, mask, ep.data.get(fd)});
        }
        return out;
    }

    /** The script writes one epoll_event ({@code {events=..., fd=...}}), the first one returned. */
    private static String compare(Expr expected, List<long[]> ready) {
        if (!(expected instanceof Expr.Struct st)) return null;
        long events = ready.isEmpty() ? 0 : ready.get(0)[1];
        String m = Args.compareOut("events", events, st.field("events"));
        if (m != null || ready.isEmpty()) return m;
        Expr data = st.elements().size() > 1 && st.elements().get(1) instanceof Expr.Assign a ? a.value() : null;
        return Args.compareOut(st.elements().size() > 1 ? ((Expr.Assign) st.elements().get(1)).name() : "data", ready.get(0)[2], data);
    }
}
