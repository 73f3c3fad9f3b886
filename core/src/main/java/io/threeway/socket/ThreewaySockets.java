package io.threeway.socket;

import io.threeway.host.Stack;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point of the socket API: one {@link Stack} bound to the {@link SocketRuntime} that drives it.
 * Everything else comes from here:
 * <pre>{@code
 * ThreewaySockets sockets = ThreewaySockets.on(stack, sim.scheduler());
 * try (ServerSocket server = sockets.serverSocket(8080)) { ... }
 * Socket client = sockets.socketFactory().createSocket("198.18.0.2", 8080);
 * }</pre>
 * {@link #on} installs itself as the stack's application wakeup: an event on a connection or listener wakes
 * the {@link WaitQueue} of the socket that owns it, so only the threads blocked on that socket re-check. There
 * is one {@code ThreewaySockets} per stack and runtime ({@link #on} returns the same one again; one with a
 * different runtime takes the stack over).
 *
 * <p>Host names given to its factories resolve through {@link #setNameResolver} (the public API resolves them
 * inside its network); without one, hosts are literal IPv4 or IPv6 addresses and anything else fails with
 * {@link UnknownHostException}, so a simulation never reaches the real DNS.
 */
public final class ThreewaySockets implements Consumer<Object> {
    private final Stack stack;
    private final SocketRuntime runtime;
    private final ThreewaySocketFactory socketFactory;
    private final ThreewayServerSocketFactory serverSocketFactory;
    /** NIO channels and selectors on this stack. */
    private final ThreewaySelectorProvider selectorProvider;
    /** The wait queue of the socket that owns each connection or listener. Guarded by the runtime. */
    private final Map<Object, WaitQueue> queues = new IdentityHashMap<>();
    /** Resolves the host names given to the factories; by default none (literal addresses only). */
    private volatile NameResolver names = host -> {
        throw new UnknownHostException(host + ": Threeway sockets take literal IP addresses only (no name resolution)");
    };

    /** Turns a host name (never a literal address) into an address, or fails with UnknownHostException. */
    @FunctionalInterface
    public interface NameResolver {
        /** The address of {@code host}. */
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private ThreewaySockets(Stack stack, SocketRuntime runtime) {
        this.stack = stack;
        this.runtime = runtime;
        this.socketFactory = new ThreewaySocketFactory(this);
        this.serverSocketFactory = new ThreewayServerSocketFactory(this);
        this.selectorProvider = new ThreewaySelectorProvider(this);
    }

    /** Sockets on {@code stack}, blocking through {@code runtime}. */
    public static ThreewaySockets on(Stack stack, SocketRuntime runtime) {
        Objects.requireNonNull(stack);
        Objects.requireNonNull(runtime);
        return runtime.call(() -> {
            if (stack.applicationWakeup() instanceof ThreewaySockets known && known.runtime == runtime) return known;
            ThreewaySockets s = new ThreewaySockets(stack, runtime);
            stack.setApplicationWakeup(s);
            return s;
        });
    }

    /**
     * The stack's application wakeup: {@code socket} (a connection or listener) changed, so the threads
     * blocked on it re-check. Called by the stack, with exclusive access.
     */
    @Override
    public void accept(Object socket) {
        runtime.wake(queues.get(socket));
    }

    /** From now on, events on {@code socket} wake {@code queue}. Call with exclusive access. */
    void register(Object socket, WaitQueue queue) {
        queues.put(socket, queue);
    }

    /** Events on {@code socket} wake nobody any more. Call with exclusive access. */
    void unregister(Object socket) {
        if (socket != null) queues.remove(socket);
    }

    /** Sockets whose events wake a queue (for tests). */
    int registeredSockets() {
        return runtime.call(queues::size);
    }

    public Stack stack() { return stack; }

    public SocketRuntime runtime() { return runtime; }

    /** A {@link javax.net.SocketFactory} whose sockets live on this stack. */
    public ThreewaySocketFactory socketFactory() { return socketFactory; }

    /** A {@link javax.net.ServerSocketFactory} whose server sockets live on this stack. */
    public ThreewayServerSocketFactory serverSocketFactory() { return serverSocketFactory; }

    /**
     * NIO on this stack: socket channels, server socket channels and selectors, for code and frameworks that
     * take a {@link java.nio.channels.spi.SelectorProvider} (Netty's NIO transport).
     */
    public ThreewaySelectorProvider selectorProvider() { return selectorProvider; }

    /** A new unconnected socket: set options, then {@code connect}. */
    public ThreewaySocket socket() throws IOException {
        return new ThreewaySocket(this);
    }

    /** A new unbound server socket: set options (SO_REUSEADDR, SO_RCVBUF...), then {@code bind}. */
    public ThreewayServerSocket serverSocket() throws IOException {
        return new ThreewayServerSocket(this);
    }

    /**
     * A server socket listening on {@code port} (0 for an ephemeral one) of every address, IPv4 and IPv6,
     * with a backlog of 50: {@code new ServerSocket(port)} on a dual-stack Linux host, which binds
     * {@code [::]} with IPV6_V6ONLY off. (Binding {@code 0.0.0.0} explicitly takes IPv4 only.)
     */
    public ThreewayServerSocket serverSocket(int port) throws IOException {
        return serverSocket(port, 50);
    }

    public ThreewayServerSocket serverSocket(int port, int backlog) throws IOException {
        ThreewayServerSocket s = new ThreewayServerSocket(this);
        try {
            s.bind(new InetSocketAddress(IpAddress.ANY6.toInetAddress(), port), backlog);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Runs {@code action} with exclusive access to the stack, then tells the stack the user call is done so
     * its driver hears of timers the call armed.
     */
    <T> T call(ThreewaySocketImpl.IoSupplier<T> action) {
        return runtime.call(() -> {
            try {
                return action.get();
            } catch (SocketException e) {
                throw new ThreewaySocketImpl.UncheckedSocketException(e);
            } finally {
                stack.userCallDone();
            }
        });
    }

    /** Resolves the host names given to this stack's factories and sockets from now on. */
    public void setNameResolver(NameResolver resolver) {
        this.names = Objects.requireNonNull(resolver);
    }

    /**
     * The address {@code host} names: a literal IPv4 or IPv6 address as itself, a name through the
     * {@link #setNameResolver resolver}, never the real DNS. A null host means the loopback address, as in
     * {@link InetAddress#getByName}.
     */
    InetAddress resolve(String host) throws UnknownHostException {
        if (host == null) return InetAddress.getLoopbackAddress();
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!looksLiteral(h)) {
            InetAddress a = names.resolve(host);
            return InetAddress.getByAddress(host, a.getAddress());
        }
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host + ": not a literal IP address");
        }
    }

    private static boolean looksLiteral(String h) {
        if (h.isEmpty()) return false;
        if (h.indexOf(':') >= 0) return true;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "ThreewaySockets[" + stack.name() + "]";
    }
}
