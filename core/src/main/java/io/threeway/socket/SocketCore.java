package io.threeway.socket;

import io.threeway.host.Interface;
import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.Errno;
import io.threeway.tcp.FastOpen;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One TCP socket of a stack (Linux's {@code struct socket} with its {@code inet_sock}): a connection
 * ({@link TcpConnection}) or a listener ({@link Listener}), its options, its shutdown flags and its
 * {@link WaitQueue}. Both faces of the socket API sit on it: {@link ThreewaySocketImpl} for {@code java.net}'s
 * blocking sockets and the NIO channels ({@link ThreewaySocketChannel}, {@link ThreewayServerSocketChannel}),
 * in blocking or non-blocking mode.
 *
 * <p>Every operation takes a deadline in the runtime's clock: {@link #NONBLOCKING} tries once (a non-blocking
 * channel, Linux's {@code O_NONBLOCK}), {@code Long.MAX_VALUE} waits as long as it takes, anything else waits
 * until then (SO_TIMEOUT, a connect timeout), as Linux's {@code sock_rcvtimeo}/{@code sock_sndtimeo} bound
 * {@code tcp_recvmsg} and {@code tcp_sendmsg}. A wait sits on the socket's queue, so in the simulator it
 * parks the application thread and lets virtual time move.
 *
 * <p>Errors are the JDK's own classes and messages (see {@link SocketErrors}); a wait ended by this socket's
 * close throws {@link Closed}, a wait ended by an interrupt throws {@link Interrupted}, so that each face can
 * report them its own way.
 */
final class SocketCore {
    /** The deadline of a call that must not wait. */
    static final long NONBLOCKING = Long.MIN_VALUE;

    /** The sockets of the stack. */
    final ThreewaySockets sockets;
    /** The stack. */
    final Stack stack;
    /** How calls wait. */
    final SocketRuntime runtime;
    /** Whether this is a listening socket (a server socket or server socket channel). */
    final boolean server;
    /** The options. */
    final SocketSettings settings;
    /** The threads (and selectors) waiting on this socket; the stack's events on it wake them. */
    final WaitQueue waiters = new WaitQueue();
    /** {@link #waiters} as the runtime's array of queues, made once (a wait allocates nothing). */
    private final WaitQueue[] waitersOnly = {waiters};

    // Guarded by the runtime's exclusive access.
    /** The connection, once connecting or accepted. */
    private TcpConnection conn;
    /**
     * connect() returned without sending a SYN (TCP_FASTOPEN_CONNECT with a Fast Open cookie cached, Linux's
     * DEFER_CONNECT): the peer, until the first write sends the SYN with its data. Null otherwise.
     */
    private volatile InetSocketAddress deferredPeer;
    /** The listener, once listening. */
    private Listener listener;
    /** The address bound, or null. */
    private IpAddress boundAddress;
    /** The port bound (0: an ephemeral one). */
    private int boundPort;
    /** shutdown(SHUT_RD) was called. */
    private boolean inputShut;
    /** shutdown(SHUT_WR) was called. */
    private boolean outputShut;
    /** A read saw ECONNRESET: every later read fails the same way (NioSocketImpl's connectionReset). */
    private boolean resetSeen;
    /** close() was called. */
    private volatile boolean closed;

    SocketCore(ThreewaySockets sockets, boolean server) {
        this.sockets = sockets;
        this.stack = sockets.stack();
        this.runtime = sockets.runtime();
        this.server = server;
        this.settings = new SocketSettings(stack.sysctls());
        this.readFirst = new Transfer(this::readFirst, stack);
        this.reader = new Transfer(this::readSome, stack);
        this.writeFirst = new Transfer(this::writeFirst, stack);
        this.writer = new Transfer(this::writeSome, stack);
    }

    // The read and write loops' steps and conditions, made once (see Transfer): no allocation per call.
    /** read()'s first step: the check, and the read itself when it need not wait (one lock, not three). */
    private final Transfer readFirst;
    /** read()'s copy out of the receive buffer. */
    private final Transfer reader;
    /** write()'s first step: the check, and the write itself when it need not wait. */
    private final Transfer writeFirst;
    /** A first step's result: the socket is not connected yet (a deferred connect). */
    private static final int NOT_CONNECTED = Integer.MIN_VALUE;
    /** A first step's result: the call must wait (or the socket is closed): the loop takes over. */
    private static final int NOT_READY = Integer.MIN_VALUE + 1;
    /** write()'s copy into the send buffer. */
    private final Transfer writer;
    /** What a blocked read waits for. */
    private final BooleanSupplier readReady = this::readReady;
    /** What a blocked write waits for. */
    private final BooleanSupplier writeReady = this::writeReady;

    /** A wait on this socket ended because the socket was closed (by this thread or another). */
    static final class Closed extends SocketException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("Socket closed");
        }
    }

    /** A wait on this socket ended because the waiting thread was interrupted (its status is set again). */
    static final class Interrupted extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedException cause) {
            super("interrupted while blocked in a socket call");
            initCause(cause);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // State, read with exclusive access (or racily, for toString)

    TcpConnection connection() { return conn; }

    Listener listener() { return listener; }

    boolean isClosed() { return closed; }

    boolean inputShut() { return inputShut; }

    boolean outputShut() { return outputShut; }

    /** Connecting, connected or accepted (including a connect deferred by TCP_FASTOPEN_CONNECT). */
    boolean hasConnection() {
        return conn != null || deferredPeer != null;
    }

    /** The port bound before a listen or connect (0 for none or an ephemeral one). */
    int boundPort() { return boundPort; }

    /** The address bound before a listen or connect, or null. */
    IpAddress boundAddress() { return boundAddress; }

    /** The peer a deferred connect will reach, or null. */
    InetSocketAddress deferredPeer() { return deferredPeer; }

    // ------------------------------------------------------------------------------------------------
    // Set-up

    /**
     * bind(2). For a listener it only records the address: {@link #listen} makes the stack's listener. For a
     * connection it fixes the local port connect() uses. Binding an address the stack does not have fails with
     * EADDRNOTAVAIL, as in Linux's inet_bind.
     */
    void bind(IpAddress a, int port) throws SocketException {
        call(() -> {
            ensureOpen();
            if (boundAddress != null || conn != null || listener != null) throw new SocketException("Already bound");
            if (!a.isAny() && stack.interfaces().stream().map(Interface::address).noneMatch(a::equals)) {
                throw new BindException(Errno.EADDRNOTAVAIL.message());
            }
            boundAddress = a;
            boundPort = port;
            return null;
        });
    }

    /**
     * listen(2): the stack's listener on the bound address and port, with an accept queue of
     * min(backlog, net.core.somaxconn). A second call changes the backlog.
     */
    Listener listen(int backlog) throws SocketException {
        return call(() -> {
            ensureOpen();
            if (listener != null) {
                listener.setBacklog(backlog);
                return listener;
            }
            IpAddress a = boundAddress != null ? boundAddress : IpAddress.ANY6;
            listener = stack.listen(a, boundPort, backlog, settings.connectionOptions(), settings.reuseAddress());
            listener.setFastOpenQueueLimit(settings.fastOpenQueueLimit());
            listener.setDeferAcceptSeconds(settings.deferAcceptSeconds());
            sockets.register(listener, waiters);
            return listener;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Connecting

    /**
     * The first half of connect(2): the SYN leaves, or, with TCP_FASTOPEN_CONNECT and a SYN that could carry data,
     * nothing is sent and the first write connects (returns null then). Wait for the outcome with
     * {@link #finishConnect}.
     */
    TcpConnection startConnect(InetSocketAddress isa) throws SocketException {
        IpAddress remote = IpAddress.of(isa.getAddress());
        int remotePort = isa.getPort();
        return call(() -> {
            ensureOpen();
            if (conn != null || deferredPeer != null) throw new SocketException("Already connected");
            if (server) throw new SocketException("Listening socket cannot connect");
            if (synCouldCarryData(remote)) {
                deferredPeer = isa;
                return null;
            }
            conn = stack.connect(remote, remotePort, boundPort, settings.connectionOptions(), runtime.now());
            sockets.register(conn, waiters);
            return conn;
        });
    }

    /**
     * Linux's tcp_fastopen_defer_connect: TCP_FASTOPEN_CONNECT holds the SYN back for the first write when that
     * SYN could carry the write's data, that is with tcp_fastopen's client bit and either a cookie cached for
     * {@code remote} or the bit for data without a cookie (tcp_fastopen_cookie_check). Otherwise connect()
     * goes ahead and its SYN asks for a cookie.
     */
    private boolean synCouldCarryData(IpAddress remote) {
        if (!settings.connectionOptions().fastOpenConnect) return false;
        int mode = stack.sysctls().get(Sysctl.TCP_FASTOPEN);
        if ((mode & FastOpen.CLIENT) == 0) return false;
        return stack.hasFastOpenCookie(remote) || (mode & FastOpen.CLIENT_NO_COOKIE) != 0;
    }

    /**
     * The connect that TCP_FASTOPEN_CONNECT deferred, made by the first call that needs a connection: the SYN
     * leaves now, with {@code b[off, off+len)} queued first so that it rides in the SYN (as much as fits; the
     * rest follows the handshake), as Linux's tcp_sendmsg_fastopen does. {@code b} may be null for a SYN
     * without data. Returns how many bytes it queued, or -1 if no connect was deferred.
     */
    int connectDeferred(byte[] b, int off, int len) throws SocketException {
        if (deferredPeer == null) return -1; // the common case, without a call (set only by connect())
        return call(() -> {
            if (deferredPeer == null) return -1;
            ensureOpen();
            IpAddress remote = IpAddress.of(deferredPeer.getAddress());
            conn = stack.connect(remote, deferredPeer.getPort(), boundPort, settings.connectionOptions(), b, off, len, runtime.now());
            sockets.register(conn, waiters);
            deferredPeer = null;
            return conn.sendQueue();
        });
    }

    /**
     * Waits for the handshake of the connection until {@code deadline}: true once it is established, false if
     * not yet; a failed handshake throws as connect() would (ConnectException for "Connection refused" and
     * "Connection timed out", NoRouteToHostException for ICMP unreachables).
     */
    boolean finishConnect(long deadline) throws SocketException, Interrupted {
        TcpConnection c = call(() -> {
            ensureOpen();
            return conn;
        });
        if (c == null) return true; // deferred: "connected" until the first write
        if (!await(() -> closed || c.connectDone() || c.state() == TcpState.CLOSED, deadline)) return false;
        Errno failure = call(() -> {
            ensureOpen();
            return c.state() == TcpState.CLOSED ? Objects.requireNonNullElse(c.takeError(), Errno.ECONNREFUSED) : null;
        });
        if (failure != null) throw SocketErrors.of(failure);
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // Accepting

    /**
     * accept(2): an established connection from the listener's accept queue, handed to {@code child} (a new,
     * unconnected core of the same stack), or false if none came by {@code deadline}.
     */
    boolean accept(SocketCore child, long deadline) throws SocketException, Interrupted {
        while (true) {
            Listener l = call(() -> {
                ensureOpen();
                if (listener == null) throw new SocketException("Not listening");
                return listener;
            });
            if (!await(() -> closed || l.acceptQueueLength() > 0, deadline)) return false;
            TcpConnection c = call(() -> {
                ensureOpen();
                TcpConnection accepted = l.accept();
                if (accepted != null) child.attach(accepted);
                return accepted;
            });
            if (c != null) return true;
            if (deadline == NONBLOCKING) return false;
        }
    }

    /**
     * Takes over a connection the listener accepted, with the options it inherited from the listener. Called
     * with exclusive access, so no event on the connection can slip between the accept and the registration.
     */
    private void attach(TcpConnection c) {
        conn = c;
        sockets.register(c, waiters);
        settings.adopt(c.options());
        boundAddress = c.tuple().localAddress();
        boundPort = c.tuple().localPort();
    }

    // ------------------------------------------------------------------------------------------------
    // Data

    /** How many bytes a read would return at once (0 after shutdownInput). */
    int available() throws SocketException {
        return call(() -> {
            ensureOpen();
            return inputShut || conn == null ? 0 : conn.readable();
        });
    }

    /**
     * recv(2): waits until {@code deadline} for data, end of stream, an error or the socket's close. Returns
     * the bytes read (at most {@code len}), -1 at end of stream, 0 if nothing came by the deadline (or at once,
     * for {@link #NONBLOCKING}). Buffered data is returned before an error that came after it. A read before
     * any write on a socket whose connect TCP_FASTOPEN_CONNECT deferred sends the SYN (without data) and
     * reports the handshake's failure as connect() would.
     */
    int read(byte[] b, int off, int len, long deadline) throws SocketException, Interrupted {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0 && connectDeferred(null, 0, 0) >= 0 && !finishConnect(deadline)) return 0;
        int first = readFirst.run(runtime, b, off, len);
        if (first == NOT_CONNECTED) return 0;
        if (first != NOT_READY && (first != 0 || len == 0 || deadline == NONBLOCKING)) return first;
        while (true) {
            if (!await(readReady, deadline)) return 0;
            int n = reader.run(runtime, b, off, len);
            if (n != 0 || deadline == NONBLOCKING) return n;
        }
    }

    /** Before reading: connected (1), or not yet because a deferred connect has not been made (0). */
    private int readCheck(byte[] b, int off, int len) throws SocketException {
        ensureConnected();
        if (resetSeen) throw SocketErrors.connectionReset();
        return conn == null ? 0 : 1;
    }

    /** read()'s first step under one lock: connected, then the read when data, the end or an error is there. */
    private int readFirst(byte[] b, int off, int len) throws SocketException {
        if (readCheck(b, off, len) == 0) return NOT_CONNECTED;
        if (len == 0) return 0;
        return closed || !readReady() ? NOT_READY : readSome(b, off, len);
    }

    private boolean readReady() {
        TcpConnection c = conn;
        return closed || inputShut || c.readable() > 0 || c.atEof() || c.state() == TcpState.CLOSED;
    }

    private int readSome(byte[] b, int off, int len) throws SocketException {
        return receive(conn, b, off, len);
    }

    /** Before writing: connected (1), or not yet because a deferred connect has not been made (0). */
    private int writeCheck(byte[] b, int off, int len) throws SocketException {
        ensureConnected();
        return conn == null ? 0 : 1;
    }

    /** write()'s first step under one lock: connected, then the write when the send buffer has room. */
    private int writeFirst(byte[] b, int off, int len) throws SocketException {
        if (writeCheck(b, off, len) == 0) return NOT_CONNECTED;
        return len == 0 || closed || !writeReady() ? NOT_READY : writeSome(b, off, len);
    }

    private boolean writeReady() {
        TcpConnection c = conn;
        return closed || c.writable() > 0 || c.writeClosed();
    }

    private int writeSome(byte[] b, int off, int len) throws SocketException {
        return send(conn, b, off, len);
    }

    /** One attempt to copy out of the receive buffer; 0 if there was nothing (woken for another reason). */
    private int receive(TcpConnection c, byte[] b, int off, int len) throws SocketException {
        ensureOpen();
        if (inputShut) return -1;
        int r = c.read(b, off, len, runtime.now());
        if (r != 0) return r;
        if (c.state() != TcpState.CLOSED) return 0;
        Errno e = c.takeError();
        if (e == Errno.ECONNRESET) {
            resetSeen = true;
            throw SocketErrors.connectionReset();
        }
        if (e != null) throw new SocketException(e.message());
        return -1; // closed without error: end of stream, as read(2) returns 0
    }

    /**
     * send(2): queues {@code b[off, off+len)}; with a deadline of {@code Long.MAX_VALUE} all of it, waiting while
     * the send buffer is full; with {@link #NONBLOCKING} as much as fits now (maybe 0). A connection that can no
     * longer send reports its pending error once (ECONNRESET as "Connection reset"), and after that EPIPE
     * ("Broken pipe"), as Linux's tcp_sendmsg does; so does a write after shutdownOutput. Returns the bytes
     * queued.
     *
     * <p>The first write on a socket whose connect TCP_FASTOPEN_CONNECT deferred is sendto(MSG_FASTOPEN): the
     * SYN carries the data, and a blocking call waits for the handshake (tcp_sendmsg's sk_stream_wait_connect),
     * so a refused or timed-out connection fails this write as it would have failed connect().
     */
    int write(byte[] b, int off, int len, long deadline) throws SocketException, Interrupted {
        Objects.checkFromIndexSize(off, len, b.length);
        int done = 0;
        if (len > 0) {
            int queued = connectDeferred(b, off, len);
            if (queued >= 0) {
                if (deadline == NONBLOCKING) return queued;
                finishConnect(Long.MAX_VALUE);
                done = queued;
            }
        }
        int first = writeFirst.run(runtime, b, off + done, len - done);
        if (first == NOT_CONNECTED) return 0; // len == 0 on a socket whose connect is still deferred
        if (first != NOT_READY) {
            done += first;
            if (deadline == NONBLOCKING) return done;
        }
        while (done < len) {
            if (!await(writeReady, deadline)) return done;
            done += writer.run(runtime, b, off + done, len - done);
            if (deadline == NONBLOCKING) return done;
        }
        return done;
    }

    /** One attempt to copy into the send buffer; throws once the connection can no longer send. */
    private int send(TcpConnection c, byte[] b, int off, int len) throws SocketException {
        ensureOpen();
        int w = c.write(b, off, len, runtime.now());
        if (w > 0 || !c.writeClosed()) return w;
        Errno e = c.takeError();
        if (e == Errno.ECONNRESET) throw SocketErrors.connectionReset();
        if (e != null && e != Errno.ECONNREFUSED) throw new SocketException(e.message());
        throw new SocketException(Errno.EPIPE.message());
    }

    // ------------------------------------------------------------------------------------------------
    // Shutdown and close

    /**
     * shutdown(SHUT_RD). As in the JDK, later reads return end of stream at once; the stack keeps receiving
     * (and a close() with unread data still resets, as in Linux).
     */
    void shutdownInput() throws SocketException {
        call(() -> {
            ensureConnected();
            inputShut = true;
            runtime.wake(waiters);
            return null;
        });
    }

    /**
     * shutdown(SHUT_WR): a FIN follows the queued data; the other direction stays open. A connect deferred by
     * TCP_FASTOPEN_CONNECT is made first, without data.
     */
    void shutdownOutput() throws SocketException {
        connectDeferred(null, 0, 0);
        call(() -> {
            ensureConnected();
            outputShut = true;
            conn.shutdownOutput(runtime.now());
            runtime.wake(waiters);
            return null;
        });
    }

    /**
     * close(2). A connection closes gracefully (FIN after the queued data) unless data is still unread or
     * SO_LINGER is 0, which the engine turns into an RST as Linux's tcp_close does. With SO_LINGER above 0
     * and {@code linger} true, the call waits up to that many seconds for the queued data to be
     * acknowledged. A listener resets the connections nobody accepted. Threads blocked on the socket wake and
     * see it closed. Closing twice does nothing.
     */
    void close(boolean linger) throws SocketException, Interrupted {
        if (closed) return;
        TcpConnection c = call(() -> {
            if (closed) return null;
            closed = true;
            deferredPeer = null; // a connect() whose SYN never left: nothing to tell the peer
            if (conn != null) conn.close(runtime.now());
            if (listener != null) {
                stack.closeListener(listener, runtime.now());
                sockets.unregister(listener);
            }
            runtime.wake(waiters);
            return conn;
        });
        int seconds = settings.connectionOptions().lingerSeconds;
        if (c != null && linger && seconds > 0) {
            awaitAfterClose(() -> c.sendQueue() == 0 || c.state() == TcpState.CLOSED, deadlineAfter(seconds * 1000L));
        }
        if (c != null) call(() -> {
            sockets.unregister(c);
            return null;
        });
    }

    /**
     * Marks the socket closed without touching the stack, for a close the runtime can no longer carry out (it
     * was closed itself): its users see it closed, and the stack, gone with the runtime, is not told.
     */
    void abandon() {
        closed = true;
    }

    /** SO_LINGER's wait: like {@link #await}, but on a socket already marked closed. */
    private void awaitAfterClose(BooleanSupplier ready, long deadline) throws Interrupted {
        try {
            runtime.await(waiters, ready, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Options

    /** setsockopt. */
    <T> void setOption(SocketOption<T> name, T value) throws SocketException {
        Objects.requireNonNull(name);
        if (!SocketSettings.supported(server).contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        if (!name.type().isInstance(value)) throw new IllegalArgumentException("Invalid value '" + value + "'");
        call(() -> {
            ensureOpen();
            settings.set(name, value, conn, conn != null || deferredPeer != null, runtime.now());
            if (listener != null && name == ThreewaySocketOptions.TCP_FASTOPEN) {
                listener.setFastOpenQueueLimit(settings.fastOpenQueueLimit());
            }
            if (listener != null && name == ThreewaySocketOptions.TCP_DEFER_ACCEPT) {
                listener.setDeferAcceptSeconds(settings.deferAcceptSeconds());
            }
            return null;
        });
    }

    /** getsockopt. */
    <T> T getOption(SocketOption<T> name) throws SocketException {
        Objects.requireNonNull(name);
        if (!SocketSettings.supported(server).contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        return call(() -> {
            ensureOpen();
            return name.type().cast(settings.get(name, conn));
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Readiness

    /**
     * The socket's poll(2) mask ({@link Poll}), as Linux's tcp_poll computes it (inet_csk_listen_poll for a
     * listener). Call with exclusive access.
     */
    int poll() {
        if (closed) return Poll.NVAL;
        if (listener != null) return listener.acceptQueueLength() > 0 ? Poll.IN : 0;
        TcpConnection c = conn;
        if (c == null) return deferredPeer != null ? Poll.OUT : Poll.OUT | Poll.HUP;
        int mask = 0;
        TcpState st = c.state();
        boolean rcvShutdown = inputShut || c.atEof() || c.state() == TcpState.CLOSED;
        boolean sendShutdown = c.writeClosed();
        if (rcvShutdown && sendShutdown || st == TcpState.CLOSED) mask |= Poll.HUP;
        if (rcvShutdown) mask |= Poll.IN | Poll.RDHUP;
        if (st != TcpState.SYN_SENT && (st != TcpState.SYN_RECEIVED || c.isFastOpenPassive())) {
            if (c.readable() > 0) mask |= Poll.IN;
            if (sendShutdown || streamWriteable(c)) mask |= Poll.OUT;
        }
        if (c.error() != null) mask |= Poll.ERR;
        return mask;
    }

    /**
     * Linux's __sk_stream_is_writeable: POLLOUT once the free send space is at least half of what is queued
     * (sk_stream_wspace >= sk_stream_min_wspace), so a selector does not wake a writer for a few bytes.
     */
    private static boolean streamWriteable(TcpConnection c) {
        int free = c.writable();
        return free > 0 && free >= c.sendQueue() / 2;
    }

    /** Whether a connect is under way (SYN sent, no outcome seen yet by the caller). */
    boolean connecting() {
        return conn != null && !conn.connectDone() && conn.state() != TcpState.CLOSED;
    }

    // ------------------------------------------------------------------------------------------------
    // Plumbing

    void ensureOpen() throws SocketException {
        if (closed) throw new Closed();
    }

    /** Connected, or connect() deferred by TCP_FASTOPEN_CONNECT (then {@code conn} is still null). */
    private void ensureConnected() throws SocketException {
        ensureOpen();
        if (conn == null && deferredPeer == null) throw new SocketException("Not connected");
    }

    /** A call into the stack with exclusive access; stack errors become the exceptions Java users know. */
    <T> T call(ThreewaySocketImpl.IoSupplier<T> action) throws SocketException {
        try {
            return sockets.call(action);
        } catch (TcpException e) {
            throw SocketErrors.of(e.errno());
        } catch (ThreewaySocketImpl.UncheckedSocketException e) {
            throw e.getCause();
        }
    }

    /**
     * Waits through the runtime until {@code ready} or the deadline (at once for {@link #NONBLOCKING}); true if
     * ready. A socket closed meanwhile throws {@link Closed}; an interrupt throws {@link Interrupted}.
     */
    boolean await(BooleanSupplier ready, long deadline) throws SocketException, Interrupted {
        boolean ok;
        if (deadline == NONBLOCKING) {
            ok = runtime.call(ready::getAsBoolean);
        } else {
            try {
                ok = runtime.await(waitersOnly, ready, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Interrupted(e);
            }
        }
        if (closed) throw new Closed();
        return ok;
    }

    /** The deadline {@code millis} from now, in the runtime's clock; 0 or less waits forever. */
    long deadlineAfter(long millis) {
        if (millis <= 0) return Long.MAX_VALUE;
        long now = runtime.now();
        long d = now + millis * 1_000_000L;
        return d < now ? Long.MAX_VALUE : d;
    }

    @Override
    public String toString() {
        TcpConnection c = conn;
        if (c != null) return c.tuple().toString();
        InetSocketAddress peer = deferredPeer;
        if (peer != null) return "connect to " + peer + " deferred until the first write";
        Listener l = listener;
        return l != null ? "listening " + l.address() + ":" + l.port() : "unconnected";
    }
}
