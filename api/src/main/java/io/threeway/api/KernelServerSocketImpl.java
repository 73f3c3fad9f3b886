package io.threeway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.util.Set;

/**
 * The server half of {@link KernelSocketImpl}: a kernel server socket outside sealed runs, over the JDK's own
 * {@code ServerSocketChannel.socket()}. {@code ServerSocket.bind} calls {@link #bind} then {@link #listen}; the
 * JDK's adaptor binds and listens in one call, so the address waits for {@link #listen}.
 */
final class KernelServerSocketImpl extends SocketImpl {
    /** The JDK's server socket; null until created. */
    private ServerSocket server;
    /** The address {@link #bind} was given, used by {@link #listen}. */
    private InetSocketAddress bindTo;

    @Override
    protected void create(boolean stream) throws IOException {
        refuseWhenSealed("a server socket was opened");
        server = KernelChannels.provider().openServerSocketChannel().socket();
    }

    private ServerSocket server() throws SocketException {
        if (server == null) throw new SocketException("Socket is not created");
        return server;
    }

    private static void refuseWhenSealed(String what) throws SocketException {
        if (Sealed.active()) throw new SocketException(Sealed.refusal(what));
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        refuseWhenSealed("a server socket was bound");
        server();
        bindTo = new InetSocketAddress(host, port);
    }

    @Override
    protected void listen(int backlog) throws IOException {
        refuseWhenSealed("a server socket listened");
        ServerSocket s = server();
        if (bindTo == null) throw new SocketException("Socket is not bound");
        s.bind(bindTo, backlog);
        address = s.getInetAddress();
        localport = s.getLocalPort();
    }

    @Override
    protected void accept(SocketImpl into) throws IOException {
        refuseWhenSealed("a server socket accepted");
        if (!(into instanceof KernelSocketImpl k)) {
            throw new SocketException("a kernel server socket accepts only into a kernel socket, not " + into.getClass().getName());
        }
        Socket s = server().accept();
        k.accepted(s);
    }

    @Override protected void connect(String host, int port) throws IOException { throw notClient(); }
    @Override protected void connect(InetAddress address, int port) throws IOException { throw notClient(); }
    @Override protected void connect(SocketAddress address, int timeout) throws IOException { throw notClient(); }
    @Override protected InputStream getInputStream() throws IOException { throw notClient(); }
    @Override protected OutputStream getOutputStream() throws IOException { throw notClient(); }
    @Override protected int available() throws IOException { throw notClient(); }
    @Override protected void sendUrgentData(int data) throws IOException { throw notClient(); }

    private static SocketException notClient() {
        return new SocketException("a server socket neither connects nor carries data");
    }

    @Override
    protected void close() throws IOException {
        if (server != null) server.close();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        ServerSocket s = server();
        switch (optID) {
            case SocketOptions.SO_TIMEOUT -> s.setSoTimeout((Integer) value);
            case SocketOptions.SO_RCVBUF -> s.setReceiveBufferSize((Integer) value);
            case SocketOptions.SO_REUSEADDR -> s.setReuseAddress((Boolean) value);
            default -> throw new SocketException("unknown server socket option " + optID);
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        ServerSocket s = server();
        return switch (optID) {
            case SocketOptions.SO_TIMEOUT -> soTimeout(s);
            case SocketOptions.SO_RCVBUF -> s.getReceiveBufferSize();
            case SocketOptions.SO_REUSEADDR -> s.getReuseAddress();
            case SocketOptions.SO_BINDADDR -> s.getInetAddress();
            default -> throw new SocketException("unknown server socket option " + optID);
        };
    }

    private static int soTimeout(ServerSocket s) throws SocketException {
        try {
            return s.getSoTimeout();
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        server().setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return server().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return server == null ? Set.of() : server.supportedOptions();
    }
}
