package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.EngineProfile;
import io.threeway.tcp.Environment;
import io.threeway.tcp.Errno;
import io.threeway.tcp.Resets;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.Checksum;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.ParseResult;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * One TCP/IP host: interfaces and addresses, the connection table (demultiplexing by four-tuple),
 * listeners, ephemeral ports, timers and counters. It is driven from outside and does no I/O of its own:
 * packets come in through {@link #receive}, time moves through {@link #advance}, and packets leave
 * through each interface's {@link PacketSink}. One thread drives a stack at a time.
 *
 * <p>The path of an inbound segment: IP header checks, TCP checksum, TCP header and options parsed into
 * one reused {@link TcpSegment}, then the connection by four-tuple, else a listener, else an RST
 * (RFC 9293 §3.10.7.1: what makes connect() fail with "Connection refused").
 */
public final class Stack implements Host {
    private final String name;
    private final Sysctls sysctls;
    private final Counters counters = new Counters();
    private final SplittableRandom random;
    private final IsnGenerator isn;
    private final PortAllocator ports;
    private final SynCookies cookies;
    private final FastOpenCookies fastOpen;
    private final List<Interface> interfaces = new ArrayList<>();
    private final HashMap<FourTuple, Pcb> connections = new HashMap<>();
    private final HashMap<Integer, List<Listener>> listeners = new HashMap<>();
    /** Local ports in use by connections or listeners, with how many use each (for bind() conflicts). */
    private final HashMap<Integer, Integer> localPortUse = new HashMap<>();
    private final TimerWheel<Pcb> timers = new TimerWheel<>();
    /** ISNs chosen for a four-tuple taken over from TIME-WAIT (Linux: the old SND.NXT + 65535 + 2). */
    private final HashMap<FourTuple, Integer> issOverrides = new HashMap<>();
    private int timeWaitCount;
    /** Fast Open cookies servers gave us, per server address (Linux keeps them in its tcp_metrics). */
    private final HashMap<IpAddress, byte[]> fastOpenCache = new HashMap<>();
    /** Servers Fast Open is off for after a negative response, until when (RFC 7413 §4.1.3). */
    private final HashMap<IpAddress, Long> fastOpenDisabledUntil = new HashMap<>();
    /** Handshaken connections held back by TCP_DEFER_ACCEPT, waiting for data or their deadline. */
    private final List<Pcb> deferred = new ArrayList<>();
    /** The ingress SYN limit (iptables --syn -m limit), or null: off by default. */
    private SynRateLimit synRateLimit;
    private final List<StackObserver> observers = new ArrayList<>();
    private final Env env = new Env();
    private final IcmpHandler icmp;
    private final PathMtuCache pathMtus = new PathMtuCache();
    private final IpPacket ip = new IpPacket();
    private final TcpSegment seg = new TcpSegment();
    private final TcpSegment reply = new TcpSegment();
    private OptionLayout optionLayout = OptionLayout.LINUX;
    private EngineProfile engineProfile = EngineProfile.LINUX;
    private LongConsumer wakeupListener = t -> { };
    private long reportedDeadline = Long.MAX_VALUE;
    /** Told of the connection or listener an application may be waiting on ({@link #setApplicationWakeup}). */
    private java.util.function.Consumer<Object> appWake = socket -> { };
    private long now;
    private int ipId;
    private long internalErrors;
    private RuntimeException lastInternalError;
    private Throwable firstInternalError;

    public Stack(String name, Sysctls sysctls, long seed) {
        this.name = name;
        this.sysctls = sysctls;
        this.random = new SplittableRandom(seed);
        this.isn = new IsnGenerator(random.split());
        this.ports = new PortAllocator(random.split());
        this.cookies = new SynCookies(random.split());
        this.fastOpen = new FastOpenCookies(random.split());
        this.ipId = random.nextInt(0x10000);
        this.icmp = new IcmpHandler(this);
    }

    /** A stack with Linux's default settings. */
    public Stack(String name, long seed) {
        this(name, new Sysctls(), seed);
    }

    @Override
    public String name() { return name; }

    public Sysctls sysctls() { return sysctls; }

    public Counters counters() { return counters; }

    /** The stack's last known time (ns): the latest {@code now} any call brought. */
    public long now() { return now; }

    public void addObserver(StackObserver o) { observers.add(o); }

    public void removeObserver(StackObserver o) { observers.remove(o); }

    /** The order in which outbound options are laid out (Linux's by default; a profile may change it). */
    public void setOptionLayout(OptionLayout layout) { this.optionLayout = layout; }

    /** Where the engine's behaviour departs from Linux's, for checking it against another system's tests. */
    public EngineProfile engineProfile() { return engineProfile; }

    /** Replaces the engine profile; connections follow it from their next event. */
    public void setEngineProfile(EngineProfile profile) { this.engineProfile = java.util.Objects.requireNonNull(profile); }

    /**
     * Called whenever a connection or listener has something an application may be waiting for, with that
     * {@link TcpConnection} or {@link Listener}: the socket layer wakes only the threads blocked on it.
     */
    public void setApplicationWakeup(java.util.function.Consumer<Object> wakeup) { this.appWake = wakeup; }

    /** The application wakeup installed by {@link #setApplicationWakeup}. */
    public java.util.function.Consumer<Object> applicationWakeup() { return appWake; }

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

    public List<Interface> interfaces() { return List.copyOf(interfaces); }

    /** The interface that reaches {@code dst}: the first whose prefix holds it, else the first of its family. */
    Interface route(IpAddress dst) {
        Interface fallback = null;
        for (Interface i : interfaces) {
            if (i.contains(dst)) return i;
            if (fallback == null && i.address().v6() == dst.v6()) fallback = i;
        }
        return fallback;
    }

    private boolean isLocal(IpPacket p) {
        for (int i = 0; i < interfaces.size(); i++) {
            IpAddress a = interfaces.get(i).address();
            if (a.v6() == p.v6() && a.hi() == p.dstHi && a.lo() == p.dstLo) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------
    // Inbound

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        tick(now);
        for (int i = 0; i < observers.size(); i++) observers.get(i).packet(this, false, packet, offset, length, now);
        try {
            receiveIp(packet, offset, length, now);
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
    }

    private void receiveIp(byte[] p, int off, int len, long now) {
        counters.inc(Counter.IP_IN_RECEIVES);
        if (len < 1) {
            counters.inc(Counter.IP_IN_HDR_ERRORS);
            return;
        }
        int version = (p[off] >> 4) & 0xF;
        ParseResult r = version == 4 ? Ipv4Header.parse(p, off, len, ip)
                : version == 6 ? Ipv6Header.parse(p, off, len, ip) : ParseResult.BAD_VERSION;
        if (!r.ok()) {
            counters.inc(Counter.IP_IN_HDR_ERRORS);
            return;
        }
        if (!isLocal(ip)) {
            counters.inc(Counter.IP_IN_ADDR_ERRORS);
            return;
        }
        if (ip.protocol == IpProtocol.TCP) {
            counters.inc(Counter.IP_IN_DELIVERS);
            receiveTcp(p, now);
        } else if (ip.protocol == (ip.v6() ? IpProtocol.ICMPV6 : IpProtocol.ICMP)) {
            counters.inc(Counter.IP_IN_DELIVERS);
            icmp.receive(p, ip, now);
        } else {
            counters.inc(Counter.IP_IN_UNKNOWN_PROTOS);
        }
    }

    private void receiveTcp(byte[] p, long now) {
        if (!Checksum.verifyTransport(p, ip)) {
            counters.inc(Counter.IN_CSUM_ERRORS);
            counters.inc(Counter.IN_ERRS);
            return;
        }
        if (!TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, seg).ok()) {
            counters.inc(Counter.IN_ERRS);
            return;
        }
        if (synRateLimit != null && seg.syn() && !seg.ackFlag() && !synRateLimit.admit(now)) {
            return; // dropped by the ingress filter before TCP sees it, as iptables would
        }
        counters.inc(Counter.IN_SEGS);
        FourTuple t = new FourTuple(ip.destination(), seg.dstPort, ip.source(), seg.srcPort);
        Pcb pcb = connections.get(t);
        if (pcb != null && !synReplacesTimeWait(pcb, t, now)) {
            deliver(pcb, now);
            return;
        }
        Listener l = findListener(t.localAddress(), t.localPort());
        if (l != null) {
            listenerArrives(l, t, now);
            return;
        }
        // RFC 9293 §3.10.7.1: "If the state is CLOSED ... a reset is sent in response to any incoming
        // segment except another reset."
        replyReset(t, now);
    }

    /**
     * RFC 6191 (Linux's tcp_timewait_state_process, TCP_TW_SYN): a new SYN for a four-tuple in TIME-WAIT
     * starts a new connection when its sequence number is above the old RCV.NXT or its timestamp is newer
     * than TS.Recent, so no old duplicate can be mistaken for new data. The new ISN starts above the old
     * connection's sequence space. Returns true when TIME-WAIT was ended for the SYN.
     */
    private boolean synReplacesTimeWait(Pcb pcb, FourTuple t, long now) {
        TcpConnection tw = pcb.conn;
        if (tw.state() != TcpState.TIME_WAIT || !seg.syn() || seg.ackFlag() || seg.rst()) return false;
        if (findListener(t.localAddress(), t.localPort()) == null) return false;
        boolean newer = io.threeway.tcp.Seq.gt(seg.seq, tw.rcvNxt())
                || (tw.timestamps() && seg.options.timestamps && io.threeway.tcp.Seq.gt(seg.options.tsVal, tw.tsRecent()));
        if (!newer) return false;
        issOverrides.put(t, tw.sndMax() + 65535 + 2);
        tw.endTimeWait("new SYN for the four-tuple (RFC 6191)", now);
        return true;
    }

    /**
     * Whether connect() may take over a four-tuple in TIME-WAIT (Linux's tcp_twsk_unique): tcp_tw_reuse is 1
     * (or 2 and both ends are loopback), the old connection used timestamps, and its last timestamp is at
     * least a second old, so PAWS on the peer rejects any old duplicate.
     */
    private boolean timeWaitReusable(TcpConnection tw, long now) {
        int reuse = sysctls.get(Sysctl.TCP_TW_REUSE);
        if (reuse == 2) reuse = tw.tuple().localAddress().isLoopback() && tw.tuple().remoteAddress().isLoopback() ? 1 : 0;
        return reuse == 1 && tw.timestamps() && now - tw.tsRecentTime() >= 1_000_000_000L;
    }

    private void deliver(Pcb pcb, long now) {
        TcpConnection c = pcb.conn;
        Listener l = pcb.listener;
        if (l != null && c.state() == TcpState.SYN_RECEIVED && seg.ackFlag() && !seg.syn() && !seg.rst()
                && l.acceptQueueFull()) {
            // The final ACK finds the accept queue full (Linux's tcp_check_req -> syn_recv_sock fails):
            // drop it and let the SYN-ACK timer retry, or reset when tcp_abort_on_overflow says so.
            counters.inc(Counter.LISTEN_OVERFLOWS);
            counters.inc(Counter.LISTEN_DROPS);
            if (sysctls.get(Sysctl.TCP_ABORT_ON_OVERFLOW) == 1) {
                counters.inc(Counter.EMBRYONIC_RSTS);
                c.abort(now);
            }
            return;
        }
        c.segmentArrives(seg, now);
    }

    /**
     * RFC 9293 §3.10.7.2, at the host (Linux's tcp_conn_request and cookie_v4_check): the listener clones a
     * connection for each acceptable SYN, or answers with a SYN cookie and keeps nothing, and completes a
     * connection from an ACK that brings a valid cookie back.
     */
    private void listenerArrives(Listener l, FourTuple t, long now) {
        if (seg.rst()) return;
        int syncookies = sysctls.get(Sysctl.TCP_SYNCOOKIES);
        if (seg.ackFlag()) {
            if (!seg.syn() && syncookies != 0 && (syncookies == 2 || l.recentlyOverflowed(now))
                    && cookieAckArrives(l, t, now)) {
                return;
            }
            replyReset(t, now);
            return;
        }
        // Linux's tcp_rcv_state_process (TCP_LISTEN): "if (th->syn) { if (th->fin) goto discard; ...": a SYN
        // that also carries FIN is no way to open a connection, and is dropped without an answer.
        if (!seg.syn() || seg.fin()) return;
        if (l.acceptQueueFull()) {
            // No room to finish the handshake, so the SYN is dropped, cookies or not.
            counters.inc(Counter.LISTEN_OVERFLOWS);
            counters.inc(Counter.LISTEN_DROPS);
            return;
        }
        boolean synQueueFull = l.synQueueFull();
        if (synQueueFull) l.lastOverflow = now;
        if (syncookies == 2 || (syncookies == 1 && synQueueFull)) {
            TcpConnection once = new TcpConnection(env, t, l.options());
            once.sendCookieSynAck(seg, cookies.encode(t, seg.seq, seg.options.mss > 0 ? seg.options.mss : 536, now), now);
            counters.inc(Counter.SYNCOOKIES_SENT);
            return;
        }
        if (synQueueFull) {
            counters.inc(Counter.LISTEN_DROPS);
            return;
        }
        TcpConnection c = new TcpConnection(env, t, l.options().copy());
        Pcb pcb = register(c);
        pcb.listener = l;
        l.synQueue++;
        boolean fastOpenData = fastOpenDecision(l, t, c);
        c.acceptSyn(seg, now);
        if (fastOpenData && connections.get(t) == pcb) {
            // Linux's tcp_fastopen_create_child: straight to the accept queue, data readable before the ACK.
            pcb.fastOpenListener = l;
            l.fastOpenPending++;
            moveToAcceptQueue(pcb);
        }
    }

    /**
     * RFC 7413 §4.1 and §4.3 at the listener (Linux's tcp_try_fastopen): a cookie request gets a cookie; a valid
     * cookie with data gets the data accepted, if the listener's Fast Open queue has room; an invalid cookie
     * gets the right one and no acceptance. Returns whether the SYN's data is accepted.
     */
    private boolean fastOpenDecision(Listener l, FourTuple t, TcpConnection c) {
        int mode = sysctls.get(Sysctl.TCP_FASTOPEN);
        boolean serverOn = (mode & FASTOPEN_SERVER) != 0 && (l.fastOpenQueueLimit() > 0 || (mode & FASTOPEN_SERVER_WO_SOCKOPT) != 0);
        if (!serverOn) return false;
        boolean noCookieNeeded = (mode & FASTOPEN_SERVER_COOKIE_NOT_REQD) != 0;
        if (!seg.options.fastOpen && !(noCookieNeeded && seg.payloadLength > 0)) return false;
        byte[] valid = fastOpen.cookie(t.remoteAddress(), t.localAddress(), sysctls);
        boolean hasData = seg.payloadLength > 0;
        boolean cookieOk = noCookieNeeded || (seg.options.fastOpenCookieLength == valid.length
                && java.util.Arrays.equals(seg.options.fastOpenCookie, 0, valid.length, valid, 0, valid.length));
        if (seg.options.fastOpen && seg.options.fastOpenCookieLength == 0) {
            counters.inc(Counter.TCP_FAST_OPEN_COOKIE_REQD);
            c.prepareFastOpen(valid, false);
            return false;
        }
        if (!cookieOk) {
            counters.inc(Counter.TCP_FAST_OPEN_PASSIVE_FAIL);
            c.prepareFastOpen(valid, false);
            return false;
        }
        if (!hasData) return false;
        int limit = l.fastOpenQueueLimit() > 0 ? l.fastOpenQueueLimit() : l.acceptQueueLimit();
        if (l.fastOpenPending >= limit) {
            counters.inc(Counter.TCP_FAST_OPEN_LISTEN_OVERFLOW);
            return false;
        }
        counters.inc(Counter.TCP_FAST_OPEN_PASSIVE);
        c.prepareFastOpen(null, true);
        return true;
    }

    /** tcp_fastopen's server bits, as Linux defines them. */
    static final int FASTOPEN_SERVER = 0x2;
    static final int FASTOPEN_SERVER_COOKIE_NOT_REQD = 0x200;
    static final int FASTOPEN_SERVER_WO_SOCKOPT = 0x400;

    /** An ACK for a listener with no half-open entry: a returning SYN cookie? Returns true if it was one. */
    private boolean cookieAckArrives(Listener l, FourTuple t, long now) {
        int mss = cookies.check(t, seg.ack - 1, seg.seq - 1, now);
        if (mss == 0) {
            counters.inc(Counter.SYNCOOKIES_FAILED);
            return false;
        }
        if (l.acceptQueueFull()) {
            counters.inc(Counter.LISTEN_OVERFLOWS);
            counters.inc(Counter.LISTEN_DROPS);
            return true; // dropped: the peer's retransmission may find room
        }
        TcpConnection c = new TcpConnection(env, t, l.options().copy());
        Pcb pcb = register(c);
        pcb.listener = l;
        l.synQueue++;
        if (!c.acceptCookie(seg, mss, now)) {
            unregister(pcb);
            counters.inc(Counter.SYNCOOKIES_FAILED);
            return false;
        }
        counters.inc(Counter.SYNCOOKIES_RECV);
        return true;
    }

    private void replyReset(FourTuple t, long now) {
        if (!Resets.replyTo(seg, reply)) return;
        counters.inc(Counter.OUT_RSTS);
        counters.inc(Counter.OUT_SEGS);
        send(t, reply, now);
    }

    private Listener findListener(IpAddress local, int port) {
        List<Listener> ls = listeners.get(port);
        if (ls == null) return null;
        Listener wildcard = null;
        for (Listener l : ls) {
            if (l.address().equals(local)) return l;
            if (l.address().isAny() && l.address().v6() == local.v6()) wildcard = l;
            else if (l.address().isAny() && l.address().v6() && wildcard == null) wildcard = l; // [::] takes IPv4 too
        }
        return wildcard;
    }

    // ------------------------------------------------------------------------------------------------
    // Time

    @Override
    public void advance(long now) {
        tick(now);
        for (int i = deferred.size() - 1; i >= 0; i--) {
            Pcb pcb = deferred.get(i);
            if (pcb.deferredUntil <= now) {
                deferred.remove(i);
                if (connections.get(pcb.conn.tuple()) == pcb) moveToAcceptQueue(pcb);
            }
        }
        try {
            timers.expire(now, pcb -> pcb.conn.onTimer(now));
        } catch (RuntimeException e) {
            internalError(e);
        } catch (Error e) {
            internalError(e);
            throw e;
        }
        reportedDeadline = Long.MAX_VALUE;
        reportDeadline();
    }

    @Override
    public long nextDeadline() {
        long d = timers.nextDeadline();
        for (int i = 0; i < deferred.size(); i++) d = Math.min(d, deferred.get(i).deferredUntil);
        return d;
    }

    @Override
    public void setWakeupListener(LongConsumer listener) {
        this.wakeupListener = listener;
    }

    private void tick(long t) {
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

    // ------------------------------------------------------------------------------------------------
    // User calls

    /**
     * listen(): a listener on {@code address} (the wildcard for all) and {@code port} (0 picks an ephemeral
     * one). Fails with EADDRINUSE when the port is taken, unless SO_REUSEADDR lets it share with connections
     * (a restarted server whose old connections sit in TIME-WAIT).
     */
    public Listener listen(IpAddress address, int port, int backlog, ConnectionOptions options, boolean reuseAddress) {
        if (port == 0) port = ports.anyFreePort(sysctls, p -> !localPortUse.containsKey(p));
        if (port <= 0) throw new TcpException(Errno.EADDRINUSE);
        for (Listener l : listeners.getOrDefault(port, List.of())) {
            if (l.address().isAny() || address.isAny() || l.address().equals(address)) {
                throw new TcpException(Errno.EADDRINUSE, "port " + port);
            }
        }
        if (!reuseAddress && localPortUse.containsKey(port)) throw new TcpException(Errno.EADDRINUSE, "port " + port);
        Listener l = new Listener(this, address, port, backlog, options);
        listeners.computeIfAbsent(port, k -> new ArrayList<>()).add(l);
        localPortUse.merge(port, 1, Integer::sum);
        return l;
    }

    /** Closes a listener: queued connections nobody accepted are reset, half-open ones dropped silently. */
    public void closeListener(Listener l, long now) {
        if (l.closed) return;
        tick(now);
        l.closed = true;
        List<Listener> ls = listeners.get(l.port());
        if (ls != null) {
            ls.remove(l);
            if (ls.isEmpty()) listeners.remove(l.port());
        }
        releasePort(l.port());
        TcpConnection c;
        while ((c = l.queue().poll()) != null) c.abort(now);
        for (Pcb pcb : List.copyOf(connections.values())) {
            if (pcb.listener == l) {
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
        tick(now);
        Interface ifc = route(remote);
        if (ifc == null) throw new TcpException(Errno.ENETUNREACH);
        IpAddress local = ifc.address();
        if (localPort == 0) {
            localPort = ports.connectPort(sysctls, local, remote, port, p -> {
                if (listeners.containsKey(p)) return false;
                Pcb used = connections.get(new FourTuple(local, p, remote, port));
                return used == null || used.conn.state() == TcpState.TIME_WAIT && timeWaitReusable(used.conn, now);
            });
            if (localPort <= 0) throw new TcpException(Errno.EADDRNOTAVAIL);
        }
        FourTuple tuple = new FourTuple(local, localPort, remote, port);
        Pcb used = connections.get(tuple);
        if (used != null) {
            if (used.conn.state() != TcpState.TIME_WAIT || !timeWaitReusable(used.conn, now)) {
                throw new TcpException(Errno.EADDRNOTAVAIL, "four-tuple in use");
            }
            issOverrides.put(tuple, used.conn.sndMax() + 65535 + 2);
            used.conn.endTimeWait("four-tuple reused by connect() (tcp_tw_reuse)", now);
            counters.inc(Counter.TW_RECYCLED);
        }
        TcpConnection c = new TcpConnection(env, tuple, options);
        register(c);
        c.connect(data, off, len, now);
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
        for (Pcb pcb : List.copyOf(connections.values())) timers.cancel(pcb);
        connections.clear();
        listeners.clear();
        localPortUse.clear();
        issOverrides.clear();
        timeWaitCount = 0;
        counters.set(Counter.CURR_ESTAB, 0);
    }

    /** Forgets every cached Fast Open cookie and negative response (FreeBSD flushes its cache when client_enable goes to 0). */
    public void clearFastOpenCookies() {
        fastOpenCache.clear();
        fastOpenDisabledUntil.clear();
    }

    /** Whether a Fast Open cookie for {@code server} is cached (the client side's tcp_metrics). */
    public boolean hasFastOpenCookie(IpAddress server) {
        return fastOpenCache.containsKey(server);
    }

    /** After a user call on a connection (write, read, close...), bring the host's view up to date. */
    public void userCallDone() {
        reportDeadline();
    }

    void accepted(TcpConnection c) {
        Pcb pcb = (Pcb) c.attachment();
        if (pcb != null) {
            pcb.listener = null;
            pcb.inAcceptQueue = false;
        }
    }

    /** Every connection the stack holds (not listeners), for ss. */
    public List<TcpConnection> connections() {
        List<TcpConnection> out = new ArrayList<>(connections.size());
        for (Pcb p : connections.values()) out.add(p.conn);
        return out;
    }

    public List<Listener> listeners() {
        List<Listener> out = new ArrayList<>();
        for (List<Listener> ls : listeners.values()) out.addAll(ls);
        return out;
    }

    public int connectionCount() { return connections.size(); }

    /** Connections in TIME-WAIT now (ss -s's "timewait"). */
    public int timeWaitCount() { return timeWaitCount; }

    /**
     * The socket table now: every listener, then every connection, in a stable order (listeners by port,
     * connections by local port then peer), so tools print the same table for the same state.
     */
    public List<SocketInfo> sockets() {
        List<SocketInfo> out = new ArrayList<>();
        List<Listener> ls = listeners();
        ls.sort(java.util.Comparator.comparingInt(Listener::port).thenComparing(l -> l.address().toString()));
        for (Listener l : ls) out.add(SocketInfo.of(l));
        List<TcpConnection> cs = connections();
        cs.sort(java.util.Comparator.<TcpConnection>comparingInt(c -> c.tuple().localPort())
                .thenComparing(c -> c.tuple().remoteAddress().toString())
                .thenComparingInt(c -> c.tuple().remotePort()));
        for (TcpConnection c : cs) out.add(SocketInfo.of(c, now));
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // Internals

    private Pcb register(TcpConnection c) {
        Pcb pcb = new Pcb(c);
        c.attach(pcb);
        connections.put(c.tuple(), pcb);
        localPortUse.merge(c.tuple().localPort(), 1, Integer::sum);
        return pcb;
    }

    private void unregister(Pcb pcb) {
        if (pcb.deferredUntil != 0) {
            deferred.remove(pcb);
            pcb.deferredUntil = 0;
        }
        if (connections.remove(pcb.conn.tuple()) == pcb) releasePort(pcb.conn.tuple().localPort());
        timers.cancel(pcb);
        Listener l = pcb.listener;
        if (l != null && !pcb.inAcceptQueue) {
            l.synQueue--;
            pcb.listener = null;
        }
    }

    /** The handshake is done (and, with TCP_DEFER_ACCEPT, data has come): from the SYN queue to the accept queue. */
    private void moveToAcceptQueue(Pcb pcb) {
        Listener l = pcb.listener;
        if (l == null || pcb.inAcceptQueue) return;
        pcb.deferredUntil = 0;
        l.synQueue--;
        pcb.inAcceptQueue = true;
        l.enqueue(pcb.conn);
        appWake.accept(l);
    }

    private void releasePort(int port) {
        localPortUse.computeIfPresent(port, (k, v) -> v <= 1 ? null : v - 1);
    }

    // ------------------------------------------------------------------------------------------------
    // For ICMP (IcmpHandler)

    /** The connection for a four-tuple (ours first), or null. */
    TcpConnection connection(FourTuple t) {
        Pcb pcb = connections.get(t);
        return pcb == null ? null : pcb.conn;
    }

    /** Sends an ICMP or ICMPv6 message from {@code src} to {@code dst}; false when no route. */
    boolean sendIcmp(IpAddress src, IpAddress dst, byte[] message, long now) {
        Interface ifc = route(dst);
        if (ifc == null) {
            counters.inc(Counter.IP_OUT_NO_ROUTES);
            return false;
        }
        byte[] pkt = PacketBuilder.buildIcmp(src, dst, message, 0, message.length, ipId++ & 0xFFFF);
        counters.inc(Counter.IP_OUT_REQUESTS);
        for (int i = 0; i < observers.size(); i++) observers.get(i).packet(this, true, pkt, 0, pkt.length, now);
        ifc.sink().transmit(pkt, pkt.length, now);
        return true;
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

    /** The MTU of the path to {@code dst}: the interface's, or lower if ICMP taught us so (and it has not expired). */
    public int pathMtu(IpAddress dst, long now) {
        Interface ifc = route(dst);
        int link = ifc == null ? 1500 : ifc.mtu();
        return Math.min(link, pathMtus.get(dst, now));
    }

    private void send(FourTuple t, TcpSegment s, long now) {
        Interface ifc = route(t.remoteAddress());
        if (ifc == null) {
            counters.inc(Counter.IP_OUT_NO_ROUTES);
            return;
        }
        byte[] pkt = PacketBuilder.buildTcp(t.localAddress(), t.remoteAddress(), s, optionLayout, ipId++ & 0xFFFF);
        counters.inc(Counter.IP_OUT_REQUESTS);
        for (int i = 0; i < observers.size(); i++) observers.get(i).packet(this, true, pkt, 0, pkt.length, now);
        ifc.sink().transmit(pkt, pkt.length, now);
    }

    /** The engine's view of this host. */
    private final class Env implements Environment {
        @Override public Sysctls sysctls() { return sysctls; }
        @Override public Counters counters() { return counters; }
        @Override public EngineProfile engineProfile() { return engineProfile; }

        @Override
        public void transmit(TcpConnection conn, TcpSegment s) {
            send(conn.tuple(), s, now);
        }

        @Override
        public void stateChanged(TcpConnection conn, TcpState from, TcpState to, String cause, long t) {
            Pcb pcb = (Pcb) conn.attachment();
            if (pcb != null && pcb.listener != null && !pcb.inAcceptQueue && to.isSynchronized() && to != TcpState.TIME_WAIT
                    && from == TcpState.SYN_RECEIVED) {
                int defer = pcb.listener.deferAcceptSeconds();
                if (defer > 0 && conn.readable() == 0 && !conn.atEof()) {
                    pcb.deferredUntil = t + defer * 1_000_000_000L;
                    deferred.add(pcb);
                    if (pcb.deferredUntil < reportedDeadline) reportDeadline();
                } else {
                    moveToAcceptQueue(pcb);
                }
            }
            if (pcb != null && pcb.fastOpenListener != null && from == TcpState.SYN_RECEIVED) {
                pcb.fastOpenListener.fastOpenPending--;
                pcb.fastOpenListener = null;
            }
            if (to == TcpState.TIME_WAIT) timeWaitCount++;
            if (from == TcpState.TIME_WAIT) timeWaitCount--;
            for (int i = 0; i < observers.size(); i++) observers.get(i).transition(Stack.this, conn, from, to, cause, t);
            if (pcb != null && (to == TcpState.CLOSED || (to == TcpState.LISTEN && from == TcpState.SYN_RECEIVED))) {
                unregister(pcb);
            }
        }

        @Override
        public void timersChanged(TcpConnection conn) {
            Pcb pcb = (Pcb) conn.attachment();
            if (pcb == null || !connections.containsKey(conn.tuple())) return;
            long d = conn.nextDeadline();
            if (d == Long.MAX_VALUE) timers.cancel(pcb);
            else timers.schedule(pcb, d);
        }

        @Override
        public void wake(TcpConnection conn) {
            Pcb pcb = (Pcb) conn.attachment();
            if (pcb != null && pcb.deferredUntil != 0 && (conn.readable() > 0 || conn.atEof())) {
                deferred.remove(pcb);
                moveToAcceptQueue(pcb);
            }
            appWake.accept(conn);
        }

        @Override
        public int initialSequenceNumber(FourTuple tuple, long t) {
            Integer chosen = issOverrides.remove(tuple);
            return chosen != null ? chosen : isn.isn(tuple, t);
        }

        @Override
        public byte[] fastOpenCookie(IpAddress server) {
            return fastOpenCache.get(server);
        }

        @Override
        public void fastOpenCookieLearned(IpAddress server, byte[] cookie) {
            fastOpenCache.put(server, cookie);
            fastOpenDisabledUntil.remove(server);
        }

        @Override
        public void fastOpenRefused(IpAddress server, long now) {
            long d = engineProfile.fastOpenPathDisableNanos();
            if (d <= 0) return;
            fastOpenCache.remove(server);
            fastOpenDisabledUntil.put(server, now + d);
        }

        @Override
        public boolean fastOpenPathDisabled(IpAddress server, long now) {
            Long until = fastOpenDisabledUntil.get(server);
            if (until == null) return false;
            if (now < until) return true;
            fastOpenDisabledUntil.remove(server); // re-enabled: the next SYN asks for a cookie again
            return false;
        }

        @Override
        public boolean admitTimeWait(TcpConnection conn) {
            return timeWaitCount < sysctls.get(Sysctl.TCP_MAX_TW_BUCKETS);
        }

        @Override
        public int timestampOffset(FourTuple tuple) {
            return isn.timestampOffset(tuple);
        }

        @Override
        public int pathMtu(FourTuple tuple) {
            return Stack.this.pathMtu(tuple.remoteAddress(), now);
        }
    }

    @Override
    public String toString() {
        return "Stack[" + name + "]";
    }

    /** For tests and tools: the settings map view by name. */
    public Map<String, String> settingsView() {
        Map<String, String> m = new java.util.TreeMap<>();
        for (Sysctl s : Sysctl.values()) m.put(s.sysctlName(), sysctls.show(s.sysctlName()));
        return m;
    }
}
