package io.threeway.socket;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;

/**
 * The {@link SocketImpl} a channel's {@code java.net} adaptor is made with ({@link ChannelSocket},
 * {@link ChannelServerSocket}), so that {@code Socket}'s constructor makes no implementation of its own (which
 * would be a kernel socket's, or a sealed run's refusal). The adaptors override every method that would reach
 * it; reaching it anyway is a bug in the adaptor.
 */
final class UnusedSocketImpl extends SocketImpl {
    private static UnsupportedOperationException bug() {
        return new UnsupportedOperationException("a channel's socket adaptor reached its unused SocketImpl");
    }

    @Override protected void create(boolean stream) { throw bug(); }
    @Override protected void connect(String host, int port) { throw bug(); }
    @Override protected void connect(InetAddress address, int port) { throw bug(); }
    @Override protected void connect(SocketAddress address, int timeout) { throw bug(); }
    @Override protected void bind(InetAddress host, int port) { throw bug(); }
    @Override protected void listen(int backlog) { throw bug(); }
    @Override protected void accept(SocketImpl s) { throw bug(); }
    @Override protected InputStream getInputStream() { throw bug(); }
    @Override protected OutputStream getOutputStream() { throw bug(); }
    @Override protected int available() { throw bug(); }
    @Override protected void close() { }
    @Override protected void sendUrgentData(int data) { throw bug(); }
    @Override public void setOption(int optID, Object value) { throw bug(); }
    @Override public Object getOption(int optID) { throw bug(); }
}
