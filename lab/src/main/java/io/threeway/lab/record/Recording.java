package io.threeway.lab.record;

import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.host.SynCookieReader;
import io.threeway.sim.FateObserver;
import io.threeway.sim.Link;
import io.threeway.sim.LinkDirection;
import io.threeway.sim.PacketFate;
import io.threeway.sim.Simulator;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.tools.HostSnapshot;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import io.threeway.wire.FourTuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.HashSet;

/**
 * Everything one variant of a run did, recorded as it happened: each packet on each link with its fate, the
 * order of sends, arrivals and transitions, each endpoint's figures whenever they change ({@link SeriesPoint}),
 * and the hosts as the tools see them after each step ({@link ToolSnapshot}). Made and fed by a
 * {@link RunRecorder}; read after the run. Single-threaded, as the simulator is.
 */
public final class Recording implements StackObserver, FateObserver {
    /** Up to this many endpoints, every one is sampled at every step (catching reads and writes that send nothing). */
    private static final int SAMPLE_ALL_UP_TO = 64;

    private final String variant;
    private final RunRecorder owner;
    private final Simulator sim;
    private final List<Stack> stacks = new ArrayList<>();
    /** Each host's SYN cookie secrets, by name, so that a viewer can take its cookies apart. */
    private final Map<String, SynCookieReader> cookieReaders = new LinkedHashMap<>();
    private final Set<LinkDirection> watchedLinks = Collections.newSetFromMap(new IdentityHashMap<>());
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    private final List<RecordedPacket> packets = new ArrayList<>();
    private final List<RecordedEvent> events = new ArrayList<>();
    private final List<RecordedTransition> transitions = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<SeriesPoint> series = new ArrayList<>();
    private final List<ToolSnapshot> snapshots = new ArrayList<>();
    private final Map<TcpConnection, Integer> endpointIds = new IdentityHashMap<>();
    private final Map<String, Map<FourTuple, TcpConnection>> byTuple = new HashMap<>();
    private final Map<Integer, SeriesPoint> lastPoint = new HashMap<>();
    private final Set<TcpConnection> touched = new LinkedHashSet<>();
    private final Set<TcpConnection> live = new LinkedHashSet<>();
    /** Packets on their way, by receiving host, for matching arrivals in order. */
    private final Map<String, List<RecordedPacket>> pending = new HashMap<>();
    private int eventsAtLastSnapshot;
    private int snapshotEvery = 1;
    private int stepsSinceSnapshot;
    private long snapshotRows;
    /** Snapshot rows past which snapshots are taken half as often. */
    private long nextThinning;
    /** Duplicated packets that have arrived once. */
    private final Set<Integer> arrivedOnce = new HashSet<>();
    private boolean packetsTruncated;
    private boolean snapshotsThinned;

    Recording(String variant, RunRecorder owner, Simulator sim) {
        this.variant = variant;
        this.owner = owner;
        this.sim = sim;
        this.nextThinning = owner.limits().maxSnapshotRows() / 2;
    }

    /** Records {@code s}'s transitions and arrivals from now on (once per stack). */
    void addStack(Stack s) {
        for (Stack known : stacks) if (known == s) return;
        stacks.add(s);
        cookieReaders.put(s.name(), s.synCookieReader());
        s.addObserver(this);
    }

    /** Learns the fate of packets on every link of the simulator not yet watched. */
    void watchLinks() {
        for (Link l : sim.links()) {
            for (LinkDirection d : List.of(l.aToB(), l.bToA())) {
                if (watchedLinks.add(d)) d.watchFates(this);
            }
        }
    }

    /** The variant's name ("" for a scenario with one run). */
    public String variant() { return variant; }

    /** The hosts' names, in creation order. */
    public List<String> hosts() { return stacks.stream().map(Stack::name).toList(); }

    /** Each host's SYN cookie reader (its secrets), by host name. */
    public Map<String, SynCookieReader> cookieReaders() { return Map.copyOf(cookieReaders); }

    public List<RecordedPacket> packets() { return List.copyOf(packets); }

    public List<RecordedEvent> events() { return List.copyOf(events); }

    public List<RecordedTransition> transitions() { return List.copyOf(transitions); }

    public List<Endpoint> endpoints() { return List.copyOf(endpoints); }

    public List<SeriesPoint> series() { return List.copyOf(series); }

    public List<ToolSnapshot> snapshots() { return List.copyOf(snapshots); }

    /** Whether packets past the limit were left out (the run itself went on). */
    public boolean packetsTruncated() { return packetsTruncated; }

    /** Whether the tools' snapshots were thinned out to stay within the limit. */
    public boolean snapshotsThinned() { return snapshotsThinned; }

    @Override
    public void fate(LinkDirection direction, byte[] packet, int length, long sent, long arrival, boolean duplicated,
                     PacketFate fate) {
        if (!owner.admitPacket(length)) {
            packetsTruncated = true;
            return;
        }
        String[] ends = direction.name().split("->", 2);
        byte[] copy = Arrays.copyOf(packet, length);
        String line = formatter.format(copy, 0, length, sent);
        int sp = line.indexOf(' ');
        RecordedPacket p = new RecordedPacket(packets.size(), ends[0], ends.length > 1 ? ends[1] : "?", sent,
                arrival, duplicated, fate, copy, sp < 0 ? line : line.substring(sp + 1));
        packets.add(p);
        events.add(new RecordedEvent(sent, RecordedEvent.Kind.SEND, p.index()));
        if (!fate.dropped()) pending.computeIfAbsent(p.to(), k -> new ArrayList<>()).add(p);
        touch(p.from(), copy, true);
    }

    @Override
    public void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) {
        if (outbound) return; // sends are recorded with their fate, on the link
        List<RecordedPacket> waiting = pending.get(stack.name());
        if (waiting != null) {
            int match = -1;
            for (int i = 0; i < waiting.size() && match < 0; i++) {
                RecordedPacket p = waiting.get(i);
                if (p.arrival() == now && Arrays.equals(p.data(), 0, p.data().length, packet, offset, offset + length)) {
                    match = i;
                }
            }
            for (int i = 0; i < waiting.size() && match < 0; i++) if (waiting.get(i).arrival() == now) match = i;
            if (match >= 0) {
                RecordedPacket p = waiting.get(match);
                if (!p.duplicated() || !arrivedOnce.add(p.index())) waiting.remove(match);
                events.add(new RecordedEvent(now, RecordedEvent.Kind.ARRIVE, p.index()));
            }
        }
        byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
        touch(stack.name(), copy, false);
    }

    @Override
    public void transition(Stack stack, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                           long now) {
        if (conn == null) {
            // A compact TIME-WAIT ended: the connection it stood for is the one recorded with its four-tuple.
            Map<FourTuple, TcpConnection> conns = byTuple.get(stack.name());
            conn = conns == null ? null : conns.get(tuple);
            if (conn == null) return;
        }
        int id = endpointId(stack.name(), conn);
        transitions.add(new RecordedTransition(now, id, from, to, cause));
        events.add(new RecordedEvent(now, RecordedEvent.Kind.TRANSITION, transitions.size() - 1));
        touched.add(conn);
        live.add(conn);
    }

    private int endpointId(String host, TcpConnection conn) {
        Integer id = endpointIds.get(conn);
        if (id != null) return id;
        int n = endpoints.size();
        endpoints.add(new Endpoint(n, host, conn.tuple()));
        endpointIds.put(conn, n);
        byTuple.computeIfAbsent(host, k -> new HashMap<>()).put(conn.tuple(), conn);
        return n;
    }

    /** Marks the connection a packet belongs to at {@code host} as changed in this step. */
    private void touch(String host, byte[] packet, boolean outbound) {
        Map<FourTuple, TcpConnection> conns = byTuple.get(host);
        if (conns == null) return;
        FourTuple t = PacketTuples.of(packet, outbound);
        if (t == null) return;
        TcpConnection c = conns.get(t);
        if (c != null) touched.add(c);
    }

    /** The end of a step (before the next event): samples what changed, and copies the hosts for the tools. */
    void step() {
        long now = sim.now();
        if (live.size() <= SAMPLE_ALL_UP_TO) touched.addAll(live);
        for (TcpConnection c : touched) sample(c, now);
        touched.clear();
        live.removeIf(c -> c.state() == TcpState.CLOSED);
        if (events.size() > eventsAtLastSnapshot) snapshot(now);
    }

    private void sample(TcpConnection c, long now) {
        Integer id = endpointIds.get(c);
        if (id == null) return;
        SeriesPoint p = Sampler.sample(c, id, now);
        SeriesPoint last = lastPoint.get(id);
        if (p.sameFigures(last)) return;
        lastPoint.put(id, p);
        series.add(p);
    }

    private void snapshot(long now) {
        long budget = owner.limits().maxSnapshotRows();
        if (budget == 0) return;
        if (++stepsSinceSnapshot < snapshotEvery) return;
        stepsSinceSnapshot = 0;
        List<HostSnapshot> hosts = new ArrayList<>();
        int rows = 0;
        for (Stack s : stacks) {
            HostSnapshot h = HostSnapshot.of(s, now);
            rows += h.sockets().size();
            hosts.add(h);
        }
        snapshots.add(new ToolSnapshot(events.size() - 1, hosts));
        eventsAtLastSnapshot = events.size();
        snapshotRows += rows;
        while (snapshotRows > nextThinning && snapshotEvery < Integer.MAX_VALUE / 2) {
            // Past half the budget, then past three quarters, ...: every second step, every fourth, ...
            snapshotEvery *= 2;
            nextThinning += Math.max(1, (budget - nextThinning) / 2);
            snapshotsThinned = true;
        }
    }

    /** The run is over: the last step's samples and snapshot. */
    void finish() {
        step();
        for (LinkDirection d : watchedLinks) d.watchFates(null);
        for (Stack s : stacks) s.removeObserver(this);
    }
}
