package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.EngineProfile;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpMemory;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One TCP/IP host: interfaces and addresses, the connection table, listeners, ephemeral ports, timers and
 * counters. It is driven from outside and does no I/O of its own: packets come in through {@link #receive},
 * time moves through {@link #advance}, and packets leave through each interface's {@link PacketSink}. One
 * thread drives a stack at a time.
 *
 * <p>Its parts: {@link Inbound} (IP, checksum, parsing, demultiplexing through the {@link ConnectionTable}),
 * {@link ListenPath} (SYN and accept queues, SYN cookies, Fast Open, TCP_DEFER_ACCEPT), {@link TimeWaitReuse}
 * (RFC 6191 and tcp_tw_reuse), {@link Outbound}, {@link IcmpHandler}, {@link HostEnvironment} (what the engine
 * asks of its host) and the {@link TimerWheel}.
 */
public final class Stack implements Host {
    /** The host's name in traces and tools. */
    private final String name;
    /** Its settings. */
    private final Sysctls sysctls;
    /** Its counters (Linux's names). */
    private final Counters counters = new Counters();
    /** ISNs and timestamp offsets (RFC 6528). */
    final IsnGenerator isn;
    /** Ephemeral ports (RFC 6056). */
    private final PortAllocator ports;
    /** The host's interfaces, in the order they were added. */
    private final List<Interface> interfaces = new ArrayList<>();
    /** Connections by four-tuple. */
    final ConnectionTable table;
    /** Listening sockets by port. */
    final Listeners listeners = new Listeners();
    /** Local ports in use, for bind() and connect() conflicts. */
    private final LocalPorts localPorts = new LocalPorts();
    /** One entry per connection or compact TIME-WAIT: the earliest of its timers. */
    private final TimerWheel<TupleEntry> timers = new TimerWheel<>();
    /** Connections in TIME-WAIT now. */
    private int timeWaitCount;
    /** Fast Open cookies servers gave us, and negative responses. */
    final FastOpenCache fastOpenCache = new FastOpenCache();
    /** The ingress SYN limit (iptables --syn -m limit), or null: off by default. */
    private SynRateLimit synRateLimit;
    /** Who watches packets and transitions (pcap, tcpdump lines, traces). */
    private final List<StackObserver> observers = new ArrayList<>();
    /** What the engine asks of this host. */
    final HostEnvironment env = new HostEnvironment(this);
    /** ICMP and ICMPv6. */
    final IcmpHandler icmp;
    /** Path MTUs learned from ICMP. */
    private final PathMtuCache pathMtus = new PathMtuCache();
    /** The way in. */
    final Inbound inbound;
    /** The way out. */
    final Outbound outbound;
    /** The listen path. */
    final ListenPath listenPath;
    /** TIME-WAIT's early ends. */
    final TimeWaitReuse timeWaitReuse = new TimeWaitReuse(this);
    /** The order outbound options are written in. */
    private OptionLayout optionLayout = OptionLayout.LINUX;
    /** Where the engine departs from Linux. */
    private EngineProfile engineProfile = EngineProfile.LINUX;
    /** The driver's callback for an earlier deadline. */
    private LongConsumer wakeupListener = t -> { };
    /** The deadline the driver last heard of. */
    private long reportedDeadline = Long.MAX_VALUE;
    /** Told of the connection or listener an application may be waiting on ({@link #setApplicationWakeup}). */
    private Consumer<Object> appWake = socket -> { };
    /** The latest time any call brought. */
    private long now;
    /** The time {@link #advance} fires timers at (read by {@link #fireTimer}, so expiry needs no lambda per call). */
    private long firing;
    /** Fires one entry's timers at {@link #firing}. */
    private final Consumer<TupleEntry> fireTimer = e -> e.fire(firing);
    /** The segment compact TIME-WAITs answer with, reused. */
    final TcpSegment timeWaitReply = new TcpSegment();
    /** The segment every connection of this stack builds its outgoing segments in, reused. */
    final TcpSegment scratch = new TcpSegment();
    /** IP fragments being put back together (ipfrag_high_thresh, ipfrag_time). */
    final IpReassembly reassembly;
    /** What all connections' buffers hold, against tcp_mem; the orphans, against tcp_max_orphans. */
    private final TcpMemory memory;
    /** Exceptions caught at the stack's boundary. */
    private long internalErrors;
    /** The last of them. */
    private RuntimeException lastInternalError;
    private Throwable firstInternalError;

    public Stack(String name, Sysctls sysctls, long seed) {
        this.name = name;
        this.sysctls = sysctls;
        this.memory = new TcpMemory(sysctls, counters);
        this.reassembly = new IpReassembly(this, sysctls, counters);
        SplittableRandom random = new SplittableRandom(seed);
        this.isn = new IsnGenerator(random.split());
        this.ports = new PortAllocator(random.split());
        SynCookies cookies = new SynCookies(random.split());
        FastOpenCookies fastOpen = new FastOpenCookies(random.split());
        this.outbound = new Outbound(this, random.nextInt(0x10000));
        this.table = new ConnectionTable(random.split().nextLong());
        memory.countSocketsWith(() -> table.size() - timeWaitCount); // tcp_sockets_allocated: full sockets, not TIME-WAIT records
        this.icmp = new IcmpHandler(this);
        this.inbound = new Inbound(this);
        this.listenPath = new ListenPath(this, cookies, fastOpen);
    }

    /** A reader of this stack's SYN cookies, with its secrets (for tools that explain a run: the web lab). */
    public SynCookieReader synCookieReader() {
        return new SynCookieReader(listenPath.cookies);
    }

    /** A stack with Linux's default settings. */
    public Stack(String name, long seed) {
        this(name, new Sysctls(), seed);
    }

    @Override
    public String name() { return name; }

    public Sysctls sysctls() { return sysctls; }

    public Counters counters() { return counters; }

    /** The TCP memory account: buffer bytes and pages (tcp_mem), pressure, orphans (tcp_max_orphans). */
    public TcpMemory tcpMemory() { return memory; }

    /** The stack's last known time (ns): the latest {@code now} any call brought. */
    public long now() { return now; }

    public void addObserver(StackObserver o) { observers.add(o); }

    public void removeObserver(StackObserver o) { observers.remove(o); }

    /** The order in which outbound options are laid out (Linux's by default; a profile may change it). */
    public void setOptionLayout(OptionLayout layout) { this.optionLayout = layout; }

    OptionLayout optionLayout() { return optionLayout; }

    /** Where the engine's behaviour departs from Linux's, for checking it against another system's tests. */
    public EngineProfile engineProfile() { return engineProfile; }

    /** Replaces the engine profile; connections follow it from their next event. */
    public void setEngineProfile(EngineProfile profile) { this.engineProfile = Objects.requireNonNull(profile); }

    /**
     * Called whenever a connection or listener has something an application may be waiting for, with that
     * {@link TcpConnection} or {@link Listener}: the socket layer wakes only the threads blocked on it.
     */
    public void setApplicationWakeup(Consumer<Object> wakeup) { this.appWake = wakeup; }

    /** The application wakeup installed by {@link #setApplicationWakeup}. */
    public Consumer<Object> applicationWakeup() { return appWake; }

    /** Limits incoming SYNs as {@code iptables --syn -m limit} would; null turns the limit off (the default). */
    public void setSynRateLimit(SynRateLimit limit) { this.synRateLimit = limit; }

    public SynRateLimit synRateLimit() { return synRateLimit; }

    /** Exceptions caught at the stack's boundary: always 0 unless the engine has a bug. */
    public long internalErrors() { return internalErrors; }

    public RuntimeException lastInternalError() { return lastInternalError; }

    /** The first exception caught at the stack's boundary (what a driver logs), or null. */
    public Throwable firstInternalError() { return firstInternalError; }

    /** Counts an exception that reached the stack's boundary (TcpExtThreewayInternalErrors) and keeps the first. */
    private void internalError(Throwable e) {
        internalErrors++;
        counters.inc(Counter.THREEWAY_INTERNAL_ERRORS);
        if (firstInternalError == null) firstInternalError = e;
        if (e instanceof RuntimeException r) lastInternalError = r;
    }

    // ------------------------------------------------------------------------------------------------
    // Interfaces and routes

    /** Adds an address with a 1500-byte MTU, reachable through {@code sink}. */
    public void addInterface(IpAddress address, int prefixLength, PacketSink sink) {
        addInterface(address, prefixLength, sink, 1500);
    }

    public void addInterface(IpAddress address, int prefixLength, PacketSink sink, int mtu) {
        interfaces.add(new Interface(address, prefixLength, sink, mtu));
    }

    /**
     * Sets the MTU of the interface at {@code address} (ip link set dev X mtu N): connections made from now on
     * take their MSS from it. Returns whether the stack has that address.
     */
    public boolean setMtu(IpAddress address, int mtu) {
        if (mtu < 68) throw new IllegalArgumentException("MTU below 68: " + mtu);
        for (int k = 0; k < interfaces.size(); k++) {
            Interface i = interfaces.get(k);
            if (i.address().equals(address)) {
                interfaces.set(k, new Interface(i.address(), i.prefixLength(), i.sink(), mtu));
                return true;
            }
        }
        return false;
    }

    public List<Interface> interfaces() { return List.copyOf(interfaces); }

    /** The interfaces themselves, for the per-packet checks (no copy). */
    List<Interface> interfaceList() { return interfaces; }

    /** The interface that reaches {@code dst}: the first whose prefix holds it, else the first of its family. */
    Interface route(IpAddress dst) {
        Interface fallback = null;
        for (int k = 0; k < interfaces.size(); k++) { // by index: no iterator per segment
            Interface i = interfaces.get(k);
            if (i.contains(dst)) return i;
            if (fallback == null && i.address().v6() == dst.v6()) fallback = i;
        }
        return fallback;
    }

    /** Whether the packet is for one of our addresses. */
    boolean isLocal(IpPacket p) {
        return ownAddress(p) != null;
    }

    /** Our address the packet is for, as the interface's own object, or null when it is not for us. */
    IpAddress ownAddress(IpPacket p) {
        for (int i = 0; i < interfaces.size(); i++) {
            IpAddress a = interfaces.get(i).address();
            if (a.v6() == p.v6() && a.hi() == p.dstHi && a.lo() == p.dstLo) return a;
        }
        return null;
    }

    /** The MTU of the path to {@code dst}: the interface's, or lower if ICMP taught us so (and it has not expired). */
    public int pathMtu(IpAddress dst, long now) {
        Interface ifc = route(dst);
        int link = ifc == null ? 1500 : ifc.mtu();
        return Math.min(link, pathMtus.get(dst, now));
    }

    /**
     * An ICMP report that packets to {@code dst} must be at most {@code mtu} bytes. Returns the path MTU from
     * now on if it fell, else -1.
     */
    int pathMtuReported(IpAddress dst, int mtu, long now) {
        int current = pathMtu(dst, now);
        int after = pathMtus.lower(dst, mtu, current, now);
        return after > 0 && after < current ? after : -1;
    }

    // ------------------------------------------------------------------------------------------------
    // Inbound and time

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        tick(now);
        observePacket(false, packet, offset, length, now);
        try {
            inbound.receiveIp(packet, offset, length, now);
        } catch (RuntimeException e) {
            // Bad input never escapes as an exception; an engine bug is counted and kept for tests to see.
            internalError(e);
            counters.inc(Counter.IN_ERRS);
        } catch (Error e) {
            internalError(e); // out of memory, a stack overflow: counted, then the driver stops the stack
            throw e;
        }
        // The driver re-reads the deadline after this call, so what it knows from now on is the current
        // deadline: report it afresh, or a later user call that arms a timer beyond a stale, earlier report
        // would never be announced.
        reportedDeadline = Long.MAX_VALUE;
        reportDeadline();
        flushSinks();
    }

    @Override
    public void advance(long now) {
        tick(now);
        listenPath.deferAccept.expire(now, listenPath);
        reassembly.expire(now);
        try {
            firing = now;
            timers.expire(now, fireTimer);
        } catch (RuntimeException e) {
            internalError(e);
        } catch (Error e) {
            internalError(e);
            throw e;
        }
        reportedDeadline = Long.MAX_VALUE;
        reportDeadline();
        flushSinks();
    }

    /** Tells every interface's sink that the call has ended ({@link PacketSink#flush}). */
    private void flushSinks() {
        for (int k = 0; k < interfaces.size(); k++) interfaces.get(k).sink().flush(); // by index: no iterator
    }

    @Override
    public long nextDeadline() {
        return Math.min(Math.min(timers.nextDeadline(), listenPath.deferAccept.nextDeadline()), reassembly.nextDeadline());
    }

    @Override
    public void setWakeupListener(LongConsumer listener) {
        this.wakeupListener = listener;
    }

    void tick(long t) {
        if (t > now) now = t;
    }

    /** Tells the driver when the earliest deadline moved earlier than what it last heard. */
    private void reportDeadline() {
        long d = nextDeadline();
        if (d < reportedDeadline) {
            reportedDeadline = d;
            wakeupListener.accept(d);
        }
    }

    /** A new deadline {@code d} was set outside the timer wheel: tell the driver if it is earlier. */
    void deadlineMayHaveMoved(long d) {
        if (d < reportedDeadline) reportDeadline();
    }

    /** Puts an entry's earliest timer in the wheel (or takes it out for {@code Long.MAX_VALUE}). */
    void schedule(TupleEntry e, long deadline) {
        if (deadline == Long.MAX_VALUE) timers.cancel(e);
        else timers.schedule(e, deadline);
    }

    // ------------------------------------------------------------------------------------------------
    // User calls

    /**
     * listen(): a listener on {@code address} (the wildcard for all) and {@code port} (0 picks an ephemeral
     * one). Fails with EADDRINUSE when the port is taken, unless SO_REUSEADDR lets it share with connections
     * (a restarted server whose old connections sit in TIME-WAIT).
     */
    public Listener listen(IpAddress address, int port, int backlog, ConnectionOptions options, boolean reuseAddress) {
        if (port == 0) port = ports.anyFreePort(sysctls, p -> !localPorts.inUse(p));
        if (port <= 0) throw new TcpException(Errno.EADDRINUSE);
        for (Listener l : listeners.on(port)) {
            if (l.address().isAny() || address.isAny() || l.address().equals(address)) {
                throw new TcpException(Errno.EADDRINUSE, "port " + port);
            }
        }
        if (!reuseAddress && localPorts.inUse(port)) throw new TcpException(Errno.EADDRINUSE, "port " + port);
        Listener l = new Listener(this, address, port, backlog, options);
        listeners.add(l);
        localPorts.acquire(port);
        return l;
    }

    /** Closes a listener: queued connections nobody accepted are reset, half-open ones dropped silently. */
    public void closeListener(Listener l, long now) {
        if (l.closed) return;
        tick(now);
        l.closed = true;
        listeners.remove(l);
        localPorts.release(l.port());
        TcpConnection c;
        while ((c = l.queue().poll()) != null) c.abort(now);
        for (TupleEntry e : table.entries()) {
            if (e instanceof Pcb pcb && pcb.listener == l) {
                pcb.listener = null;
                pcb.conn.listenerClosed(now);
            }
        }
        reportDeadline();
    }

    /**
     * connect(): a new connection to {@code remote}:{@code port}, from an ephemeral port (RFC 6056) unless
     * {@code localPort} is given. Fails with ENETUNREACH without a route, EADDRNOTAVAIL when no port is free.
     */
    public TcpConnection connect(IpAddress remote, int port, int localPort, ConnectionOptions options, long now) {
        return connect(remote, port, localPort, options, null, 0, 0, now);
    }

    /**
     * connect() with data for the SYN (sendto with MSG_FASTOPEN): with a Fast Open cookie cached for
     * {@code remote}, the data rides in the SYN; the connection's send queue holds it either way.
     */
    public TcpConnection connect(IpAddress remote, int port, int localPort, ConnectionOptions options,
                                 byte[] data, int off, int len, long now) {
        return connect(remote, port, localPort, options, data, off, len, false, now);
    }

    /**
     * connect() with data as above; {@code synOnly} queues only what the SYN carries, as Linux's sendto with
     * MSG_FASTOPEN does (the caller writes the rest after the handshake; {@link TcpConnection#sendQueue} says how
     * much was taken).
     */
    public TcpConnection connect(IpAddress remote, int port, int localPort, ConnectionOptions options,
                                 byte[] data, int off, int len, boolean synOnly, long now) {
        tick(now);
        Interface ifc = route(remote);
        if (ifc == null) throw new TcpException(Errno.ENETUNREACH);
        IpAddress local = ifc.address();
        if (localPort == 0) {
            localPort = ports.connectPort(sysctls, local, remote, port,
                    p -> !listeners.anyOn(p) && timeWaitReuse.usable(new FourTuple(local, p, remote, port), now));
            if (localPort <= 0) throw new TcpException(Errno.EADDRNOTAVAIL);
        }
        FourTuple tuple = new FourTuple(local, localPort, remote, port);
        timeWaitReuse.takeOver(tuple, now);
        TcpConnection c = new TcpConnection(env, tuple, options);
        register(c);
        c.connect(data, off, len, synOnly, now);
        reportDeadline();
        return c;
    }

    /**
     * A crash and reboot: every connection and listener is forgotten at once, without a packet sent, as when
     * a host loses power. Interfaces, settings and counters stay (the counters as a fresh boot would not, but
     * keeping them lets an experiment read what happened). The peers still believe in their connections:
     * half-open connections, until they send something and get an RST.
     */
    public void reboot(long now) {
        tick(now);
        for (TupleEntry e : table.entries()) timers.cancel(e);
        table.clear();
        listeners.clear();
        localPorts.clear();
        timeWaitReuse.clear();
        listenPath.clear();
        timeWaitCount = 0;
        counters.set(Counter.CURR_ESTAB, 0);
    }

    /** Forgets every cached Fast Open cookie and negative response (FreeBSD flushes its cache when client_enable goes to 0). */
    public void clearFastOpenCookies() {
        fastOpenCache.clear();
    }

    /** Whether a Fast Open cookie for {@code server} is cached (the client side's tcp_metrics). */
    public boolean hasFastOpenCookie(IpAddress server) {
        return fastOpenCache.hasCookie(server);
    }

    /** After a user call on a connection (write, read, close...), bring the host's view up to date. */
    public void userCallDone() {
        reportDeadline();
        flushSinks();
    }

    /** accept() took {@code c} from its listener's queue. */
    void accepted(TcpConnection c) {
        if (c.attachment() instanceof Pcb pcb) listenPath.accepted(pcb);
    }

    // ------------------------------------------------------------------------------------------------
    // The socket table

    /** Every live connection the stack holds (not listeners, not compact TIME-WAITs). */
    public List<TcpConnection> connections() {
        List<TcpConnection> out = new ArrayList<>(table.size());
        for (TupleEntry e : table.entries()) if (e instanceof Pcb p) out.add(p.conn);
        return out;
    }

    public List<Listener> listeners() {
        return listeners.all();
    }

    /** Connections and compact TIME-WAITs in the table (what Linux's established hash holds). */
    public int connectionCount() { return table.size(); }

    /** Connections in TIME-WAIT now (ss -s's "timewait"). */
    public int timeWaitCount() { return timeWaitCount; }

    /**
     * The socket table now: every listener, then every connection, in a stable order (listeners by port,
     * connections by local port then peer), so tools print the same table for the same state.
     */
    public List<SocketInfo> sockets() {
        List<SocketInfo> out = new ArrayList<>();
        List<Listener> ls = listeners();
        ls.sort(Comparator.comparingInt(Listener::port).thenComparing(l -> l.address().toString()));
        for (Listener l : ls) out.add(SocketInfo.of(l));
        List<SocketInfo> cs = new ArrayList<>(table.size());
        for (TupleEntry e : table.entries()) {
            cs.add(e instanceof Pcb p ? SocketInfo.of(p.conn, now) : SocketInfo.of((TimeWaitEntry) e, now));
        }
        cs.sort(Comparator.comparingInt(SocketInfo::localPort).thenComparing(s -> s.peerAddress().toString())
                .thenComparingInt(SocketInfo::peerPort));
        out.addAll(cs);
        return out;
    }

    /** For tests and tools: the settings map view by name. */
    public Map<String, String> settingsView() {
        Map<String, String> m = new TreeMap<>();
        for (Sysctl s : Sysctl.values()) m.put(s.sysctlName(), sysctls.show(s.sysctlName()));
        return m;
    }

    // ------------------------------------------------------------------------------------------------
    // For the host's parts

    /** Adds a connection to the table. */
    Pcb register(TcpConnection c) {
        Pcb pcb = new Pcb(c);
        c.attach(pcb);
        table.put(pcb);
        localPorts.acquire(c.tuple().localPort());
        return pcb;
    }

    /** Takes a connection out of the table, its timer wheel and its listener's queues. */
    void unregister(Pcb pcb) {
        if (table.remove(pcb)) localPorts.release(pcb.localPort());
        timers.cancel(pcb);
        listenPath.forget(pcb);
    }

    /** The host's entry for a four-tuple if it is a live connection, or null. */
    Pcb pcb(FourTuple t) {
        return table.find(t) instanceof Pcb p ? p : null;
    }

    /** The connection for a four-tuple (ours first), or null (for ICMP). */
    TcpConnection connection(FourTuple t) {
        Pcb pcb = pcb(t);
        return pcb == null ? null : pcb.conn;
    }

    /** Whether a compact TIME-WAIT holds the four-tuple. */
    boolean inCompactTimeWait(FourTuple t) {
        return table.find(t) instanceof TimeWaitEntry;
    }

    /**
     * An orphaned connection in TIME-WAIT: a compact record takes its place in the table and the timer wheel
     * (Linux's tcp_time_wait making an inet_timewait_sock), and the connection is detached from the host.
     */
    void compact(TcpConnection conn) {
        if (!(conn.attachment() instanceof Pcb pcb) || table.find(conn.tuple()) != pcb) return;
        TimeWaitEntry tw = TimeWaitEntry.of(this, ownAddress(conn.tuple().localAddress()), conn);
        long deadline = conn.timeWaitState().deadline();
        timers.cancel(pcb);
        listenPath.forget(pcb);
        table.put(tw);
        schedule(tw, deadline);
        conn.detach(tw);
        conn.attach(null);
    }

    /** The interface's own object for an address of ours (so compact entries share it), else {@code a}. */
    private IpAddress ownAddress(IpAddress a) {
        for (Interface i : interfaces) if (i.address().equals(a)) return i.address();
        return a;
    }

    /** A compact TIME-WAIT ended (expired, reset, or taken over): out of the table, reported, and the app woken. */
    void timeWaitEnded(TimeWaitEntry tw, String cause, long now) {
        timeWaitCounted(TcpState.TIME_WAIT, TcpState.CLOSED);
        if (!observers.isEmpty()) {
            FourTuple t = tw.tuple();
            for (int i = 0; i < observers.size(); i++) {
                observers.get(i).transition(this, t, null, TcpState.TIME_WAIT, TcpState.CLOSED, cause, now);
            }
        }
        if (table.remove(tw)) localPorts.release(tw.localPort());
        timers.cancel(tw);
        // Nobody waits on an orphaned connection: no application wakeup, as none would find a waiter.
    }

    /** Sends an ICMP or ICMPv6 message from {@code src} to {@code dst}; false when no route. */
    boolean sendIcmp(IpAddress src, IpAddress dst, byte[] message, long now) {
        return outbound.sendIcmp(src, dst, message, now);
    }

    /** Counts connections entering and leaving TIME-WAIT. */
    void timeWaitCounted(TcpState from, TcpState to) {
        if (to == TcpState.TIME_WAIT) timeWaitCount++;
        if (from == TcpState.TIME_WAIT) timeWaitCount--;
    }

    /** Something an application may be waiting for on {@code socket} (a connection or listener) changed. */
    void wakeApplication(Object socket) {
        appWake.accept(socket);
    }

    /** Shows a packet to the observers. */
    void observePacket(boolean outbound, byte[] packet, int offset, int length, long now) {
        for (int i = 0; i < observers.size(); i++) observers.get(i).packet(this, outbound, packet, offset, length, now);
    }

    /** Shows a state transition to the observers. */
    void observeTransition(TcpConnection conn, TcpState from, TcpState to, String cause, long t) {
        for (int i = 0; i < observers.size(); i++) observers.get(i).transition(this, conn.tuple(), conn, from, to, cause, t);
    }

    @Override
    public String toString() {
        return "Stack[" + name + "]";
    }
}
