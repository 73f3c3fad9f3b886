package io.threeway.socket;

import io.threeway.tcp.TcpConnection;
import java.io.IOException;
import java.io.OutputStream;
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
 *
 * <p>TCP Fast Open is an option, as on Linux, so request/response code needs no other change:
 * <pre>{@code
 * Socket s = sockets.socket();
 * s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
 * s.connect(server);                       // with a cookie cached: returns at once, nothing sent yet
 * s.getOutputStream().write(request);      // the SYN carries the request
 * }</pre>
 * See {@link ThreewaySocketOptions#TCP_FASTOPEN_CONNECT}, and {@link ThreewaySocketOptions#TCP_FASTOPEN}
 * for the server side.
 */
public class ThreewaySocket extends Socket {
    private final ThreewaySocketImpl impl;
    private volatile OutputStream out;

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

    /**
     * The socket's output stream. {@code java.net.Socket}'s own stream drops {@code flush()}; this one passes
     * it on, so that flushing before any write makes a connect that TCP_FASTOPEN_CONNECT deferred.
     */
    @Override
    public OutputStream getOutputStream() throws IOException {
        OutputStream socketStream = super.getOutputStream(); // Socket's checks: closed, not connected, shut down
        OutputStream o = out;
        if (o == null) {
            synchronized (this) {
                if (out == null) out = new Flushing(socketStream, impl);
                o = out;
            }
        }
        return o;
    }

    /** Socket's stream, with {@code flush} reaching the implementation. */
    private static final class Flushing extends OutputStream {
        private final OutputStream socketStream;
        private final ThreewaySocketImpl impl;

        Flushing(OutputStream socketStream, ThreewaySocketImpl impl) {
            this.socketStream = socketStream;
            this.impl = impl;
        }

        @Override
        public void write(int b) throws IOException {
            socketStream.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            socketStream.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            impl.flush();
        }

        @Override
        public void close() throws IOException {
            socketStream.close();
        }
    }

    @Override
    public String toString() {
        TcpConnection c = connection();
        return c != null ? "ThreewaySocket[" + c.tuple() + "]" : "ThreewaySocket[unconnected]";
    }
}
