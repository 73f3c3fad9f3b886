package io.threeway.api;

import io.threeway.host.Stack;
import io.threeway.socket.ThreewaySockets;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.NstatFormatter;
import io.threeway.tools.SsFilter;
import io.threeway.tools.SsFormatter;
import io.threeway.tools.SsOptions;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import io.threeway.stats.Counter;
import java.time.Duration;

/**
 * A host of a {@link Network}: one Threeway TCP/IP stack with an IPv4 and an IPv6 address, Linux's default
 * settings, and socket factories to hand to any code that takes one. Its name resolves to it inside the
 * network.
 *
 * <p>Faults of the host itself: {@link #crash()} (it vanishes without a word: its peers' connections are left
 * half-open) and {@link #restart()} (it answers again, with every connection forgotten, so old connections get
 * a reset). Faults of the path between two hosts are on their {@link Link}.
 */
public final class Host {
    /** The network. */
    private final Network network;
    /** The stack. */
    private final Stack stack;
    /** The IPv4 address. */
    private final IpAddress v4;
    /** The IPv6 address. */
    private final IpAddress v6;
    /** The socket API over the stack. */
    private final ThreewaySockets sockets;
    /** Threads started with {@link #spawn}, not yet finished: a crash ends them. */
    private final Set<Thread> threads = new LinkedHashSet<>();
    /** Whether the host is down after {@link #crash()}. */
    private boolean down;
    /** The rules that make a crashed host unreachable, while it is down. */
    private final List<Fault> crashFaults = new ArrayList<>();

    Host(Network network, Stack stack, IpAddress v4, IpAddress v6) {
        this.network = network;
        this.stack = stack;
        this.v4 = v4;
        this.v6 = v6;
        this.sockets = ThreewaySockets.on(stack, network.engine().runtime());
        sockets.setNameResolver(host -> Names.resolve(network, host)[0]);
    }

    /** {@return the host's name} */
    public String name() {
        return stack.name();
    }

    /** {@return the network the host is on} */
    public Network network() {
        return network;
    }

    /** {@return the host's IPv4 address} */
    public InetAddress address() {
        return v4.toInetAddress();
    }

    /** {@return the host's IPv6 address} */
    public InetAddress address6() {
        return v6.toInetAddress();
    }

    /**
     * A socket factory whose sockets are this host's: hand it to an HTTP client, a database driver, JSSE
     * ({@code sslContext.getSocketFactory().createSocket(plain, host, port, true)}). Host names resolve inside
     * the network.
     *
     * @return the factory
     */
    public SocketFactory socketFactory() {
        return sockets.socketFactory();
    }

    /** {@return a server socket factory whose server sockets listen on this host} */
    public ServerSocketFactory serverSocketFactory() {
        return sockets.serverSocketFactory();
    }

    /**
     * NIO on this host: socket channels, server socket channels and selectors on its stack, for frameworks that
     * take a {@link SelectorProvider}, e.g. Netty's {@code new NioEventLoopGroup(n, host.executor("netty"),
     * host.selectorProvider())} and {@code new NioSocketChannel(host.selectorProvider())} (a bootstrap's
     * {@code channelFactory(() -> new NioSocketChannel(provider))}). A selector from it takes the channels of
     * every host of the network. Datagram channels and pipes are refused with an
     * {@link UnsupportedOperationException} naming them. With {@link NetworkSelectorProvider} installed for
     * the JVM, {@code SocketChannel.open()} on this host's threads gives the same channels.
     *
     * @return the provider
     */
    public SelectorProvider selectorProvider() {
        return sockets.selectorProvider();
    }

    /**
     * A thread factory whose threads are the network's application threads and belong to this host: name
     * lookups and {@code SocketChannel.open()} (with {@link NetworkSelectorProvider}) on them act as this host.
     * A crash does not end them (it ends what {@link #spawn} started).
     *
     * @param prefix the start of the threads' names
     * @return the factory
     */
    public ThreadFactory threadFactory(String prefix) {
        return network.threadFactory(prefix, this);
    }

    /**
     * An executor of this host's threads ({@link #threadFactory}), a cached pool as {@link Network#executor}: hand
     * it to a library that runs its work on an executor (the JDK's {@code HttpClient.Builder.executor},
     * {@code com.sun.net.httpserver.HttpServer.setExecutor}, Netty's event loop group).
     *
     * @param prefix the start of the threads' names
     * @return the executor, shut down when the network closes
     */
    public ExecutorService executor(String prefix) {
        return network.executor(threadFactory(prefix));
    }

    /**
     * Connects to {@code host:port} from this host (blocking, as {@code new Socket(host, port)}).
     *
     * @param host a host name of the network, or a literal address
     * @param port the port
     * @return the connected socket
     * @throws IOException as {@code new Socket(host, port)} would throw it (e.g. "Connection refused")
     */
    public Socket connect(String host, int port) throws IOException {
        return sockets.socketFactory().createSocket(host, port);
    }

    /**
     * Connects with a connect timeout, as {@code socket.connect(address, timeout)}.
     *
     * @param host    a host name of the network, or a literal address
     * @param port    the port
     * @param timeout the connect timeout (the network's time)
     * @return the connected socket
     * @throws IOException as {@link Socket#connect(java.net.SocketAddress, int)} (e.g. "Connect timed out")
     */
    public Socket connect(String host, int port, Duration timeout) throws IOException {
        Socket s = sockets.socketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(Names.resolve(network, host)[0], port), Math.toIntExact(timeout.toMillis()));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * A server socket listening on {@code port} of every address of this host, backlog 50.
     *
     * @param port the port (0 for an ephemeral one)
     * @return the server socket
     * @throws IOException if the port is in use
     */
    public ServerSocket listen(int port) throws IOException {
        return sockets.serverSocket(port);
    }

    /**
     * A server socket listening on {@code port} with an accept queue of {@code backlog} (capped by
     * net.core.somaxconn, as in Linux).
     *
     * @param port    the port (0 for an ephemeral one)
     * @param backlog the accept queue's length
     * @return the server socket
     * @throws IOException if the port is in use
     */
    public ServerSocket listen(int port, int backlog) throws IOException {
        return sockets.serverSocket(port, backlog);
    }

    /**
     * Starts an application thread that belongs to this host: it ends if the host {@link #crash crashes}.
     *
     * @param name the thread's name
     * @param body its code
     * @return the thread, started
     */
    public Thread spawn(String name, Task body) {
        Thread t = network.newThread(name, body, this);
        t.start();
        return t;
    }

    /**
     * Sets the MTU of the host's interface, as {@code ip link set dev eth0 mtu N} (1500 unless set): connections
     * made from now on advertise and send an MSS that fits it. A link's own {@link Link#mtu} is the largest packet
     * it carries; larger ones are lost (a path MTU black hole).
     *
     * @param bytes the MTU, from 68 to 65535
     * @return this host
     */
    public Host mtu(int bytes) {
        if (bytes < 68 || bytes > 65535) throw new IllegalArgumentException("MTU not in [68, 65535]: " + bytes);
        network.engine().runtime().run(() -> {
            stack.setMtu(v4, bytes);
            stack.setMtu(v6, bytes);
        });
        return this;
    }

    /**
     * Turns segmentation offload on or off for the host's interface, as {@code ethtool -K eth0 tso on gso on}
     * (off unless set): with it, a connection sends its data in super-segments of several MSS (up to 64 KiB, sized
     * as Linux's tcp_tso_autosize) that the links carry whole and the peer takes whole, as over the kernel's
     * loopback, and the capture shows them as tcpdump on Linux's {@code lo} does. A fault or a loss then applies to
     * a super-segment as a whole; the link's MTU applies to each segment it stands for.
     *
     * @param on whether to offload
     * @return this host
     */
    public Host offload(boolean on) {
        network.engine().runtime().run(() -> network.fabric().setOffload(stack, on));
        return this;
    }

    /**
     * Sets one of the stack's settings, by its Linux name, e.g. {@code sysctl("net.ipv4.tcp_syn_retries", "2")}.
     *
     * @param name  the sysctl's name
     * @param value its new value, as sysctl(8) takes it
     * @throws IllegalArgumentException for an unknown name or a value out of range
     */
    public void sysctl(String name, String value) {
        network.engine().runtime().run(() -> stack.sysctls().set(name, value));
    }

    /**
     * One of the stack's settings as sysctl(8) shows it.
     *
     * @param name the sysctl's name
     * @return its value
     */
    public String sysctl(String name) {
        return network.engine().runtime().call(() -> stack.sysctls().show(name));
    }

    /**
     * The host's socket table as {@code ss -tano} prints it (header first; listeners, connections, TIME-WAIT,
     * with timers).
     *
     * @return the lines
     */
    public List<String> ss() {
        SsOptions o = new SsOptions(true, false, true, false, true, false, false, false);
        return network.engine().runtime().call(() -> SsFormatter.format(snapshot(), o, SsFilter.NONE));
    }

    /**
     * The host's counters as {@code nstat -az} prints them, under Linux's names (TcpActiveOpens,
     * TcpExtListenOverflows...).
     *
     * @return the lines
     */
    public List<String> nstat() {
        return network.engine().runtime().call(() -> NstatFormatter.format(stack.counters(), null, 0, true, true));
    }

    /**
     * One counter by its nstat name, e.g. {@code counter("TcpExtListenOverflows")}.
     *
     * @param name the counter's nstat name
     * @return its value
     * @throws IllegalArgumentException for an unknown name
     */
    public long counter(String name) {
        return network.engine().runtime().call(() -> {
            for (Counter c : Counter.values()) {
                if (c.nstatName().equals(name)) return stack.counters().get(c);
            }
            throw new IllegalArgumentException("no counter named " + name);
        });
    }

    /**
     * The host crashes: it vanishes without a packet, as when it loses power. Its connections are forgotten,
     * the threads started with {@link #spawn} end, and packets to and from it are lost until
     * {@link #restart()}; its peers' connections are left half-open until they time out or the host restarts.
     */
    public void crash() {
        network.engine().runtime().run(() -> {
            if (down) return;
            down = true;
            stack.reboot(network.engine().now());
            for (Host other : network.hosts()) {
                if (other == this) continue;
                Link l = network.link(this, other);
                crashFaults.add(l.add(Faults.blackhole()));
            }
            network.engine().kill(List.copyOf(threads));
            threads.clear();
        });
    }

    /**
     * A crashed host comes back: reachable again, with no connection and no listener (a peer's old connection
     * gets an RST at its next segment). Start its servers again with {@link #spawn}.
     */
    public void restart() {
        network.engine().runtime().run(() -> {
            if (!down) return;
            down = false;
            for (Fault f : crashFaults) f.remove();
            crashFaults.clear();
        });
    }

    /** {@return whether the host is up (not crashed)} */
    public boolean isUp() {
        return network.engine().runtime().call(() -> !down);
    }

    // ------------------------------------------------------------------------------------------------
    // For the package

    Stack stack() {
        return stack;
    }

    ThreewaySockets sockets() {
        return sockets;
    }

    /** The addresses of this host: IPv4 first. */
    InetAddress[] addresses(String asName) throws UnknownHostException {
        return new InetAddress[] {
            InetAddress.getByAddress(asName, v4.toInetAddress().getAddress()),
            InetAddress.getByAddress(asName, v6.toInetAddress().getAddress())
        };
    }

    void threadMade(Thread t) {
        synchronized (threads) {
            threads.add(t);
        }
    }

    void threadEnded(Thread t) {
        synchronized (threads) {
            threads.remove(t);
        }
    }

    private HostSnapshot snapshot() {
        return HostSnapshot.of(stack, network.engine().now());
    }

    @Override
    public String toString() {
        return "Host[" + name() + " " + v4 + " " + v6 + "]";
    }
}
