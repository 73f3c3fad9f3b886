package io.threeway.api;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketImplFactory;
import java.net.UnknownHostException;
import java.nio.channels.spi.SelectorProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * Sealed runs: while a network sealed with {@link Network#seal()} is open, a socket opened on the kernel's stack
 * instead of Threeway's (a library that ignores the socket factory it was given) fails at once, before a packet
 * leaves, with a message that says so; so does a name lookup that would reach the system resolver.
 *
 * <p>The guard is installed JVM-wide the first time a network is sealed, and stays (the JDK's hooks can be set
 * once); outside sealed runs it lets kernel sockets through unchanged. It covers:
 * <ul>
 *   <li>{@link Socket} and {@link ServerSocket} (what HTTP clients, JDBC drivers and Redis clients use), through
 *       {@link Socket#setSocketImplFactory} and {@link ServerSocket#setSocketFactory}; outside sealed runs the
 *       factory makes the JDK's own implementation, which needs
 *       {@code --add-opens java.base/java.net=ALL-UNNAMED} (or {@code =io.threeway} on the module path);</li>
 *   <li>NIO channels ({@code SocketChannel}, {@code ServerSocketChannel}, {@code DatagramChannel}: Netty, the
 *       JDK's HttpClient) when the JVM starts with
 *       {@code -Djava.nio.channels.spi.SelectorProvider=io.threeway.api.SealedSelectorProvider} and
 *       {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the property is read once, at the first NIO use,
 *       so it cannot be installed later); {@link #nioGuarded()} says whether it is;</li>
 *   <li>host names, through Threeway's {@link NetworkNameResolver}.</li>
 * </ul>
 * A guard is not a wall: for tests of third-party clients, also run them where a leak cannot reach any network
 * (a network namespace without routes, as Threeway's own examples do).
 */
public final class Sealed {
    /** Sealed networks open now. */
    private static int sealed;
    /** Whether the socket factories are installed. */
    private static boolean installed;

    private Sealed() {}

    /** {@return whether a sealed run is on: some sealed network is open} */
    public static synchronized boolean active() {
        return sealed > 0;
    }

    /** {@return whether NIO channels are guarded too (the JVM was started with the selector provider property)} */
    public static boolean nioGuarded() {
        return SelectorProvider.provider() instanceof SealedSelectorProvider;
    }

    static synchronized void sealedOpened() {
        install();
        sealed++;
    }

    static synchronized void sealedClosed() {
        sealed--;
    }

    /** The message every refusal carries. */
    static String refusal(String what) {
        return "sealed run: " + what + " on the kernel's network stack from thread '" + Thread.currentThread().getName()
                + "', instead of a Threeway socket. A library ignored the socket factory it was given (or was given"
                + " none): pass it the host's factory (Host.socketFactory()), or check how it makes its sockets."
                + " Nothing was sent.";
    }

    /** Refuses a name lookup that would reach the system resolver, during a sealed run. */
    static void checkLookup(String host) throws UnknownHostException {
        if (active()) throw new UnknownHostException(host + ": " + refusal("a lookup of '" + host + "' through the system resolver"));
    }

    private static void install() {
        if (installed) return;
        Method platform;
        try {
            platform = SocketImpl.class.getDeclaredMethod("createPlatformSocketImpl", boolean.class);
            platform.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("sealed runs need the JVM option --add-opens java.base/java.net=ALL-UNNAMED"
                    + " (or =io.threeway on the module path), so that kernel sockets outside sealed runs keep the JDK's"
                    + " own implementation: " + e, e);
        }
        try {
            Socket.setSocketImplFactory(new Guard(platform, false));
            ServerSocket.setSocketFactory(new Guard(platform, true));
        } catch (IOException e) {
            throw new IllegalStateException("sealed runs need Socket.setSocketImplFactory, which something else already"
                    + " set in this JVM: " + e, e);
        }
        installed = true;
    }

    /** The JVM's socket factory: the JDK's own sockets, except during a sealed run. */
    private record Guard(Method platform, boolean server) implements SocketImplFactory {
        @Override
        public SocketImpl createSocketImpl() {
            if (active()) return new Refused(server);
            try {
                return (SocketImpl) platform.invoke(null, server);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make the JDK's socket implementation", e);
            }
        }
    }

    /** A kernel socket in a sealed run: every operation that would reach the kernel fails with the message. */
    private static final class Refused extends SocketImpl {
        /** A server socket's. */
        private final boolean server;

        Refused(boolean server) {
            this.server = server;
        }

        private SocketException refuse() {
            return new SocketException(refusal(server ? "a server socket was opened" : "a socket was opened"));
        }

        @Override protected void create(boolean stream) throws IOException { throw refuse(); }
        @Override protected void connect(String host, int port) throws IOException { throw refuse(); }
        @Override protected void connect(InetAddress address, int port) throws IOException { throw refuse(); }
        @Override protected void connect(SocketAddress address, int timeout) throws IOException { throw refuse(); }
        @Override protected void bind(InetAddress host, int port) throws IOException { throw refuse(); }
        @Override protected void listen(int backlog) throws IOException { throw refuse(); }
        @Override protected void accept(SocketImpl s) throws IOException { throw refuse(); }
        @Override protected InputStream getInputStream() throws IOException { throw refuse(); }
        @Override protected OutputStream getOutputStream() throws IOException { throw refuse(); }
        @Override protected int available() throws IOException { throw refuse(); }
        @Override protected void close() { }
        @Override protected void sendUrgentData(int data) throws IOException { throw refuse(); }
        @Override public void setOption(int optID, Object value) throws SocketException { throw refuse(); }
        @Override public Object getOption(int optID) throws SocketException { throw refuse(); }
    }
}
