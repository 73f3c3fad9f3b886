package io.threeway.socket;

import io.threeway.host.Listener;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ServerSocketChannel} on a Threeway stack: a listener with Linux's queues, in blocking or non-blocking
 * mode (accept returns null when no connection waits), selectable for OP_ACCEPT. Options set before
 * {@code bind} are inherited by the accepted channels, as on Linux. {@link #socket()} is its
 * {@code java.net.ServerSocket} adaptor.
 */
public final class ThreewayServerSocketChannel extends ServerSocketChannel implements ThreewaySelectable {
    /** The JDK's backlog when none (or less than 1) is given. */
    private static final int DEFAULT_BACKLOG = 50;

    /** The provider, for the accepted channels. */
    private final ThreewaySelectorProvider provider;
    /** The socket. */
    private final SocketCore core;
    /** The listener, once bound. */
    private volatile Listener listener;
    /** The adaptor, made on first use. */
    private ServerSocket adaptor;

    ThreewayServerSocketChannel(ThreewaySelectorProvider provider) {
        super(provider);
        this.provider = provider;
        this.core = new SocketCore(provider.sockets(), true);
    }

    @Override
    public SocketCore core() {
        return core;
    }

    /** The stack's listener once bound (null before): for ss-like inspection and tests. */
    public Listener listener() {
        return listener;
    }

    /**
     * bind(2) and listen(2): {@code null} or a wildcard address listens on every address, IPv4 and IPv6 (a
     * dual-stack socket, as the JDK's on Linux); a backlog below 1 means 50.
     */
    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        ensureOpen();
        if (listener != null) throw new AlreadyBoundException();
        InetSocketAddress isa = local == null ? new InetSocketAddress(0) : Addresses.check(local);
        IpAddress a = isa.getAddress().isAnyLocalAddress() ? IpAddress.ANY6 : IpAddress.of(isa.getAddress());
        core.runtime.join();
        core.bind(a, isa.getPort());
        listener = core.listen(backlog < 1 ? DEFAULT_BACKLOG : backlog);
        return this;
    }

    /**
     * accept(2): the next established connection as a channel in blocking mode, or null in non-blocking mode
     * when none waits.
     */
    @Override
    public ThreewaySocketChannel accept() throws IOException {
        ensureOpen();
        if (listener == null) throw new NotYetBoundException();
        return accept(isBlocking() ? Long.MAX_VALUE : SocketCore.NONBLOCKING);
    }

    /** The adaptor's accept: blocking mode only, with SO_TIMEOUT ("Accept timed out"). */
    ThreewaySocketChannel blockingAccept(long timeoutMillis) throws IOException {
        if (!isBlocking()) throw new IllegalBlockingModeException();
        ensureOpen();
        if (listener == null) throw new NotYetBoundException();
        ThreewaySocketChannel c = accept(core.deadlineAfter(timeoutMillis));
        if (c == null) throw new SocketTimeoutException("Accept timed out");
        return c;
    }

    private ThreewaySocketChannel accept(long deadline) throws IOException {
        core.runtime.join();
        SocketCore child = new SocketCore(core.sockets, false);
        try {
            return core.accept(child, deadline) ? new ThreewaySocketChannel(provider, child) : null;
        } catch (SocketCore.Interrupted e) {
            close();
            throw new ClosedByInterruptException();
        } catch (SocketCore.Closed e) {
            throw new AsynchronousCloseException();
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return local();
    }

    /** The address listened on, or null. */
    InetSocketAddress local() {
        Listener l = listener;
        return l == null ? null : new InetSocketAddress(l.address().toInetAddress(), l.port());
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
        return SocketSettings.supported(true);
    }

    @Override
    public synchronized ServerSocket socket() {
        if (adaptor == null) adaptor = ChannelServerSocket.of(this);
        return adaptor;
    }

    @Override
    public int readyOps(int pollMask, int interestOps) {
        if ((pollMask & Poll.NVAL) != 0) return 0;
        if ((pollMask & (Poll.ERR | Poll.HUP)) != 0) return interestOps;
        return (pollMask & Poll.IN) != 0 ? interestOps & SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to do: accept reads isBlocking()
    }

    /** Closes the listener: connections nobody accepted are reset, a blocked accept ends. */
    @Override
    protected void implCloseSelectableChannel() throws IOException {
        try {
            core.runtime.join();
            core.close(false);
        } catch (IllegalStateException e) {
            core.abandon(); // the runtime is closed (or refuses this thread): nothing left to tell the stack
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public String toString() {
        InetSocketAddress l = local();
        return ServerSocketChannel.class.getName() + "[" + (!isOpen() ? "closed" : l == null ? "unbound" : l.toString()) + "]";
    }
}
