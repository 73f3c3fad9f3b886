package io.threeway.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;

/**
 * The {@code java.net.ServerSocket} face of a {@link ThreewayServerSocketChannel}
 * ({@link ServerSocketChannel#socket()}): binding, accepting (in blocking mode, with SO_TIMEOUT: "Accept timed
 * out") and options go to the channel; an accepted connection comes back as its channel's adaptor, so
 * {@code accept().getChannel()} is the accepted channel. {@code com.sun.net.httpserver} binds through it.
 */
final class ChannelServerSocket extends ServerSocket {
    /** The channel. */
    private final ThreewayServerSocketChannel channel;
    /** SO_TIMEOUT for accept, in ms (0: none). */
    private volatile int timeout;

    private ChannelServerSocket(ThreewayServerSocketChannel channel) throws IOException {
        super(new UnusedSocketImpl()); // every method that would reach it is overridden here
        this.channel = channel;
    }

    /** The adaptor of {@code channel}. */
    static ChannelServerSocket of(ThreewayServerSocketChannel channel) {
        try {
            return new ChannelServerSocket(channel);
        } catch (IOException e) {
            throw new IllegalStateException(e); // ServerSocket(SocketImpl) declares it but does not throw it
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        try {
            channel.bind(local == null ? new InetSocketAddress(0) : local, backlog);
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress l = channel.local();
        return l == null ? null : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = channel.local();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return channel.local();
    }

    @Override
    public Socket accept() throws IOException {
        try {
            int t = timeout;
            if (t > 0) return channel.blockingAccept(t).socket();
            ThreewaySocketChannel c = channel.accept();
            if (c == null) throw new IllegalBlockingModeException();
            return c.socket();
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return channel;
    }

    @Override
    public boolean isBound() {
        return channel.local() != null;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void setSoTimeout(int millis) throws SocketException {
        if (!channel.isOpen()) throw new SocketException("Socket is closed");
        if (millis < 0) throw new IllegalArgumentException("timeout < 0");
        timeout = millis;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (!channel.isOpen()) throw new SocketException("Socket is closed");
        return timeout;
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }
    @Override public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("size cannot be 0 or negative");
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    @Override
    public String toString() {
        if (!isBound()) return "ServerSocket[unbound]";
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }
}
