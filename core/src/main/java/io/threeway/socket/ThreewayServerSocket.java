package io.threeway.socket;

import io.threeway.host.Listener;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketException;

/**
 * A {@link ServerSocket} on a Threeway stack: a listener with Linux's two queues (half-open connections,
 * and established ones waiting for {@link #accept()}, at most min(backlog, net.core.somaxconn)).
 * Options set before {@code bind} (SO_REUSEADDR, SO_RCVBUF, TCP_NODELAY, ...) are inherited by every
 * accepted socket, as on Linux. SO_TIMEOUT bounds {@code accept} ("Accept timed out").
 */
public class ThreewayServerSocket extends ServerSocket {
    private final ThreewaySockets sockets;
    private final ThreewaySocketImpl impl;

    ThreewayServerSocket(ThreewaySockets sockets) throws IOException {
        this(sockets, new ThreewaySocketImpl(sockets, true));
    }

    private ThreewayServerSocket(ThreewaySockets sockets, ThreewaySocketImpl impl) throws IOException {
        super(impl);
        this.sockets = sockets;
        this.impl = impl;
    }

    /** Waits for a connection and returns it as a {@link ThreewaySocket}. */
    @Override
    public ThreewaySocket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        ThreewaySocket s = new ThreewaySocket(sockets);
        implAccept(s);
        return s;
    }

    /** The stack's listener once bound (null before): for ss-like inspection and tests. */
    public Listener listener() {
        return impl.listener();
    }

    @Override
    public String toString() {
        Listener l = listener();
        return l != null ? "ThreewayServerSocket[" + l.address() + ":" + l.port() + "]" : "ThreewayServerSocket[unbound]";
    }
}
