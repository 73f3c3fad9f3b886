package io.threeway.socket;

import io.threeway.host.Listener;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;

/**
 * The {@link SocketImpl} behind {@link ThreewaySocket} and {@link ThreewayServerSocket}: one socket of a
 * Threeway {@link io.threeway.host.Stack}, either a connection ({@link TcpConnection}) or a listener ({@link Listener}).
 *
 * <p>The socket itself is a {@link SocketCore} (which the NIO channels use too); this class is its blocking,
 * {@code java.net} face: SO_TIMEOUT and connect timeouts become deadlines, and the core's outcomes the
 * exceptions {@code java.net.Socket} users expect. Blocking calls wait through the {@link SocketRuntime}, so
 * in the simulator they park the application thread and let virtual time move.
 *
 * <p>Behaviour and messages are those of the JDK's {@code NioSocketImpl} on Linux: "Socket closed" after
 * close, "Read timed out" / "Connect timed out" / "Accept timed out" for SO_TIMEOUT and the connect timeout,
 * "Connection reset" on a read after an RST (after the data that was already buffered, and again on every
 * later read), "Broken pipe" on a write once the connection can no longer send (EPIPE). See
 * {@link SocketErrors}.
 */
final class ThreewaySocketImpl extends SocketImpl {
    /** The socket itself, shared with nothing else (a channel has its own). */
    private final SocketCore core;

    private InputStream in;
    private OutputStream out;

    ThreewaySocketImpl(ThreewaySockets sockets, boolean server) {
        this.core = new SocketCore(sockets, server);
    }

    /** The connection, once connected or accepted (for tests and tools such as ss). */
    TcpConnection connection() {
        return core.connection();
    }

    /** The listener, once listening. */
    Listener listener() {
        return core.listener();
    }

    // ------------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) throw new IOException("Datagram socket creation not supported");
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(core.sockets.resolve(host), port), 0);
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
     * the call returns at once and the first write connects.
     */
    @Override
    protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        if (!(endpoint instanceof InetSocketAddress given)) throw new IOException("Unsupported address type");
        InetSocketAddress isa = given.isUnresolved()
                ? new InetSocketAddress(core.sockets.resolve(given.getHostName()), given.getPort()) : given;
        if (timeoutMillis < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        TcpConnection c = core.startConnect(isa);
        address = isa.getAddress();
        port = isa.getPort();
        if (c == null) return; // deferred: the first write sends the SYN
        if (!core.finishConnect(core.deadlineAfter(timeoutMillis))) throw SocketErrors.connectTimedOut();
        localport = c.tuple().localPort();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        core.bind(host == null ? IpAddress.ANY6 : IpAddress.of(host), port);
        address = host;
        localport = port;
    }

    /**
     * listen(2). EADDRINUSE surfaces here, which is still inside {@code ServerSocket.bind}, where Java users
     * expect it.
     */
    @Override
    protected void listen(int backlog) throws IOException {
        localport = core.listen(backlog).port();
    }

    /**
     * accept(2): waits (up to SO_TIMEOUT) for an established connection and hands it to {@code target}, which
     * {@code ServerSocket.implAccept} then marks connected.
     */
    @Override
    protected void accept(SocketImpl target) throws IOException {
        if (!(target instanceof ThreewaySocketImpl child)) {
            throw new IOException("a Threeway server socket accepts only into a Threeway socket");
        }
        if (!core.accept(child.core, core.deadlineAfter(core.settings.soTimeoutMillis()))) throw SocketErrors.acceptTimedOut();
        child.accepted();
    }

    /** Takes the addresses of the connection the core was handed by accept. */
    private void accepted() {
        TcpConnection c = core.connection();
        address = c.tuple().remoteAddress().toInetAddress();
        port = c.tuple().remotePort();
        localport = c.tuple().localPort();
    }

    /** close(2), with SO_LINGER's wait; see {@link SocketCore#close}. */
    @Override
    protected void close() throws IOException {
        core.close(true);
    }

    @Override
    protected void shutdownInput() throws IOException {
        core.shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        core.shutdownOutput();
        deferredConnectMade();
    }

    // ------------------------------------------------------------------------------------------------
    // Data

    @Override
    protected synchronized InputStream getInputStream() throws IOException {
        core.ensureOpen();
        if (in == null) in = new ThreewayInputStream(this);
        return in;
    }

    @Override
    protected synchronized OutputStream getOutputStream() throws IOException {
        core.ensureOpen();
        if (out == null) out = new ThreewayOutputStream(this);
        return out;
    }

    @Override
    protected int available() throws IOException {
        return core.available();
    }

    /** recv(2) in blocking mode, up to SO_TIMEOUT ("Read timed out"); see {@link SocketCore#read}. */
    int read(byte[] b, int off, int len) throws IOException {
        long deadline = core.deadlineAfter(core.settings.soTimeoutMillis());
        int n;
        try {
            n = core.read(b, off, len, deadline);
        } finally {
            deferredConnectMade();
        }
        if (n == 0 && len > 0) throw SocketErrors.readTimedOut();
        return n;
    }

    /** send(2) in blocking mode: queues all of it; see {@link SocketCore#write}. */
    void write(byte[] b, int off, int len) throws IOException {
        try {
            core.write(b, off, len, Long.MAX_VALUE);
        } finally {
            deferredConnectMade();
        }
    }

    /** The local port, once a connect that TCP_FASTOPEN_CONNECT deferred has sent its SYN (0 until then). */
    private void deferredConnectMade() {
        TcpConnection c = core.connection();
        if (localport == 0 && c != null) localport = c.tuple().localPort();
    }

    /**
     * OutputStream.flush(): nothing is buffered here, but a connect that TCP_FASTOPEN_CONNECT deferred is made
     * now, with a SYN without data, so a protocol in which the server speaks first can get going. It does not
     * wait for the handshake; a failure shows on the next read or write.
     */
    void flush() throws IOException {
        core.connectDeferred(null, 0, 0);
        deferredConnectMade();
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
        return SocketSettings.supported(core.server);
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        core.setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return core.getOption(name);
    }

    /** The JDK's older option interface ({@link java.net.SocketOptions}), which java.net.Socket's setters use. */
    @Override
    public void setOption(int id, Object value) throws SocketException {
        try {
            switch (id) {
                case SO_TIMEOUT -> {
                    core.ensureOpen();
                    core.settings.setSoTimeout(intValue(value, "SO_TIMEOUT"));
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
                    core.ensureOpen();
                    yield core.settings.soTimeoutMillis();
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
        return core.call(() -> {
            core.ensureOpen();
            TcpConnection c = core.connection();
            if (c != null) return c.tuple().localAddress().toInetAddress();
            Listener l = core.listener();
            if (l != null) return l.address().toInetAddress();
            return (core.boundAddress() != null ? core.boundAddress() : IpAddress.ANY4).toInetAddress();
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

    @Override
    public String toString() {
        return "ThreewaySocketImpl[" + core + "]";
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
