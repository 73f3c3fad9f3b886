package io.threeway.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/**
 * A {@link ServerSocketFactory} for server sockets on one Threeway stack. Get one from
 * {@link ThreewaySockets#serverSocketFactory()}.
 */
public final class ThreewayServerSocketFactory extends ServerSocketFactory {
    private final ThreewaySockets sockets;

    ThreewayServerSocketFactory(ThreewaySockets sockets) {
        this.sockets = sockets;
    }

    /** An unbound server socket. */
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return sockets.serverSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return sockets.serverSocket(port);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return sockets.serverSocket(port, backlog);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        if (ifAddress == null) return sockets.serverSocket(port, backlog);
        ServerSocket s = sockets.serverSocket();
        try {
            s.bind(new InetSocketAddress(ifAddress, port), backlog);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }
}
