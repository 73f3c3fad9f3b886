package io.threeway.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} for sockets on one Threeway stack, for libraries that take a factory (HTTP
 * clients, JSSE's layered sockets, database drivers). Host names resolve through
 * {@link ThreewaySockets#setNameResolver} (literal IP addresses only by default): a name never reaches the real
 * DNS. Get one from
 * {@link ThreewaySockets#socketFactory()}.
 */
public final class ThreewaySocketFactory extends SocketFactory {
    private final ThreewaySockets sockets;

    ThreewaySocketFactory(ThreewaySockets sockets) {
        this.sockets = sockets;
    }

    /** An unconnected socket. */
    @Override
    public Socket createSocket() throws IOException {
        return sockets.socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket(sockets.resolve(host), port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(host, port, null, 0);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(sockets.resolve(host), port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(address, port, localAddress, localPort);
    }

    private Socket connected(InetAddress host, int port, InetAddress localAddress, int localPort) throws IOException {
        ThreewaySocket s = sockets.socket();
        try {
            if (localAddress != null || localPort != 0) s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }
}
