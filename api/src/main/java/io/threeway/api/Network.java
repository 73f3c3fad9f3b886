package io.threeway.api;

import io.threeway.api.impl.Capture;
import io.threeway.api.impl.Engine;
import io.threeway.api.impl.Fabric;
import io.threeway.api.impl.ManagedExecutor;
import io.threeway.api.impl.ManagedScheduledExecutor;
import io.threeway.api.impl.RealTimeEngine;
import io.threeway.api.impl.SimEngine;
import io.threeway.api.impl.VirtualClock;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A network of hosts running Threeway's TCP stack, in virtual time ({@link #simulated}) or in real time
 * ({@link #realTime}). Every host can reach every other; the link between two hosts starts perfect and takes
 * a round-trip time, impairments and faults at any moment ({@link #link}). A two-host test:
 *
 * <pre>{@code
 * try (Network net = Network.simulated(42)) {
 *     Host client = net.host("client"), server = net.host("api.test");
 *     net.link(client, server).rtt(Duration.ofMillis(100)).loss(0.01);
 *     net.spawn("server", () -> {
 *         try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) { s.getOutputStream().write('!'); }
 *     });
 *     net.spawn("client", () -> {
 *         try (Socket s = client.connect("api.test", 80)) { assertEquals('!', s.getInputStream().read()); }
 *     });
 *     net.runUntilThreadsFinish();
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> In a simulated network, socket code runs on threads the simulator manages ({@link #spawn},
 * {@link #threadFactory}, {@link #executor}, {@link #scheduledExecutor}); one runs at a time and blocking calls
 * wait in virtual time, so the same seed gives the same run, packet for packet. A socket call from any other
 * thread fails at once with a message naming the thread. The thread that created the network may also use
 * sockets between runs: a blocking call then runs the simulation until it returns. In real time, any thread
 * may use the sockets and the run methods wait on the wall clock.
 *
 * <p><b>Names.</b> Host names resolve inside the network through {@link java.net.InetAddress} (the module
 * provides an {@link java.net.spi.InetAddressResolverProvider}): on the network's threads, {@code api.test}
 * is the host of that name, and a name no host has fails with {@link java.net.UnknownHostException}.
 *
 * <p>Addresses are given in order from 198.18.0.1 (IPv4, prefix /15) and 2001:db8::1 (IPv6, /64), the ranges
 * set aside for tests, unless a host is given its own.
 */
public final class Network implements AutoCloseable {
    /** The base of every host's IPv4 address: 198.18.0.0. */
    private static final int V4_BASE = (198 << 24) | (18 << 16);
    /** The IPv4 prefix length: 198.18.0.0/15. */
    private static final int V4_PREFIX = 15;
    /** The IPv6 prefix length: 2001:db8::/64. */
    private static final int V6_PREFIX = 64;
    /**
     * The bytes a real-time network's capture keeps of each packet unless told otherwise: 128, the largest IPv6 and
     * TCP headers with room to spare, so that capturing costs no copy of the payload on the sending thread.
     */
    private static final int REAL_TIME_SNAP_LENGTH = 128;
    /** Virtual time a run waits for threads when no limit is given: an hour. */
    private static final Duration DEFAULT_LIMIT = Duration.ofHours(1);

    /** The seed. */
    private final long seed;
    /** The mode of time. */
    private final Engine engine;
    /** What joins the hosts. */
    private final Fabric fabric;
    /** Every packet sent. */
    private final Capture capture;
    /** The hosts by name, in creation order. */
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** The links made so far, by pair. */
    private final Map<List<Host>, Link> links = new LinkedHashMap<>();
    /** The virtual (or system) clock. */
    private final Clock clock;
    /** Numbers threads the factories make. */
    private final AtomicInteger threadNumbers = new AtomicInteger();
    /** Executors made here, shut down on close. */
    private final List<ManagedExecutor> executors = new ArrayList<>();
    /** Whether {@link #close} ran. */
    private boolean closed;
    /** Whether {@link #seal} was called. */
    private boolean sealed;

    private Network(long seed, Engine engine) {
        this.seed = seed;
        this.engine = engine;
        this.fabric = new Fabric(engine);
        this.capture = new Capture(engine::now);
        if (!engine.simulated()) capture.snapLength(REAL_TIME_SNAP_LENGTH);
        this.clock = engine.simulated() ? new VirtualClock(engine::now) : Clock.systemUTC();
        Networks.opened(this);
    }

    /**
     * A network in virtual time: deterministic for a seed, and as fast as the computation allows (an hour of
     * idle time costs nothing).
     *
     * @param seed drives every random choice (ISNs, ports, losses, jitter)
     * @return the network, with no hosts yet
     */
    public static Network simulated(long seed) {
        return new Network(seed, new SimEngine(seed));
    }

    /**
     * A network in real time, without TUN or root: the hosts' stacks in this JVM, joined in memory and driven
     * by the wall clock; application code runs on ordinary threads. Link impairments and faults work as in the
     * simulator, in real time.
     *
     * @param seed drives the stacks' and the links' random choices
     * @return the network, with no hosts yet
     */
    public static Network realTime(long seed) {
        return new Network(seed, new RealTimeEngine(seed));
    }

    /** {@return the seed the network was made with} */
    public long seed() {
        return seed;
    }

    /** {@return whether time is virtual ({@link #simulated})} */
    public boolean isSimulated() {
        return engine.simulated();
    }

    /**
     * Makes this a sealed run until the network closes: any socket opened on the kernel's stack in this JVM (by
     * a library that ignores the factory it was given) fails at once with a message saying so, before a packet
     * leaves, and names that are no host of the network are not looked up on the real DNS. See {@link Sealed}
     * for what is guarded and the JVM options it needs.
     *
     * @return this network
     * @throws IllegalStateException if the guard cannot be installed (the message names the JVM option needed)
     */
    public synchronized Network seal() {
        if (!sealed) {
            Sealed.sealedOpened();
            sealed = true;
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // Hosts and links

    /**
     * The host named {@code name}, made now (with the next free addresses and Linux's default settings) if
     * there is none yet.
     *
     * @param name the host's name, which also resolves to it inside the network (e.g. {@code api.test})
     * @return the host
     */
    public synchronized Host host(String name) {
        Host h = hosts.get(Objects.requireNonNull(name));
        if (h != null) return h;
        int n = hosts.size() + 1;
        return addHost(name, IpAddress.v4(V4_BASE + n), IpAddress.v6(0x20010db800000000L, n));
    }

    /**
     * A new host named {@code name} at the IPv4 or IPv6 address {@code address} (an IPv4 host also gets the
     * next IPv6 address, and the other way round).
     *
     * @param name    the host's name
     * @param address a literal address, e.g. {@code "198.18.7.1"} (keep to 198.18.0.0/15 or 2001:db8::/32)
     * @return the host
     * @throws IllegalArgumentException if a host has that name or that address already
     */
    public synchronized Host host(String name, String address) {
        if (hosts.containsKey(name)) throw new IllegalArgumentException("a host named '" + name + "' exists already");
        IpAddress a = IpAddress.parse(address);
        int n = hosts.size() + 1;
        return a.v6() ? addHost(name, IpAddress.v4(V4_BASE + n), a) : addHost(name, a, IpAddress.v6(0x20010db800000000L, n));
    }

    private Host addHost(String name, IpAddress v4, IpAddress v6) {
        if (closed) throw new IllegalStateException("network closed");
        Stack stack = new Stack(name, new Sysctls(), seed * 31 + name.hashCode());
        Host h = new Host(this, stack, v4, v6);
        engine.runtime().run(() -> {
            fabric.join(stack, v4, V4_PREFIX);
            fabric.join(stack, v6, V6_PREFIX);
            stack.addObserver(capture);
            engine.attach(stack);
        });
        hosts.put(name, h);
        return h;
    }

    /** {@return the hosts, in the order they were made} */
    public synchronized List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * The link between {@code a} and {@code b} (the same object for {@code (b, a)}), perfect until configured:
     * no delay, no loss, unlimited bandwidth, MTU 1500. Its settings and faults may change at any time.
     *
     * @param a one host
     * @param b the other
     * @return the link
     */
    public synchronized Link link(Host a, Host b) {
        if (a.network() != this || b.network() != this) throw new IllegalArgumentException("hosts of another network");
        List<Host> key = a.stack().name().compareTo(b.stack().name()) <= 0 ? List.of(a, b) : List.of(b, a);
        Link l = links.get(key);
        if (l == null) {
            l = engine.runtime().call(() -> new Link(this, a, b, fabric.pair(a.stack(), b.stack())));
            links.put(key, l);
        }
        return l;
    }

    // ------------------------------------------------------------------------------------------------
    // Threads and time

    /**
     * Starts an application thread running {@code body}. In a simulated network it first runs when the
     * simulation next runs; in real time, at once.
     *
     * @param name the thread's name
     * @param body its code
     * @return the thread, started
     */
    public Thread spawn(String name, Task body) {
        Thread t = newThread(name, body, null);
        t.start();
        return t;
    }

    /** A thread of this network running {@code body}; {@code host} (or null) is the host it belongs to. */
    Thread newThread(String name, Task body, Host host) {
        return newThread(name, body, host, true);
    }

    /**
     * A thread of this network running {@code body}, belonging to {@code host} (or to none): its channels opened
     * through {@link NetworkSelectorProvider} are that host's. {@code endsInCrash}: the host's crash ends it.
     */
    Thread newThread(String name, Task body, Host host, boolean endsInCrash) {
        Objects.requireNonNull(body);
        boolean tracked = host != null && endsInCrash;
        Thread[] self = new Thread[1];
        Thread t = engine.newThread(name, () -> {
            Networks.enter(this);
            Networks.enterHost(host);
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new ThreadFailedException(name, e);
            } finally {
                if (tracked) host.threadEnded(self[0]);
            }
        });
        self[0] = t;
        if (tracked) host.threadMade(t);
        return t;
    }

    /**
     * A thread factory for libraries that start their own threads (pools, dispatchers, event loops): its
     * threads are this network's application threads, daemon threads named {@code prefix-1}, {@code prefix-2}...
     *
     * @param prefix the start of the threads' names
     * @return the factory
     */
    public ThreadFactory threadFactory(String prefix) {
        return threadFactory(prefix, null);
    }

    /** A thread factory whose threads belong to {@code host} (or to no host). */
    ThreadFactory threadFactory(String prefix, Host host) {
        Objects.requireNonNull(prefix);
        return r -> newThread(prefix + "-" + threadNumbers.incrementAndGet(), r::run, host, false);
    }

    /**
     * An executor whose threads are this network's application threads: a new thread when no idle one waits, an
     * idle thread ends after 60 seconds (of virtual time, in a simulated network), as
     * {@link java.util.concurrent.Executors#newCachedThreadPool()}. Its futures wait through the network, so
     * {@code get()} from an application thread, or from the network's own thread between runs, works.
     *
     * @param prefix the start of the threads' names
     * @return the executor, shut down when the network closes
     */
    public ExecutorService executor(String prefix) {
        return executor(threadFactory(prefix));
    }

    /** A cached pool of {@code threads}' threads, shut down with the network. */
    ExecutorService executor(ThreadFactory threads) {
        ManagedExecutor e = new ManagedExecutor(engine, threads);
        synchronized (this) {
            executors.add(e);
        }
        return e;
    }

    /**
     * A scheduled executor in the network's time: delays and periods count virtual time in a simulated network.
     *
     * @param prefix the start of the threads' names
     * @return the executor, shut down when the network closes
     */
    public ScheduledExecutorService scheduledExecutor(String prefix) {
        ManagedScheduledExecutor e = new ManagedScheduledExecutor(engine, threadFactory(prefix));
        synchronized (this) {
            executors.add(e);
        }
        return e;
    }

    /**
     * The network's clock, to hand to code that takes a {@link Clock} or {@link java.time.InstantSource}: in a
     * simulated network it reads virtual time, starting at 2026-01-01T00:00:00Z; in real time it is the system
     * clock.
     *
     * @return the clock (UTC)
     */
    public Clock clock() {
        return clock;
    }

    /** {@return the time since the network began (virtual in a simulated network)} */
    public Duration elapsed() {
        return Duration.ofNanos(engine.now());
    }

    /**
     * Sleeps the calling thread: an application thread waits {@code d} of the network's time; the network's own
     * thread, between runs, runs the simulation for {@code d}.
     *
     * @param d how long
     * @throws InterruptedException if interrupted
     */
    public void sleep(Duration d) throws InterruptedException {
        engine.sleep(nanos(d));
    }

    /**
     * Runs the network for {@code d} (virtual time; in real time, waits that long).
     *
     * @param d how long
     */
    public void run(Duration d) {
        engine.runUntil(saturatedAdd(engine.now(), nanos(d)));
    }

    /**
     * Runs until every application thread has finished, or an hour of the network's time passes.
     *
     * @throws RunIncompleteException if threads are still running after an hour
     */
    public void runUntilThreadsFinish() {
        runUntilThreadsFinish(DEFAULT_LIMIT);
    }

    /**
     * Runs until every application thread has finished, or {@code limit} of the network's time passes.
     *
     * @param limit the longest it may run
     * @throws RunIncompleteException if threads are still running then, naming them
     */
    public void runUntilThreadsFinish(Duration limit) {
        if (!engine.runUntil(() -> engine.liveThreads() == 0, saturatedAdd(engine.now(), nanos(limit)))) {
            throw new RunIncompleteException("application threads still running after " + limit + " (at "
                    + elapsed() + "):\n" + engine.describeThreads());
        }
    }

    /**
     * Runs until {@code condition} holds or {@code limit} passes.
     *
     * @param condition checked after every event and every thread's turn
     * @param limit     the longest it may run
     * @return whether the condition held
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        return engine.runUntil(condition, saturatedAdd(engine.now(), nanos(limit)));
    }

    // ------------------------------------------------------------------------------------------------
    // What happened

    /**
     * Bounds the network's capture (what {@link #tcpdump()}, {@link #writePcap} and a failed test's report show):
     * it keeps the latest {@code maxPackets} packets sent, and at most {@code maxBytes} bytes of them, dropping the
     * oldest first and counting them ({@link #captureDropped()}). {@code 0} for either turns the capture off: no
     * packet is copied. Unless set, a network keeps the latest 200,000 packets and 64 MiB.
     *
     * @param maxPackets the most packets kept
     * @param maxBytes the most packet bytes kept
     * @return this network
     */
    public Network capture(int maxPackets, long maxBytes) {
        engine.runtime().run(() -> capture.limit(maxPackets, maxBytes));
        return this;
    }

    /**
     * Keeps only the first {@code bytes} of each packet captured from now on, as {@code tcpdump -s} does: the
     * tcpdump lines are the same (they print no payload), the pcap's records say how long each packet was.
     * Simulated networks keep whole packets unless told otherwise; real-time networks keep 128 bytes (the
     * headers), so that capturing does not copy every payload on the threads that send it.
     *
     * @param bytes the bytes kept of each packet, at least 1 ({@link Integer#MAX_VALUE}: whole packets)
     * @return this network
     */
    public Network captureSnapLength(int bytes) {
        engine.runtime().run(() -> capture.snapLength(bytes));
        return this;
    }

    /**
     * {@return how many packets sent are not in the capture}: dropped as the oldest when it was full, or not kept
     * because it was off or a packet was larger than it (see {@link #capture(int, long)})
     */
    public long captureDropped() {
        return engine.runtime().call(capture::dropped);
    }

    /**
     * The packets sent, as {@code tcpdump -tt -nn} prints them on the sending host (times in seconds of the
     * network's time): all of them, or the latest ones when the capture is full ({@link #capture(int, long)},
     * {@link #captureDropped()}). A packet the link lost is listed: it was sent.
     *
     * @return the lines, oldest first
     */
    public List<String> tcpdump() {
        return engine.runtime().call(capture::lines);
    }

    /**
     * Writes the packets of the capture (every packet sent, or the latest: {@link #capture(int, long)}) to a pcap
     * file (raw IP, nanosecond timestamps), for tcpdump or Wireshark.
     *
     * @param file where to write it (parent directories are made)
     */
    public void writePcap(Path file) {
        try {
            engine.runtime().call(() -> {
                try {
                    capture.writePcap(file);
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e;
        }
    }

    /**
     * What a failed test wants to see: every host's socket table ({@code ss -tan -o}) and the packets sent, as
     * tcpdump lines.
     *
     * @return the report, several lines
     */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("Threeway network (seed ").append(seed).append(", at ").append(elapsed()).append(")\n");
        for (Host h : hosts()) {
            b.append("\n$ ss -tano   # on ").append(h.name()).append(" (").append(h.address().getHostAddress()).append(")\n");
            for (String line : h.ss()) b.append(line).append('\n');
        }
        List<String> lines = tcpdump();
        long dropped = captureDropped();
        b.append("\n$ tcpdump -tt -nn   # ").append(lines.size()).append(" packets sent");
        if (dropped > 0) b.append(", the latest kept; ").append(dropped).append(" earlier not kept (Network.capture)");
        b.append('\n');
        for (String line : lines) b.append(line).append('\n');
        return b.toString();
    }

    /**
     * Stops every application thread and ends the network; its sockets can no longer be used. Threads still
     * blocked get an {@link InterruptedException} (an {@link java.io.InterruptedIOException} in a socket call).
     */
    @Override
    public void close() {
        List<ManagedExecutor> es;
        synchronized (this) {
            if (closed) return;
            closed = true;
            es = List.copyOf(executors);
        }
        for (ManagedExecutor e : es) e.closing();
        engine.close();
        Networks.closed(this);
        synchronized (this) {
            if (sealed) Sealed.sealedClosed();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // For the package

    Engine engine() {
        return engine;
    }

    Fabric fabric() {
        return fabric;
    }

    Capture capture() {
        return capture;
    }

    /** The host with {@code name}, or null (no host is made). */
    synchronized Host find(String name) {
        return hosts.get(name);
    }

    static long nanos(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("negative duration: " + d);
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "Network[" + (isSimulated() ? "simulated" : "real time") + ", seed " + seed + ", hosts " + hosts.keySet() + "]";
    }
}
