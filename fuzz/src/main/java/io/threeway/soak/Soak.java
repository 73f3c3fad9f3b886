package io.threeway.soak;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Simulator;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A soak: seeded random conversations (random {@link Plan}s of the applications) between client hosts and one
 * server over paths with random, changing faults ({@link PathFaults}), on the deterministic simulator, with every
 * invariant ({@link InvariantChecker}) checked after every event and each conversation checked when it is over
 * ({@link Conversation#verdict}). When all conversations are over and TIME-WAIT has run out, nothing may be left:
 * no connection, no timer, no buffer byte, no orphan, CurrEstab 0 on every host, and (when measured) the heap back
 * where it was. A broken invariant throws {@link SoakFailure} with the seed and the virtual time.
 */
public final class Soak {
    private static final long SECOND = 1_000_000_000L;
    /** The server's first port. */
    private static final int PORT = 80;
    /** The server listens on {@code PORT + i} with SO_RCVBUF {@code RCVBUF_BY_PORT[i]} (-1: the default). */
    static final int[] RCVBUF_BY_PORT = {-1, 4096, 16384};
    /** After the last start, the run must be over within this (blackouts, retries, TIME-WAIT): 1 hour. */
    private static final long DRAIN_LIMIT = 3600 * SECOND;

    private final SoakConfig config;
    private final Consumer<String> progress;
    private final Network net;
    private final Simulator sim;
    private final Stack server;
    private final List<Stack> clients = new ArrayList<>();
    private final List<IpAddress> serverAddresses = new ArrayList<>();
    private final List<PathFaults> faults = new ArrayList<>();
    private final InvariantChecker checker;
    private final Applications apps;
    private final SplittableRandom random;
    /** Each watched connection's side. */
    private final Map<TcpConnection, Endpoint> endpoints = new IdentityHashMap<>();
    /** Conversations whose server side is not accepted yet, by their four-tuple. */
    private final Map<String, Conversation> awaitingAccept = new HashMap<>();
    /** Conversations started and not over. */
    private final List<Conversation> open = new ArrayList<>();
    /** Conversations that may have become over in the last event. */
    private final List<Conversation> maybeOver = new ArrayList<>();
    /** Connections accepted after their conversation was over (a late handshake after a client's reset). */
    private final List<TcpConnection> strays = new ArrayList<>();
    private long started;
    private long completed;
    private long brokenOff;
    private long gaveUp;
    private long bytes;
    private long nextProgress;

    public Soak(SoakConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        this.net = new Network(config.seed());
        this.sim = net.sim();
        this.random = new SplittableRandom(config.seed());
        this.server = net.host("server");
        for (int i = 0; i < config.clients(); i++) addClient(i);
        List<Stack> all = new ArrayList<>(clients);
        all.add(server);
        this.checker = new InvariantChecker(this, all);
        this.apps = new Applications(sim, this);
        for (int k = 0; k < RCVBUF_BY_PORT.length; k++) {
            ConnectionOptions o = new ConnectionOptions();
            o.rcvBuf = RCVBUF_BY_PORT[k];
            server.listen(IpAddress.ANY6, PORT + k, 4096, o, false);
        }
        server.setApplicationWakeup(this::serverWakeup);
        for (Stack c : clients) c.setApplicationWakeup(this::wakeup);
    }

    /** Client {@code i}: its own settings and path; even ones over IPv4, odd ones over IPv6. */
    private void addClient(int i) {
        Sysctls s = new Sysctls();
        if (random.nextInt(4) == 0) s.set(Sysctl.TCP_SACK, 0);
        if (random.nextInt(4) == 0) s.set(Sysctl.TCP_TIMESTAMPS, 0);
        if (random.nextInt(4) == 0) s.set(Sysctl.TCP_WINDOW_SCALING, 0);
        if (random.nextInt(3) == 0) s.set(Sysctl.TCP_CONGESTION_CONTROL, "reno");
        Stack c = net.host("client" + i, s);
        clients.add(c);
        boolean v6 = i % 2 == 1;
        String ca = v6 ? "2001:db8:" + (i + 1) + "::1" : "198.18." + (i + 1) + ".1";
        String sa = v6 ? "2001:db8:" + (i + 1) + "::2" : "198.18." + (i + 1) + ".2";
        Link link = net.link(c, ca, server, sa, v6 ? 64 : 24, LinkConfig.PERFECT, LinkConfig.PERFECT);
        serverAddresses.add(IpAddress.parse(sa));
        faults.add(new PathFaults(sim, random.split(), link.aToB(), link.bToA()));
    }

    /** Runs the soak; throws {@link SoakFailure} at the first broken invariant. */
    public SoakReport run() {
        long heapBefore = config.measureHeap() ? heapInUse() : -1;
        for (PathFaults f : faults) f.start();
        double rate = config.connections() / (config.duration().toNanos() / 1e9);
        scheduleArrival(rate);
        sim.schedule(60 * SECOND, this::idleSweep);
        long limit = config.duration().toNanos() + DRAIN_LIMIT;
        if (!sim.runUntil(this::afterEvent, limit)) {
            throw failure("an hour after the last start, " + open.size() + " conversations are still open, the first: "
                    + (open.isEmpty() ? "none" : open.getFirst()) + "; " + strays.size() + " stray connections");
        }
        for (PathFaults f : faults) f.stop();
        long drainEnd = sim.now() + DRAIN_LIMIT;
        if (!sim.runUntil(() -> afterEvent() && allStacksEmpty(), drainEnd)) {
            throw failure("an hour after the last conversation, a host still holds connections: " + leftovers());
        }
        checkNothingLeft();
        long heapAfter = config.measureHeap() ? heapInUse() : -1;
        return report(heapBefore, heapAfter);
    }

    /** After every event: the invariants, conversations now over, progress; true once all are started and over. */
    private boolean afterEvent() {
        checker.afterEvent();
        if (!maybeOver.isEmpty()) retireOver();
        if (sim.now() >= nextProgress) {
            nextProgress += 300 * SECOND;
            progress.accept(String.format("soak: %,.0f s virtual, %,d connections started, %,d open",
                    sim.now() / 1e9, started, open.size()));
        }
        return started == config.connections() && open.isEmpty() && strays.isEmpty();
    }

    private void scheduleArrival(double rate) {
        long gap = (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
        sim.schedule(sim.now() + gap, () -> {
            startConversation();
            if (started < config.connections()) scheduleArrival(rate);
        });
    }

    /** A new conversation from a random client. */
    private void startConversation() {
        int i = random.nextInt(clients.size());
        Stack c = clients.get(i);
        Conversation conv = new Conversation(started++, Plan.draw(random), i, sim.now(), random.split(),
                new Endpoint.Sides(c, server));
        ConnectionOptions o = new ConnectionOptions();
        o.rcvBuf = conv.plan.clientRcvBuf();
        o.noDelay = conv.plan.noDelay();
        TcpConnection conn = c.connect(serverAddresses.get(i), PORT + conv.plan.serverPort(), 0, o, sim.now());
        watch(conv.clientSide, conn);
        awaitingAccept.put(key(conn.tuple().localAddress(), conn.tuple().localPort(), conn.tuple().remotePort()), conv);
        open.add(conv);
        c.userCallDone();
    }

    /** A conversation's key until accepted: its four-tuple (one client port may serve two server ports at once). */
    private static String key(IpAddress clientAddress, int clientPort, int serverPort) {
        return clientAddress + " " + clientPort + " " + serverPort;
    }

    private void watch(Endpoint e, TcpConnection conn) {
        e.conn = conn;
        e.lastProgress = sim.now();
        endpoints.put(conn, e);
        checker.live.add(conn);
    }

    /** A client's connection changed: its application looks. */
    private void wakeup(Object socket) {
        if (socket instanceof TcpConnection c) {
            Endpoint e = endpoints.get(c);
            if (e != null) apps.schedule(e, sim.now());
        }
    }

    /** The server: a connection to accept, or one of its connections changed. */
    private void serverWakeup(Object socket) {
        if (socket instanceof Listener l) sim.schedule(sim.now(), () -> acceptAll(l));
        else wakeup(socket);
    }

    private void acceptAll(Listener l) {
        TcpConnection c;
        while ((c = l.accept()) != null) {
            FourTuple t = c.tuple();
            Conversation conv = awaitingAccept.remove(key(t.remoteAddress(), t.remotePort(), t.localPort()));
            if (conv == null) {
                c.abort(sim.now()); // its client gave up long ago: reset it, and watch it end
                if (c.state() != TcpState.CLOSED) {
                    strays.add(c);
                    checker.live.add(c);
                }
                continue;
            }
            ConnectionOptions o = c.options();
            o.noDelay = conv.plan.noDelay();
            watch(conv.serverSide, c);
            apps.step(conv.serverSide);
        }
        server.userCallDone();
    }

    /** An application let go of its connection. */
    void endpointDone(Endpoint e) {
        maybeOver.add(e.conv);
    }

    /** A transition of any connection: a watched one's is kept for the report of a failure. */
    void transitionSeen(TcpConnection c, TcpState from, TcpState to, String cause, long now) {
        Endpoint e = endpoints.get(c);
        if (e != null) e.transitions.append(String.format(" %.3f %s->%s (%s)", now / 1e9, from, to, cause));
    }

    /** A watched connection reached CLOSED or TIME-WAIT (called by the checker, during the event). */
    void connectionEnded(TcpConnection c) {
        Endpoint e = endpoints.get(c);
        if (e != null) maybeOver.add(e.conv);
        else if (strays.remove(c)) checker.live.remove(c);
    }

    /** After the event's invariants: conversations over are judged and stop being watched. */
    private void retireOver() {
        for (int i = 0; i < maybeOver.size(); i++) {
            Conversation conv = maybeOver.get(i);
            if (!conv.over() || !open.remove(conv)) continue;
            String wrong = conv.verdict();
            if (wrong != null) throw failure(wrong);
            for (Endpoint e : new Endpoint[] {conv.clientSide, conv.serverSide}) {
                if (e.conn != null && e.conn.info(sim.now()).bufferBytes() != 0) {
                    throw failure("a connection over still holds " + e.conn.info(sim.now()).bufferBytes() + " bytes of buffer: " + conv);
                }
            }
            count(conv);
            unwatch(conv.clientSide);
            unwatch(conv.serverSide);
            TcpConnection cc = conv.clientSide.conn;
            awaitingAccept.remove(key(cc.tuple().localAddress(), cc.tuple().localPort(), cc.tuple().remotePort()));
        }
        maybeOver.clear();
    }

    private void count(Conversation conv) {
        if (conv.normal()) completed++;
        else brokenOff++;
        for (Endpoint e : new Endpoint[] {conv.clientSide, conv.serverSide}) {
            bytes += e.received;
            if ("idle".equals(e.ending)) gaveUp++;
        }
    }

    private void unwatch(Endpoint e) {
        if (e.conn == null) return;
        endpoints.remove(e.conn);
        checker.live.remove(e.conn);
    }

    /** Every minute: applications without progress for their idle timeout give up. */
    private void idleSweep() {
        long now = sim.now();
        for (int i = 0; i < open.size(); i++) {
            Conversation conv = open.get(i);
            for (Endpoint e : new Endpoint[] {conv.clientSide, conv.serverSide}) {
                if (e.conn != null && !e.done && now - e.lastProgress > Endpoint.IDLE_NANOS) {
                    if (conv.normal()) throw failure("stalled for " + Endpoint.IDLE_NANOS / SECOND + " s: " + conv);
                    apps.giveUp(e, now);
                }
            }
        }
        if (!(started == config.connections() && open.isEmpty())) sim.schedule(now + 60 * SECOND, this::idleSweep);
    }

    /** A failure naming the seed and the virtual time. */
    SoakFailure failure(String what) {
        return new SoakFailure("soak seed " + config.seed() + " at " + String.format("%.6f", sim.now() / 1e9) + " s: " + what);
    }

    /** The index, among the checker's stacks (clients, then the server), of {@code c}'s stack. */
    int stackIndexOf(TcpConnection c) {
        Endpoint e = endpoints.get(c);
        return e == null || !e.client ? clients.size() : e.conv.client;
    }

    /** The name of {@code c}'s stack. */
    String stackOf(TcpConnection c) {
        int i = stackIndexOf(c);
        return i == clients.size() ? server.name() : clients.get(i).name();
    }

    private boolean allStacksEmpty() {
        if (server.connectionCount() != 0) return false;
        for (Stack c : clients) if (c.connectionCount() != 0) return false;
        return true;
    }

    private String leftovers() {
        StringBuilder b = new StringBuilder();
        for (Stack s : allStacks()) {
            for (TcpConnection c : s.connections()) b.append("\n  ").append(s.name()).append(' ').append(c.tuple()).append(' ')
                    .append(c.state()).append(' ').append(c.debugState());
            b.append("\n  ").append(s.name()).append(": ").append(s.timeWaitCount()).append(" in TIME-WAIT");
        }
        return b.toString();
    }

    private List<Stack> allStacks() {
        List<Stack> all = new ArrayList<>(clients);
        all.add(server);
        return all;
    }

    /** Nothing left behind on any host: no connection, timer, buffer byte, orphan; CurrEstab 0; every open counted. */
    private void checkNothingLeft() {
        long activeOpens = 0;
        for (Stack s : allStacks()) {
            List<String> wrong = new ArrayList<>();
            if (s.connectionCount() != 0 || s.timeWaitCount() != 0) wrong.add(s.connectionCount() + " connections");
            if (s.nextDeadline() != Long.MAX_VALUE) wrong.add("a timer at " + s.nextDeadline());
            if (s.tcpMemory().allocatedBytes() != 0) wrong.add(s.tcpMemory().allocatedBytes() + " buffer bytes");
            if (s.tcpMemory().orphans() != 0) wrong.add(s.tcpMemory().orphans() + " orphans");
            if (s.counters().get(Counter.CURR_ESTAB) != 0) wrong.add("CurrEstab " + s.counters().get(Counter.CURR_ESTAB));
            if (s.internalErrors() != 0) wrong.add(s.internalErrors() + " internal errors: " + s.firstInternalError());
            for (Listener l : s.listeners()) {
                if (l.acceptQueueLength() + l.synQueueLength() != 0) wrong.add("a listener's queues hold " + l.acceptQueueLength() + "+" + l.synQueueLength());
            }
            if (!wrong.isEmpty()) throw failure(s.name() + " at the end: " + String.join(", ", wrong));
            activeOpens += s == server ? 0 : s.counters().get(Counter.ACTIVE_OPENS);
        }
        if (activeOpens != started) throw failure("ActiveOpens " + activeOpens + " for " + started + " connect() calls");
    }

    /** Heap in use after full collections (the JVM's own figure; the run does not depend on it). */
    private static long heapInUse() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private SoakReport report(long heapBefore, long heapAfter) {
        long retrans = 0;
        long timeouts = 0;
        long resets = 0;
        for (Stack s : allStacks()) {
            retrans += s.counters().get(Counter.RETRANS_SEGS);
            timeouts += s.counters().get(Counter.TCP_TIMEOUTS);
            resets += s.counters().get(Counter.OUT_RSTS);
        }
        long blackouts = 0;
        long epochs = 0;
        for (PathFaults f : faults) {
            blackouts += f.blackouts;
            epochs += f.epochs;
        }
        return new SoakReport(config.seed(), started, completed, brokenOff, gaveUp, bytes, sim.now() / 1e9, checker.events,
                retrans, timeouts, resets, checker.transitionsTo[TcpState.CLOSING.ordinal()], blackouts, epochs,
                heapBefore, heapAfter);
    }
}
