package io.threeway.socket;

import io.threeway.host.Interface;
import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.tcp.Errno;
import io.threeway.tcp.FastOpen;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import io.threeway.settings.Sysctl;

/**
 * The {@link SocketImpl} behind {@link ThreewaySocket} and {@link ThreewayServerSocket}: one socket of a
 * Threeway {@link Stack}, either a connection ({@link TcpConnection}) or a listener ({@link Listener}).
 *
 * <p>Every touch of the stack goes through the {@link SocketRuntime}'s {@code call}, followed by
 * {@link Stack#userCallDone()} so the driver learns of timers the call armed. Blocking calls wait with
 * {@link SocketRuntime#await} on a condition over the connection's state, so in the simulator they park
 * the application thread and let virtual time move.
 *
 * <p>Behaviour and messages are those of the JDK's {@code NioSocketImpl} on Linux: "Socket closed" after
 * close, "Read timed out" / "Connect timed out" / "Accept timed out" for SO_TIMEOUT and the connect timeout,
 * "Connection reset" on a read after an RST (after the data that was already buffered, and again on every
 * later read), "Broken pipe" on a write once the connection can no longer send (EPIPE). See
 * {@link SocketErrors}.
 */
final class ThreewaySocketImpl extends SocketImpl {
    private final ThreewaySockets sockets;
    private final Stack stack;
    private final SocketRuntime runtime;
    private final boolean server;
    private final SocketSettings settings;
    /** The threads blocked on this socket; the stack's events on its connection or listener wake them. */
    private final WaitQueue waiters = new WaitQueue();

    // Guarded by the runtime's exclusive access (read and written inside runtime.call or await conditions).
    private TcpConnection conn;
    /**
     * connect() returned without sending a SYN (TCP_FASTOPEN_CONNECT with a Fast Open cookie cached, Linux's
     * DEFER_CONNECT): the peer, until the first write sends the SYN with its data. Null otherwise.
     */
    private InetSocketAddress deferredPeer;
    private Listener listener;
    private IpAddress boundAddress;
    private int boundPort;
    private boolean inputShut;
    private boolean outputShut;
    /** A read saw ECONNRESET: every later read fails the same way (NioSocketImpl's connectionReset). */
    private boolean resetSeen;
    private volatile boolean closed;

    private InputStream in;
    private OutputStream out;

    ThreewaySocketImpl(ThreewaySockets sockets, boolean server) {
        this.sockets = sockets;
        this.stack = sockets.stack();
        this.runtime = sockets.runtime();
        this.server = server;
        this.settings = new SocketSettings(stack.sysctls());
    }

    /** The connection, once connected or accepted (for tests and tools such as ss). */
    TcpConnection connection() {
        return conn;
    }

    /** The listener, once listening. */
    Listener listener() {
        return listener;
    }

    // ------------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) throw new IOException("Datagram socket creation not supported");
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(sockets.resolve(host), port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    /**
     * connect(2) in blocking mode: SYN out, then wait for the handshake to finish or fail. Linux's
     * inet_wait_for_connect waits until the state leaves SYN-SENT; a connect timeout (Java's, not Linux's)
     * gives up earlier and leaves the socket to be closed by {@link java.net.Socket#connect}.
     *
     * <p>With TCP_FASTOPEN_CONNECT and a SYN that could carry data (a cookie is cached), nothing is sent:
     * the call returns at once and the first write connects (see {@link #connectDeferred}).
     */
    @Override
    protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        if (!(endpoint instanceof InetSocketAddress given)) throw new IOException("Unsupported address type");
        InetSocketAddress isa = given.isUnresolved()
                ? new InetSocketAddress(sockets.resolve(given.getHostName()), given.getPort()) : given;
        if (timeoutMillis < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        IpAddress remote = IpAddress.of(isa.getAddress());
        int remotePort = isa.getPort();
        TcpConnection c = call(() -> {
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
        address = isa.getAddress();
        port = remotePort;
        if (c == null) return; // deferred: the first write sends the SYN
        if (!handshakeDone(c, deadlineAfter(timeoutMillis))) throw SocketErrors.connectTimedOut();
        localport = c.tuple().localPort();
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
     * without data. Returns the connection and how many bytes it queued, or null if no connect was deferred.
     */
    private Deferred connectDeferred(byte[] b, int off, int len) throws SocketException {
        Deferred d = call(() -> {
            if (deferredPeer == null) return null;
            ensureOpen();
            IpAddress remote = IpAddress.of(deferredPeer.getAddress());
            conn = stack.connect(remote, deferredPeer.getPort(), boundPort, settings.connectionOptions(), b, off, len, runtime.now());
            sockets.register(conn, waiters);
            deferredPeer = null;
            return new Deferred(conn, conn.sendQueue());
        });
        if (d != null) localport = d.conn.tuple().localPort();
        return d;
    }

    private record Deferred(TcpConnection conn, int queued) {}

    /**
     * Waits for {@code c}'s handshake until {@code deadline}: true once it is established, false on timeout;
     * a failed handshake throws as connect() would (ConnectException for "Connection refused" and "Connection
     * timed out", NoRouteToHostException for ICMP unreachables).
     */
    private boolean handshakeDone(TcpConnection c, long deadline) throws IOException {
        if (!await(() -> closed || c.connectDone() || c.state() == TcpState.CLOSED, deadline)) return false;
        Errno failure = call(() -> {
            ensureOpen();
            return c.state() == TcpState.CLOSED ? Objects.requireNonNullElse(c.takeError(), Errno.ECONNREFUSED) : null;
        });
        if (failure != null) throw SocketErrors.of(failure);
        return true;
    }

    /**
     * bind(2). For a listener it only records the address: {@link #listen} makes the stack's listener, as
     * {@code ServerSocket.bind} always calls both. For a connection it fixes the local port connect() uses.
     * Binding an address the stack does not have fails with EADDRNOTAVAIL, as in Linux's inet_bind.
     */
    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        IpAddress a = host == null ? IpAddress.ANY6 : IpAddress.of(host);
        call(() -> {
            ensureOpen();
            if (boundAddress != null || conn != null) throw new SocketException("Already bound");
            if (!a.isAny() && stack.interfaces().stream().map(Interface::address).noneMatch(a::equals)) {
                throw new BindException(Errno.EADDRNOTAVAIL.message());
            }
            boundAddress = a;
            boundPort = port;
            return null;
        });
        address = host;
        localport = port;
    }

    /**
     * listen(2): the stack's listener on the bound address and port, with an accept queue of
     * min(backlog, net.core.somaxconn). EADDRINUSE surfaces here, which is still inside
     * {@code ServerSocket.bind}, where Java users expect it.
     */
    @Override
    protected void listen(int backlog) throws IOException {
        Listener l = call(() -> {
            ensureOpen();
            if (listener != null) {
                listener.setBacklog(backlog); // a second listen() changes the backlog
                return listener;
            }
            IpAddress a = boundAddress != null ? boundAddress : IpAddress.ANY6;
            listener = stack.listen(a, boundPort, backlog, settings.connectionOptions(), settings.reuseAddress());
            listener.setFastOpenQueueLimit(settings.fastOpenQueueLimit());
            listener.setDeferAcceptSeconds(settings.deferAcceptSeconds());
            sockets.register(listener, waiters);
            return listener;
        });
        localport = l.port();
    }

    /**
     * accept(2): waits for an established connection in the listener's accept queue and hands it to
     * {@code target}, which {@code ServerSocket.implAccept} then marks connected.
     */
    @Override
    protected void accept(SocketImpl target) throws IOException {
        if (!(target instanceof ThreewaySocketImpl child)) {
            throw new IOException("a Threeway server socket accepts only into a Threeway socket");
        }
        long deadline = deadlineAfter(settings.soTimeoutMillis());
        while (true) {
            Listener l = call(() -> {
                ensureOpen();
                if (listener == null) throw new SocketException("Not listening");
                return listener;
            });
            if (!await(() -> closed || l.acceptQueueLength() > 0, deadline)) throw SocketErrors.acceptTimedOut();
            TcpConnection c = call(() -> {
                ensureOpen();
                TcpConnection accepted = l.accept();
                if (accepted != null) child.attach(accepted);
                return accepted;
            });
            if (c != null) return;
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
        address = c.tuple().remoteAddress().toInetAddress();
        port = c.tuple().remotePort();
        localport = boundPort;
    }

    /**
     * close(2). A connection closes gracefully (FIN after the queued data) unless data is still unread or
     * SO_LINGER is 0, which the engine turns into an RST as Linux's tcp_close does. With SO_LINGER above 0
     * the call waits, up to that many seconds, for the queued data to be acknowledged. A listener resets the
     * connections nobody accepted. Threads blocked on the socket wake and see "Socket closed".
     */
    @Override
    protected void close() throws IOException {
        if (closed) return;
        TcpConnection c = call(() -> {
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
        int linger = settings.connectionOptions().lingerSeconds;
        if (c != null && linger > 0) {
            await(() -> c.sendQueue() == 0 || c.state() == TcpState.CLOSED, deadlineAfter(linger * 1000L));
        }
        if (c != null) call(() -> {
            sockets.unregister(c);
            return null;
        });
    }

    /**
     * shutdown(SHUT_RD). As in the JDK, later reads return end of stream at once; the stack keeps
     * receiving (and a close() with unread data still resets, as in Linux).
     */
    @Override
    protected void shutdownInput() throws IOException {
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
    @Override
    protected void shutdownOutput() throws IOException {
        connectDeferred(null, 0, 0);
        call(() -> {
            ensureConnected();
            outputShut = true;
            conn.shutdownOutput(runtime.now());
            runtime.wake(waiters);
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Data

    @Override
    protected synchronized InputStream getInputStream() throws IOException {
        ensureOpen();
        if (in == null) in = new ThreewayInputStream(this);
        return in;
    }

    @Override
    protected synchronized OutputStream getOutputStream() throws IOException {
        ensureOpen();
        if (out == null) out = new ThreewayOutputStream(this);
        return out;
    }

    @Override
    protected int available() throws IOException {
        return call(() -> {
            ensureConnected();
            return inputShut || conn == null ? 0 : conn.readable();
        });
    }

    /**
     * recv(2) in blocking mode: waits until data, end of stream, an error or the socket's close, or until
     * SO_TIMEOUT passes. Buffered data is returned before an error that came after it. A read before any
     * write on a socket whose connect TCP_FASTOPEN_CONNECT deferred sends the SYN (without data) and reports
     * the handshake's failure as connect() would.
     */
    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        long deadline = deadlineAfter(settings.soTimeoutMillis());
        Deferred d = len == 0 ? null : connectDeferred(null, 0, 0);
        if (d != null && !handshakeDone(d.conn, deadline)) throw SocketErrors.readTimedOut();
        TcpConnection c = call(() -> {
            ensureConnected();
            if (resetSeen) throw SocketErrors.connectionReset();
            return conn;
        });
        if (len == 0 || c == null) return 0;
        while (true) {
            BooleanSupplier ready = () -> closed || inputShut || c.readable() > 0 || c.atEof() || c.state() == TcpState.CLOSED;
            if (!await(ready, deadline)) throw SocketErrors.readTimedOut();
            int n = call(() -> {
                ensureOpen();
                if (inputShut) return -1;
                int r = c.read(b, off, len, runtime.now());
                if (r != 0) return r;
                if (c.state() != TcpState.CLOSED) return 0; // woken without data: wait again
                Errno e = c.takeError();
                if (e == Errno.ECONNRESET) {
                    resetSeen = true;
                    throw SocketErrors.connectionReset();
                }
                if (e != null) throw new SocketException(e.message());
                return -1; // closed without error: end of stream, as read(2) returns 0
            });
            if (n != 0) return n;
        }
    }

    /**
     * send(2) in blocking mode: queues all of {@code b[off, off+len)}, waiting while the send buffer is
     * full. A connection that can no longer send reports its pending error once (ECONNRESET as "Connection
     * reset"), and after that EPIPE ("Broken pipe"), as Linux's tcp_sendmsg does; so does a write after
     * shutdownOutput.
     *
     * <p>The first write on a socket whose connect TCP_FASTOPEN_CONNECT deferred is sendto(MSG_FASTOPEN): the
     * SYN carries the data, and the call waits for the handshake (tcp_sendmsg's sk_stream_wait_connect), so a
     * refused or timed-out connection fails this write as it would have failed connect().
     */
    void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            Deferred d = connectDeferred(b, off, len);
            if (d != null) {
                handshakeDone(d.conn, Long.MAX_VALUE);
                off += d.queued;
                len -= d.queued;
            }
        }
        TcpConnection c = call(() -> {
            ensureConnected();
            return conn;
        });
        if (c == null) return; // len == 0 on a socket whose connect is still deferred
        while (len > 0) {
            await(() -> closed || c.writable() > 0 || c.writeClosed(), Long.MAX_VALUE);
            int o = off;
            int l = len;
            int n = call(() -> {
                ensureOpen();
                int w = c.write(b, o, l, runtime.now());
                if (w > 0 || !c.writeClosed()) return w;
                Errno e = c.takeError();
                if (e == Errno.ECONNRESET) throw SocketErrors.connectionReset();
                if (e != null && e != Errno.ECONNREFUSED) throw new SocketException(e.message());
                throw new SocketException(Errno.EPIPE.message());
            });
            off += n;
            len -= n;
        }
    }

    /**
     * OutputStream.flush(): nothing is buffered here, but a connect that TCP_FASTOPEN_CONNECT deferred is made
     * now, with a SYN without data, so a protocol in which the server speaks first can get going. It does not
     * wait for the handshake; a failure shows on the next read or write.
     */
    void flush() throws IOException {
        connectDeferred(null, 0, 0);
    }

    @Override
    protected boolean supportsUrgentData() {
        return false;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data not supported");
    }

    // ------------------------------------------------------------------------------------------------
    // Options

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return SocketSettings.supported(server);
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        if (!supportedOptions().contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
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

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        if (!supportedOptions().contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        return call(() -> {
            ensureOpen();
            return name.type().cast(settings.get(name, conn));
        });
    }

    /** The JDK's older option interface ({@link java.net.SocketOptions}), which java.net.Socket's setters use. */
    @Override
    public void setOption(int id, Object value) throws SocketException {
        try {
            switch (id) {
                case SO_TIMEOUT -> {
                    ensureOpen();
                    settings.setSoTimeout(intValue(value, "SO_TIMEOUT"));
                }
                case SO_LINGER -> setOption(StandardSocketOptions.SO_LINGER,
                        Boolean.FALSE.equals(value) ? -1 : intValue(value, "SO_LINGER"));
                case TCP_NODELAY -> setOption(StandardSocketOptions.TCP_NODELAY, boolValue(value, "TCP_NODELAY"));
                case SO_KEEPALIVE -> setOption(StandardSocketOptions.SO_KEEPALIVE, boolValue(value, "SO_KEEPALIVE"));
                case SO_REUSEADDR -> setOption(StandardSocketOptions.SO_REUSEADDR, boolValue(value, "SO_REUSEADDR"));
                case SO_SNDBUF -> setOption(StandardSocketOptions.SO_SNDBUF, intValue(value, "SO_SNDBUF"));
                case SO_RCVBUF -> setOption(StandardSocketOptions.SO_RCVBUF, intValue(value, "SO_RCVBUF"));
                case IP_TOS -> setOption(StandardSocketOptions.IP_TOS, intValue(value, "IP_TOS"));
                default -> throw new SocketException("Unknown option " + id);
            }
        } catch (SocketException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        try {
            return switch (id) {
                case SO_TIMEOUT -> {
                    ensureOpen();
                    yield settings.soTimeoutMillis();
                }
                case SO_LINGER -> {
                    int s = getOption(StandardSocketOptions.SO_LINGER);
                    yield s < 0 ? Boolean.FALSE : (Object) s;
                }
                case SO_BINDADDR -> localAddress();
                case TCP_NODELAY -> getOption(StandardSocketOptions.TCP_NODELAY);
                case SO_KEEPALIVE -> getOption(StandardSocketOptions.SO_KEEPALIVE);
                case SO_REUSEADDR -> getOption(StandardSocketOptions.SO_REUSEADDR);
                case SO_SNDBUF -> getOption(StandardSocketOptions.SO_SNDBUF);
                case SO_RCVBUF -> getOption(StandardSocketOptions.SO_RCVBUF);
                case IP_TOS -> getOption(StandardSocketOptions.IP_TOS);
                default -> throw new SocketException("Unknown option " + id);
            };
        } catch (SocketException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    /** getsockname(2)'s address: the connection's local address, else the bound one, else the wildcard. */
    private InetAddress localAddress() throws SocketException {
        return call(() -> {
            ensureOpen();
            if (conn != null) return conn.tuple().localAddress().toInetAddress();
            if (listener != null) return listener.address().toInetAddress();
            return (boundAddress != null ? boundAddress : IpAddress.ANY4).toInetAddress();
        });
    }

    private static int intValue(Object value, String what) throws SocketException {
        if (!(value instanceof Integer i)) throw new SocketException("Bad value for " + what);
        return i;
    }

    private static boolean boolValue(Object value, String what) throws SocketException {
        if (!(value instanceof Boolean b)) throw new SocketException("Bad value for " + what);
        return b;
    }

    // ------------------------------------------------------------------------------------------------
    // Plumbing

    private void ensureOpen() throws SocketException {
        if (closed) throw SocketErrors.closed();
    }

    /** Connected, or connect() deferred by TCP_FASTOPEN_CONNECT (then {@code conn} is still null). */
    private void ensureConnected() throws SocketException {
        ensureOpen();
        if (conn == null && deferredPeer == null) throw new SocketException("Not connected");
    }

    /** A call into the stack with exclusive access; stack errors become the exceptions Java users know. */
    private <T> T call(IoSupplier<T> action) throws SocketException {
        try {
            return sockets.call(action);
        } catch (TcpException e) {
            throw SocketErrors.of(e.errno());
        } catch (UncheckedSocketException e) {
            throw e.getCause();
        }
    }

    /** Waits through the runtime; an interrupt becomes the InterruptedIOException java.net.Socket expects. */
    private boolean await(BooleanSupplier ready, long deadline) throws InterruptedIOException {
        try {
            return runtime.await(waiters, ready, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while blocked in a socket call");
            x.initCause(e);
            throw x;
        }
    }

    private long deadlineAfter(long millis) {
        if (millis <= 0) return Long.MAX_VALUE;
        long now = runtime.now();
        long d = now + millis * 1_000_000L;
        return d < now ? Long.MAX_VALUE : d;
    }

    @Override
    public String toString() {
        TcpConnection c = conn;
        if (c != null) return "ThreewaySocketImpl[" + c.tuple() + "]";
        InetSocketAddress peer = deferredPeer;
        if (peer != null) return "ThreewaySocketImpl[connect to " + peer + " deferred until the first write]";
        Listener l = listener;
        return l != null ? "ThreewaySocketImpl[listening " + l.address() + ":" + l.port() + "]" : "ThreewaySocketImpl[unconnected]";
    }

    /** A stack call that may fail with a SocketException. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws SocketException;
    }

    /** Carries a SocketException through {@link SocketRuntime#call}, whose action cannot throw checked ones. */
    static final class UncheckedSocketException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSocketException(SocketException cause) {
            super(cause);
        }

        @Override
        public synchronized SocketException getCause() {
            return (SocketException) super.getCause();
        }
    }
}
