package io.threeway.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The {@code java.net.Socket} face of a {@link ThreewaySocketChannel} ({@link SocketChannel#socket()}): every call
 * goes to the channel, so code written for sockets works on a channel's connection, and {@link #getChannel()}
 * leads back to it. As the JDK's adaptor: its streams and its connect work in blocking mode only
 * ({@code IllegalBlockingModeException} otherwise), SO_TIMEOUT bounds its stream reads ("Read timed out"), and
 * the channel's exceptions reach it as {@code SocketException}s where {@code java.net.Socket} declares those.
 */
final class ChannelSocket extends Socket {
    /** The channel. */
    private final ThreewaySocketChannel channel;
    /** SO_TIMEOUT for stream reads, in ms (0: none). */
    private volatile int timeout;

    private ChannelSocket(ThreewaySocketChannel channel) throws SocketException {
        super(new UnusedSocketImpl()); // every method that would reach it is overridden here
        this.channel = channel;
    }

    /** The adaptor of {@code channel}. */
    static ChannelSocket of(ThreewaySocketChannel channel) {
        try {
            return new ChannelSocket(channel);
        } catch (SocketException e) {
            throw new IllegalStateException(e); // Socket(SocketImpl) declares it but does not throw it
        }
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeoutMillis) throws IOException {
        if (remote == null) throw new IllegalArgumentException("connect: The address can't be null");
        if (timeoutMillis < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        if (remote instanceof InetSocketAddress isa && isa.isUnresolved()) {
            if (!channel.isOpen()) throw new SocketException("Socket is closed");
            if (channel.isConnected()) throw new SocketException("Already connected");
            close();
            throw new UnknownHostException(isa.getHostName());
        }
        try {
            channel.blockingConnect(remote, timeoutMillis);
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        try {
            channel.bind(local);
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = channel.remote();
        return r == null ? null : r.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        InetSocketAddress l = channel.local();
        return l != null ? l.getAddress() : new InetSocketAddress(0).getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress r = channel.remote();
        return r == null ? 0 : r.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = channel.local();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return isConnected() ? channel.remote() : null;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return channel.local();
    }

    @Override
    public SocketChannel getChannel() {
        return channel;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureUsable();
        if (channel.inputShut()) throw new SocketException("Socket input is shutdown");
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.blockingRead(b, off, len, timeout);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureUsable();
        if (channel.outputShut()) throw new SocketException("Socket output is shutdown");
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                channel.blockingWrite(b, off, len);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    private void ensureUsable() throws SocketException {
        if (!channel.isOpen()) throw new SocketException("Socket is closed");
        if (!channel.isConnected()) throw new SocketException("Socket is not connected");
    }

    // ------------------------------------------------------------------------------------------------
    // Options

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

    @Override public void setTcpNoDelay(boolean on) throws SocketException { set(StandardSocketOptions.TCP_NODELAY, on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return get(StandardSocketOptions.TCP_NODELAY); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { set(StandardSocketOptions.SO_LINGER, on ? linger : -1); }
    @Override public int getSoLinger() throws SocketException { return get(StandardSocketOptions.SO_LINGER); }
    @Override public void setKeepAlive(boolean on) throws SocketException { set(StandardSocketOptions.SO_KEEPALIVE, on); }
    @Override public boolean getKeepAlive() throws SocketException { return get(StandardSocketOptions.SO_KEEPALIVE); }
    @Override public void setTrafficClass(int tc) throws SocketException { set(StandardSocketOptions.IP_TOS, tc); }
    @Override public int getTrafficClass() throws SocketException { return get(StandardSocketOptions.IP_TOS); }
    @Override public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }
    @Override public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid send size");
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override public int getSendBufferSize() throws SocketException { return get(StandardSocketOptions.SO_SNDBUF); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid receive size");
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

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

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data not supported");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("Urgent data not supported");
    }

    @Override
    public boolean getOOBInline() {
        return false;
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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

    // ------------------------------------------------------------------------------------------------
    // State

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        try {
            channel.shutdownInput();
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            throw SocketErrors.forSocket(e);
        }
    }

    @Override public boolean isConnected() { return channel.isConnected(); }
    @Override public boolean isBound() { return channel.local() != null; }
    @Override public boolean isClosed() { return !channel.isOpen(); }
    @Override public boolean isInputShutdown() { return channel.inputShut(); }
    @Override public boolean isOutputShutdown() { return channel.outputShut(); }

    @Override
    public String toString() {
        if (isConnected()) return "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]";
        return "Socket[unconnected]";
    }
}
