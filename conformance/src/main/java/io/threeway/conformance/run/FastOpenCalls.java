package io.threeway.conformance.run;

import io.threeway.tcp.FastOpen;
import io.threeway.tcp.TcpInfo;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/**
 * The send path's connects: Linux's sendto()/sendmsg() with MSG_FASTOPEN (tcp_sendmsg_fastopen: the data goes in
 * the SYN when a cookie is cached; a non-blocking call returns the bytes in the SYN or EINPROGRESS, a blocking one
 * waits for the handshake and writes the rest; EOPNOTSUPP without the client bit), the first write after a
 * TCP_FASTOPEN_CONNECT connect (tcp_fastopen_defer_connect), and FreeBSD's implied connect of sendto() with an
 * address (PR_IMPLOPCL), a Fast Open one when TCP_FASTOPEN is on.
 */
final class FastOpenCalls {
    private final Proc p;
    private final SocketCalls sockets;
    private final SendCalls send;

    FastOpenCalls(Proc p, SocketCalls sockets, SendCalls send) {
        this.p = p;
        this.sockets = sockets;
        this.send = send;
    }

    /**
     * A send of {@code len} bytes; {@code named}: the call gives an address (sendto with one, sendmsg);
     * {@code unspecAddress}: that address is AF_UNSPEC, which tcp_sendmsg_fastopen refuses with EOPNOTSUPP.
     */
    Attempt send(Socket s, int len, long flags, boolean named, boolean unspecAddress, long now) {
        boolean fastOpenFlag = (flags & Constants.MSG_FASTOPEN) != 0;
        boolean nonBlocking = s.nonBlocking || (flags & Constants.MSG_DONTWAIT) != 0;
        if (s.listener != null) return Attempt.done(SyscallResult.fail(Errno.EPIPE)); // sk_stream_wait_connect on a listener
        if (s.connection != null) {
            if (fastOpenFlag && !p.bsd()) {
                // __inet_stream_connect: a connect under way is EALREADY, an SS_CONNECTED socket EISCONN; one still
                // SS_CONNECTING whose handshake completed becomes SS_CONNECTED and the data goes as for send().
                TcpState st = s.connection.state();
                if (st == TcpState.SYN_SENT) return Attempt.done(SyscallResult.fail(Errno.EALREADY));
                if (s.ssConnected || !st.isSynchronized()) return Attempt.done(SyscallResult.fail(Errno.EISCONN));
                s.ssConnected = true;
            }
            return send.write(s, len, flags, 0);
        }
        if (s.deferredConnect) return deferred(s, len, nonBlocking, flags, now);
        boolean implied = p.bsd() ? named : fastOpenFlag;
        if (!implied) return send.write(s, len, flags, 0);
        if (!p.bsd() && unspecAddress) return Attempt.done(SyscallResult.fail(Errno.EOPNOTSUPP));
        boolean fastOpen = !p.bsd() || s.fastOpen != 0;
        if (fastOpen && !p.clientFastOpen()) {
            if (!p.bsd()) return Attempt.done(SyscallResult.fail(Errno.EOPNOTSUPP)); // tcp_sendmsg_fastopen without TFO_CLIENT_ENABLE
            fastOpen = false;                                                         // tcp_fastopen_connect clears TF_FASTOPEN
        }
        if (!p.bsd() && !p.stack.hasFastOpenCookie(p.peer.remote) && (p.stack.sysctls().get(Sysctl.TCP_FASTOPEN) & FastOpen.CLIENT_NO_COOKIE) == 0) {
            return cookieRequest(s, len, flags, nonBlocking, now);
        }
        // MSG_FASTOPEN makes the connect a Fast Open one even with no data (tcp_sendmsg_fastopen sets up
        // fastopen_req, so the SYN carries the cached cookie), as TCP_FASTOPEN_CONNECT does for the stack.
        boolean was = s.options.fastOpenConnect;
        if (fastOpen) s.options.fastOpenConnect = true;
        // Linux's tcp_sendmsg_fastopen: the connect takes only what the SYN carries (fastopen_req->copied).
        SyscallResult failed = sockets.open(s, fastOpen ? Payloads.synData(len) : null, Payloads.synData(len).length, !p.bsd(), now);
        s.options.fastOpenConnect = was;
        if (failed != null) return Attempt.done(failed);
        TcpConnection c = s.connection;
        int queued = fastOpen ? c.sendQueue() : 0;
        if (p.bsd()) return send.write(s, len, flags, queued);
        return afterSynWithData(c, s, len, flags, nonBlocking, queued);
    }

    /**
     * Linux's tcp_send_syn_data without a cookie: the SYN only asks for one and takes none of the data, which a
     * non-blocking call leaves to the application (EINPROGRESS) and a blocking one writes once the handshake is done.
     */
    private Attempt cookieRequest(Socket s, int len, long flags, boolean nonBlocking, long now) {
        boolean was = s.options.fastOpenConnect;
        s.options.fastOpenConnect = true;
        SyscallResult failed = sockets.open(s, null, 0, now);
        s.options.fastOpenConnect = was;
        if (failed != null) return Attempt.done(failed);
        if (nonBlocking) return Attempt.done(SyscallResult.fail(Errno.EINPROGRESS));
        if (len > 0) s.connection.writePending(true); // inet_wait_for_connect with fastopen_req->data left
        return connectedThen(s, send.write(s, len, flags, 0));
    }

    /** The first write after a deferred connect: the SYN goes out now, with the data. */
    private Attempt deferred(Socket s, int len, boolean nonBlocking, long flags, long now) {
        SyscallResult failed = sockets.open(s, Payloads.synData(len), Payloads.synData(len).length, !p.bsd(), now);
        if (failed != null) return Attempt.done(failed);
        return afterSynWithData(s.connection, s, len, flags, nonBlocking, s.connection.sendQueue());
    }

    /** A non-blocking call returns what the SYN carries (or EINPROGRESS); a blocking one waits and writes the rest. */
    private Attempt afterSynWithData(TcpConnection c, Socket s, int len, long flags, boolean nonBlocking, int queued) {
        if (nonBlocking) {
            TcpInfo info = c.info(0);
            int inSyn = info.sndNxt() - (info.iss() + 1); // what the SYN carried
            return Attempt.done(inSyn > 0 ? SyscallResult.ok(inSyn) : SyscallResult.fail(Errno.EINPROGRESS));
        }
        if (len > queued) c.writePending(true); // inet_wait_for_connect with fastopen_req->data left (sk_write_pending)
        return connectedThen(s, send.write(s, len, flags, queued));
    }

    /** A blocking call waits in __inet_stream_connect, which leaves the socket SS_CONNECTED; then {@code then}. */
    private static Attempt connectedThen(Socket s, Attempt then) {
        return SocketCalls.whenConnected(s.connection, t -> {
            s.ssConnected = true;
            return then.tryNow(t);
        });
    }
}
