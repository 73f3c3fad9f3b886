package io.threeway.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import java.util.Objects;

/**
 * A host's socket factory for libraries that make their factory themselves, from a class name and a string: the
 * PostgreSQL JDBC driver's {@code socketFactory=io.threeway.api.HostSocketFactory&socketFactoryArg=client}, for
 * instance. The string names the host; the network is the one the calling thread works in (its application
 * thread's network, or the only one open), looked up at each socket, so the factory may be made before the
 * network.
 */
public final class HostSocketFactory extends SocketFactory {
    /** The host's name. */
    private final String host;

    /**
     * The factory of the host named {@code host}.
     *
     * @param host the host's name in the network
     */
    public HostSocketFactory(String host) {
        this.host = Objects.requireNonNull(host, "the host's name (e.g. socketFactoryArg=client)");
    }

    private SocketFactory factory() throws IOException {
        Network n = Networks.current();
        if (n == null) {
            throw new IOException("HostSocketFactory(\"" + host + "\") used on thread '" + Thread.currentThread().getName()
                    + "', which works in no Threeway network (none open, or several and this thread belongs to none)");
        }
        Host h = Names.find(n, host);
        if (h == null) throw new IOException("no host named '" + host + "' in " + n);
        return h.socketFactory();
    }

    @Override
    public Socket createSocket() throws IOException {
        return factory().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return factory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return factory().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return factory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return factory().createSocket(address, port, localAddress, localPort);
    }
}
