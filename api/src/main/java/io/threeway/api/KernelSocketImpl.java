package io.threeway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.util.Set;

/**
 * A kernel socket made through {@link Sealed}'s JVM-wide factory outside sealed runs: every call goes to the JDK's
 * own blocking socket over a NIO channel ({@link KernelChannels}), so code that uses kernel sockets on purpose
 * (a test's own loopback server, a database the test talks to) works as without Threeway, and no JVM option is
 * needed. A socket made before a sealed run began and connected, bound or accepted during it is refused as a
 * new one would be.
 */
final class KernelSocketImpl extends SocketImpl {
    /** The JDK's socket; null until created or accepted. */
    private Socket socket;

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) throw new SocketException("datagram sockets are not made through a SocketImpl");
        refuseWhenSealed("a socket was opened");
        socket = KernelChannels.provider().openSocketChannel().socket();
    }

    /** Takes the connection a kernel server socket accepted. */
    void accepted(Socket s) {
        socket = s;
        address = s.getInetAddress();
        port = s.getPort();
        localport = s.getLocalPort();
    }

    private Socket socket() throws SocketException {
        if (socket == null) throw new SocketException("Socket is not created");
        return socket;
    }

    private static void refuseWhenSealed(String what) throws SocketException {
        if (Sealed.active()) throw new SocketException(Sealed.refusal(what));
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(InetAddress.getByName(host), port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeout) throws IOException {
        refuseWhenSealed("a socket was connected");
        Socket s = socket();
        s.connect(endpoint, timeout);
        address = s.getInetAddress();
        port = s.getPort();
        localport = s.getLocalPort();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        refuseWhenSealed("a socket was bound");
        Socket s = socket();
        s.bind(new InetSocketAddress(host, port));
        localport = s.getLocalPort();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("a client socket does not listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("a client socket does not accept");
    }

    @Override protected InputStream getInputStream() throws IOException { return socket().getInputStream(); }
    @Override protected OutputStream getOutputStream() throws IOException { return socket().getOutputStream(); }
    @Override protected int available() throws IOException { return socket().getInputStream().available(); }
    @Override protected void shutdownInput() throws IOException { socket().shutdownInput(); }
    @Override protected void shutdownOutput() throws IOException { socket().shutdownOutput(); }
    @Override protected boolean supportsUrgentData() { return true; }
    @Override protected void sendUrgentData(int data) throws IOException { socket().sendUrgentData(data); }

    @Override
    protected void close() throws IOException {
        if (socket != null) socket.close();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        Socket s = socket();
        switch (optID) {
            case SocketOptions.TCP_NODELAY -> s.setTcpNoDelay((Boolean) value);
            case SocketOptions.SO_KEEPALIVE -> s.setKeepAlive((Boolean) value);
            case SocketOptions.SO_OOBINLINE -> s.setOOBInline((Boolean) value);
            case SocketOptions.SO_REUSEADDR -> s.setReuseAddress((Boolean) value);
            case SocketOptions.SO_TIMEOUT -> s.setSoTimeout((Integer) value);
            case SocketOptions.SO_SNDBUF -> s.setSendBufferSize((Integer) value);
            case SocketOptions.SO_RCVBUF -> s.setReceiveBufferSize((Integer) value);
            case SocketOptions.IP_TOS -> s.setTrafficClass((Integer) value);
            case SocketOptions.SO_LINGER -> s.setSoLinger(value instanceof Integer i, value instanceof Integer i ? i : 0);
            case SocketOptions.SO_REUSEPORT -> setStandard(s, StandardSocketOptions.SO_REUSEPORT, (Boolean) value);
            default -> throw new SocketException("unknown socket option " + optID);
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        Socket s = socket();
        return switch (optID) {
            case SocketOptions.TCP_NODELAY -> s.getTcpNoDelay();
            case SocketOptions.SO_KEEPALIVE -> s.getKeepAlive();
            case SocketOptions.SO_OOBINLINE -> s.getOOBInline();
            case SocketOptions.SO_REUSEADDR -> s.getReuseAddress();
            case SocketOptions.SO_TIMEOUT -> s.getSoTimeout();
            case SocketOptions.SO_SNDBUF -> s.getSendBufferSize();
            case SocketOptions.SO_RCVBUF -> s.getReceiveBufferSize();
            case SocketOptions.IP_TOS -> s.getTrafficClass();
            case SocketOptions.SO_LINGER -> s.getSoLinger();
            case SocketOptions.SO_BINDADDR -> s.getLocalAddress();
            case SocketOptions.SO_REUSEPORT -> getStandard(s, StandardSocketOptions.SO_REUSEPORT);
            default -> throw new SocketException("unknown socket option " + optID);
        };
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        socket().setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return socket().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return socket == null ? Set.of() : socket.supportedOptions();
    }

    private static <T> void setStandard(Socket s, SocketOption<T> name, T value) throws SocketException {
        try {
            s.setOption(name, value);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    private static <T> T getStandard(Socket s, SocketOption<T> name) throws SocketException {
        try {
            return s.getOption(name);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }
}
