package io.threeway.socket;

import io.threeway.tcp.TcpConnection;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link Socket} on a Threeway stack. It is an ordinary {@code java.net.Socket} (streams, timeouts,
 * options, the exceptions of the JDK's own implementation on Linux), so stream code and JSSE
 * ({@code SSLSocketFactory.createSocket(socket, host, port, true)}) run over it unchanged. Make one with
 * {@link ThreewaySockets#socket()} or {@link ThreewaySockets#socketFactory()}, or get one from
 * {@link ThreewayServerSocket#accept()}.
 *
 * <p>Blocking calls wait through the stack's {@link SocketRuntime}: in the simulator, they must be made
 * from an application thread ({@code Simulator.spawn}) or from the thread driving the simulation.
 */
public class ThreewaySocket extends Socket {
    private final ThreewaySocketImpl impl;

    ThreewaySocket(ThreewaySockets sockets) throws SocketException {
        this(new ThreewaySocketImpl(sockets, false));
    }

    private ThreewaySocket(ThreewaySocketImpl impl) throws SocketException {
        super(impl);
        this.impl = impl;
    }

    /** The engine's connection once connected (null before): for ss-like inspection and tests. */
    public TcpConnection connection() {
        return impl.connection();
    }

    @Override
    public String toString() {
        TcpConnection c = connection();
        return c != null ? "ThreewaySocket[" + c.tuple() + "]" : "ThreewaySocket[unconnected]";
    }
}
