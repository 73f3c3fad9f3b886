package io.threeway.socket;

import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link SocketChannel} on a Threeway stack, in blocking or non-blocking mode, selectable with a
 * {@link ThreewaySelector}. Make one with {@link ThreewaySelectorProvider#openSocketChannel()} (or
 * {@code SocketChannel.open()} with the provider installed for the JVM), or get one from
 * {@link ThreewayServerSocketChannel#accept()}.
 *
 * <p>It behaves as the JDK's own channel over Linux: non-blocking {@code connect} returns false and
 * {@code finishConnect} completes it (OP_CONNECT), a refused or timed-out connection fails there with
 * {@code ConnectException} ("Connection refused", "Connection timed out") and closes the channel; non-blocking
 * reads and writes move what they can (a write may be partial, a read returns 0 when nothing is there, -1 at
 * end of stream); a blocking write returns once all is queued; scatter and gather; {@code shutdownInput} and
 * {@code shutdownOutput}; an interrupt closes the channel ({@code ClosedByInterruptException}), a close by
 * another thread ends a blocked call ({@code AsynchronousCloseException}); every socket option of Threeway's
 * sockets. {@link #socket()} is its {@code java.net.Socket} adaptor.
 */
public final class ThreewaySocketChannel extends SocketChannel implements ThreewaySelectable {
    /** Not connected. */
    private static final int UNCONNECTED = 0;
    /** connect() started, finishConnect() not yet done. */
    private static final int PENDING = 1;
    /** Connected (or accepted). */
    private static final int CONNECTED = 2;

    /** The socket. */
    private final SocketCore core;
    /** UNCONNECTED, PENDING or CONNECTED. */
    private volatile int state;
    /** The peer, once connect() was called. */
    private volatile InetSocketAddress remote;
    /** The adaptor, made on first use. */
    private Socket adaptor;
    /** Copies for direct buffers, reused. */
    private final Scratch readScratch = new Scratch();
    /** Copies for direct buffers, reused. */
    private final Scratch writeScratch = new Scratch();

    /** An unconnected channel on the provider's stack. */
    ThreewaySocketChannel(ThreewaySelectorProvider provider) {
        super(provider);
        this.core = new SocketCore(provider.sockets(), false);
    }

    /** The channel of a connection accepted into {@code accepted}. */
    ThreewaySocketChannel(ThreewaySelectorProvider provider, SocketCore accepted) {
        super(provider);
        this.core = accepted;
        TcpConnection c = accepted.connection();
        this.remote = new InetSocketAddress(c.tuple().remoteAddress().toInetAddress(), c.tuple().remotePort());
        this.state = CONNECTED;
    }

    @Override
    public SocketCore core() {
        return core;
    }

    /** The engine's connection once connecting (null before): for ss-like inspection and tests. */
    public TcpConnection connection() {
        return core.connection();
    }

    // ------------------------------------------------------------------------------------------------
    // Connecting

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        ensureOpen();
        if (state == CONNECTED) throw new AlreadyConnectedException();
        if (state == PENDING) throw new ConnectionPendingException();
        InetSocketAddress isa = local == null ? new InetSocketAddress(0) : Addresses.check(local);
        core.runtime.join();
        if (core.call(() -> core.boundAddress() != null)) throw new AlreadyBoundException();
        try {
            core.bind(IpAddress.of(isa.getAddress()), isa.getPort());
        } catch (IOException e) {
            throw failed(e);
        }
        return this;
    }

    /**
     * connect(2): in blocking mode waits for the handshake and returns true; in non-blocking mode returns
     * false (the SYN is on its way; {@link #finishConnect()} completes it), even when the handshake could be
     * over already (Linux's EINPROGRESS), or true when no SYN was needed yet
     * (TCP_FASTOPEN_CONNECT with a cookie: the first write connects). A failure closes the channel.
     */
    @Override
    public boolean connect(SocketAddress remoteAddress) throws IOException {
        InetSocketAddress isa = Addresses.check(Objects.requireNonNull(remoteAddress));
        ensureOpen();
        if (state == CONNECTED) throw new AlreadyConnectedException();
        if (state == PENDING) throw new ConnectionPendingException();
        core.runtime.join();
        try {
            TcpConnection c = core.startConnect(isa);
            remote = isa;
            state = PENDING;
            // Linux's inet_stream_connect: a non-blocking connect is always EINPROGRESS, however fast the peer
            if (c != null && (!isBlocking() || !core.finishConnect(Long.MAX_VALUE))) return false;
            state = CONNECTED;
            return true;
        } catch (IOException e) {
            throw closedAfter(failed(e));
        }
    }

    /**
     * Completes a connect: true once connected (at once if it already was), false in non-blocking mode while
     * the handshake is under way; a refused or timed-out connection throws its ConnectException and closes
     * the channel.
     */
    @Override
    public boolean finishConnect() throws IOException {
        if (state == CONNECTED) return true;
        ensureOpen();
        if (state != PENDING) throw new NoConnectionPendingException();
        core.runtime.join();
        try {
            if (!core.finishConnect(isBlocking() ? Long.MAX_VALUE : SocketCore.NONBLOCKING)) return false;
            state = CONNECTED;
            return true;
        } catch (IOException e) {
            throw closedAfter(failed(e));
        }
    }

    /** The adaptor's connect: blocking mode only, with a timeout ("Connect timed out", the channel closed). */
    void blockingConnect(SocketAddress remoteAddress, long timeoutMillis) throws IOException {
        if (!isBlocking()) throw new IllegalBlockingModeException();
        InetSocketAddress isa = Addresses.check(Objects.requireNonNull(remoteAddress));
        ensureOpen();
        if (state == CONNECTED) throw new AlreadyConnectedException();
        if (state == PENDING) throw new ConnectionPendingException();
        core.runtime.join();
        try {
            TcpConnection c = core.startConnect(isa);
            remote = isa;
            state = PENDING;
            if (c != null && !core.finishConnect(core.deadlineAfter(timeoutMillis))) {
                throw closedAfter(new SocketTimeoutException("Connect timed out"));
            }
            state = CONNECTED;
        } catch (IOException e) {
            throw closedAfter(failed(e));
        }
    }

    @Override
    public boolean isConnected() {
        return state == CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == PENDING;
    }

    // ------------------------------------------------------------------------------------------------
    // Reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        beginIo();
        try {
            return readInto(dst, deadline());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Scatter: fills the buffers in order; in blocking mode only the first read waits. */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        }
        beginIo();
        long total = 0;
        try {
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = dsts[i];
                if (!b.hasRemaining()) continue;
                int want = b.remaining();
                int n = readInto(b, total == 0 ? deadline() : SocketCore.NONBLOCKING);
                if (n < 0) return total > 0 ? total : -1;
                total += n;
                if (n < want) break;
            }
            return total;
        } catch (IOException e) {
            if (total > 0) return total;
            throw failed(e);
        }
    }

    /** One read into {@code dst} (0 if nothing, at once in non-blocking mode); advances its position. */
    private int readInto(ByteBuffer dst, long deadline) throws IOException {
        int len = dst.remaining();
        if (len == 0) return 0;
        if (dst.hasArray()) {
            int n = core.read(dst.array(), dst.arrayOffset() + dst.position(), len, deadline);
            if (n > 0) dst.position(dst.position() + n);
            return n;
        }
        byte[] tmp = readScratch.take(len);
        try {
            int n = core.read(tmp, 0, Math.min(len, tmp.length), deadline);
            if (n > 0) dst.put(tmp, 0, n);
            return n;
        } finally {
            readScratch.give(tmp);
        }
    }

    /** The adaptor's stream: a blocking read with SO_TIMEOUT ("Read timed out"). */
    int blockingRead(byte[] b, int off, int len, long timeoutMillis) throws IOException {
        if (!isBlocking()) throw new IllegalBlockingModeException();
        beginIo();
        try {
            int n = core.read(b, off, len, core.deadlineAfter(timeoutMillis));
            if (n == 0 && len > 0) throw SocketErrors.readTimedOut();
            return n;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Writing

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        beginWrite();
        try {
            return writeFrom(src, deadline());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Gather: writes the buffers in order; in non-blocking mode stops at the first one not taken whole. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        beginWrite();
        long total = 0;
        try {
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                int want = b.remaining();
                if (want == 0) continue;
                int n = writeFrom(b, deadline());
                total += n;
                if (n < want) break;
            }
            return total;
        } catch (IOException e) {
            if (total > 0) return total;
            throw failed(e);
        }
    }

    /** Writes from {@code src} (all of it in blocking mode, what fits otherwise); advances its position. */
    private int writeFrom(ByteBuffer src, long deadline) throws IOException {
        int len = src.remaining();
        if (len == 0) return 0;
        if (src.hasArray()) {
            int n = core.write(src.array(), src.arrayOffset() + src.position(), len, deadline);
            src.position(src.position() + n);
            return n;
        }
        byte[] tmp = writeScratch.take(len);
        try {
            int total = 0;
            while (src.hasRemaining()) {
                int l = Math.min(src.remaining(), tmp.length);
                src.get(src.position(), tmp, 0, l);
                int n = core.write(tmp, 0, l, deadline);
                src.position(src.position() + n);
                total += n;
                if (n < l) break;
            }
            return total;
        } finally {
            writeScratch.give(tmp);
        }
    }

    /** The adaptor's stream: a blocking write of all of {@code b[off, off+len)}. */
    void blockingWrite(byte[] b, int off, int len) throws IOException {
        if (!isBlocking()) throw new IllegalBlockingModeException();
        beginWrite();
        try {
            core.write(b, off, len, Long.MAX_VALUE);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Shutdown, addresses, options

    @Override
    public SocketChannel shutdownInput() throws IOException {
        ensureOpen();
        if (state != CONNECTED) throw new NotYetConnectedException();
        core.runtime.join();
        core.shutdownInput();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        ensureOpen();
        if (state != CONNECTED) throw new NotYetConnectedException();
        core.runtime.join();
        core.shutdownOutput();
        return this;
    }

    /** Whether shutdownInput was called (for the adaptor). */
    boolean inputShut() {
        return core.inputShut();
    }

    /** Whether shutdownOutput was called (for the adaptor). */
    boolean outputShut() {
        return core.outputShut();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    /** The peer, or null (for the adaptor, which may ask after close). */
    InetSocketAddress remote() {
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return local();
    }

    /** The local address: the connection's, else the bound one, else null. */
    InetSocketAddress local() {
        if (!isOpen()) return null;
        core.runtime.join();
        try {
            return core.call(() -> {
                TcpConnection c = core.connection();
                if (c != null) return new InetSocketAddress(c.tuple().localAddress().toInetAddress(), c.tuple().localPort());
                IpAddress a = core.boundAddress();
                return a == null ? null : new InetSocketAddress(a.toInetAddress(), core.boundPort());
            });
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        ensureOpen();
        core.runtime.join();
        core.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        ensureOpen();
        core.runtime.join();
        return core.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SocketSettings.supported(false);
    }

    @Override
    public synchronized Socket socket() {
        if (adaptor == null) adaptor = ChannelSocket.of(this);
        return adaptor;
    }

    // ------------------------------------------------------------------------------------------------
    // Selection, blocking mode, close

    @Override
    public int readyOps(int pollMask, int interestOps) {
        if ((pollMask & Poll.NVAL) != 0) return 0;
        if ((pollMask & (Poll.ERR | Poll.HUP)) != 0) return interestOps;
        int ops = 0;
        int st = state;
        if ((pollMask & Poll.IN) != 0 && st == CONNECTED) ops |= interestOps & SelectionKey.OP_READ;
        if ((pollMask & Poll.OUT) != 0 && st == PENDING) ops |= interestOps & SelectionKey.OP_CONNECT;
        if ((pollMask & Poll.OUT) != 0 && st == CONNECTED) ops |= interestOps & SelectionKey.OP_WRITE;
        return ops;
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to do: each operation reads isBlocking()
    }

    /**
     * Closes the socket (gracefully, or with an RST if data is unread or SO_LINGER is 0; in blocking mode a
     * positive SO_LINGER waits for the data to be acknowledged). A thread blocked on the channel wakes with
     * AsynchronousCloseException.
     */
    @Override
    protected void implCloseSelectableChannel() throws IOException {
        try {
            core.runtime.join();
            core.close(isBlocking());
        } catch (SocketCore.Interrupted e) {
            // closed anyway; the interrupt status is set again
        } catch (IllegalStateException e) {
            core.abandon(); // the runtime is closed (or refuses this thread): nothing left to tell the stack
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Plumbing

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    private void beginIo() throws IOException {
        ensureOpen();
        if (state != CONNECTED) throw new NotYetConnectedException();
        core.runtime.join();
    }

    private void beginWrite() throws IOException {
        beginIo();
        if (core.outputShut()) throw new ClosedChannelException();
    }

    /** The deadline of an operation in the current mode. */
    private long deadline() {
        return isBlocking() ? Long.MAX_VALUE : SocketCore.NONBLOCKING;
    }

    /** What a failed operation throws: the JDK's exceptions for a close or an interrupt during it. */
    private IOException failed(IOException e) {
        if (e instanceof SocketCore.Interrupted) {
            closeQuietly();
            return new ClosedByInterruptException();
        }
        if (e instanceof SocketCore.Closed) return isOpen() ? new ClosedChannelException() : new AsynchronousCloseException();
        return e;
    }

    /** Closes the channel (a failed connect does, as the JDK's) and returns {@code e} to throw. */
    private IOException closedAfter(IOException e) {
        closeQuietly();
        return e;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the failure being reported matters more
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(getClass().getSuperclass().getName()).append('[');
        if (!isOpen()) return b.append("closed]").toString();
        b.append(state == CONNECTED ? "connected" : state == PENDING ? "connection-pending" : "unconnected");
        b.append(" ").append(core);
        return b.append(']').toString();
    }
}
