package io.threeway.api;

import java.io.IOException;
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
 * once); outside sealed runs it lets kernel sockets through. It covers:
 * <ul>
 *   <li>{@link Socket} and {@link ServerSocket} (what OkHttp, Apache HttpClient's classic API, JDBC drivers, Redis
 *       clients and {@code HttpURLConnection} use), through {@link Socket#setSocketImplFactory} and
 *       {@link ServerSocket#setSocketFactory}, with no JVM option: outside sealed runs the factory's sockets are
 *       the JDK's own blocking sockets over NIO channels ({@code SocketChannel.socket()}), with the same timeouts,
 *       options and errors; a socket made before the run and connected, bound or accepted during it is refused
 *       too;</li>
 *   <li>NIO channels ({@code SocketChannel}, {@code ServerSocketChannel}, {@code DatagramChannel}: Netty, the
 *       JDK's HttpClient) only when the JVM starts with
 *       {@code -Djava.nio.channels.spi.SelectorProvider=io.threeway.api.SealedSelectorProvider} (or
 *       {@link NetworkSelectorProvider}, which also gives a network's threads Threeway's channels) and
 *       {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (or {@code =io.threeway} on the module path).
 *       These cannot be avoided: the JDK reads its selector provider once, at the JVM's first use of NIO, so
 *       a guard cannot be put in later, and the JDK's own provider, to which the guard hands every channel
 *       outside sealed runs, is in the unexported {@code sun.nio.ch}. {@link #nioGuarded()} says whether the
 *       JVM has it; {@link Network#seal()} says so on the {@code io.threeway} logger when it does not;</li>
 *   <li>host names, through Threeway's {@link NetworkNameResolver}.</li>
 * </ul>
 * Not covered: a {@link Socket} made for an explicit SOCKS or HTTP {@link java.net.Proxy} (the JDK makes those on
 * its own implementation, past any factory), {@link java.net.DatagramSocket} (UDP) and
 * {@link java.nio.channels.AsynchronousSocketChannel}. Once installed, the factory also replaces the JDK's
 * SOCKS-aware default for plain {@code new Socket()}, so the {@code socksProxyHost} system property no longer
 * applies to them.
 *
 * <p>A guard is not a wall: for tests of third-party clients, also run them where a leak cannot reach any network
 * (a network namespace without routes, as Threeway's own examples do).
 */
public final class Sealed {
    /** Sealed networks open now. */
    private static int sealed;
    /** Whether the socket factories are installed. */
    private static boolean installed;
    /** Whether the missing NIO guard was reported. */
    private static boolean warned;

    private Sealed() {}

    /** {@return whether a sealed run is on: some sealed network is open} */
    public static synchronized boolean active() {
        return sealed > 0;
    }

    /**
     * {@return whether NIO channels are guarded too: the JVM was started with {@link SealedSelectorProvider} or
     * {@link NetworkSelectorProvider} as its selector provider}
     */
    public static boolean nioGuarded() {
        SelectorProvider p = SelectorProvider.provider();
        return p instanceof SealedSelectorProvider || p instanceof NetworkSelectorProvider;
    }

    static synchronized void sealedOpened() {
        install();
        if (!warned && !nioGuarded()) {
            warned = true;
            System.getLogger("io.threeway").log(System.Logger.Level.WARNING, "sealed run: kernel java.net sockets and"
                    + " name lookups are refused, but NIO channels (Netty, the JDK's HttpClient) are NOT guarded in this"
                    + " JVM: start it with -Djava.nio.channels.spi.SelectorProvider=io.threeway.api.SealedSelectorProvider (or NetworkSelectorProvider)"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED (see io.threeway.api.Sealed)");
        }
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
        try {
            Socket.setSocketImplFactory(new Guard(false));
            ServerSocket.setSocketFactory(new Guard(true));
        } catch (IOException e) {
            throw new IllegalStateException("sealed runs need Socket.setSocketImplFactory, which something else already"
                    + " set in this JVM: " + e, e);
        }
        installed = true;
    }

    /** The JVM's socket factory: kernel sockets over the JDK's own channels, except during a sealed run. */
    private record Guard(boolean server) implements SocketImplFactory {
        @Override
        public SocketImpl createSocketImpl() {
            if (active()) return new Refused(server);
            return server ? new KernelServerSocketImpl() : new KernelSocketImpl();
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
