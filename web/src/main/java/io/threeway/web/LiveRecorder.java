package io.threeway.web;

import io.threeway.wire.FourTuple;
import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.SeriesPoint;
import io.threeway.lab.record.ToolSnapshot;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.tools.HostSnapshot;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live mode: what a running stack (a {@code serve} on a TUN device) does, recorded as it happens for the
 * page: every packet crossing its interface (one vantage point: the stack's; the kernel is the peer), every
 * transition, each connection's figures when it is touched, and its socket table and counters when the page
 * asks. Bounded: the latest {@link #MAX_PACKETS} packets and {@link #MAX_TRANSITIONS} transitions. The stack
 * calls it under its runtime's lock; the page's requests take the same lock.
 */
public final class LiveRecorder implements StackObserver {
    /** Packets kept (the most recent). */
    static final int MAX_PACKETS = 20_000;
    /** Transitions kept (the most recent). */
    static final int MAX_TRANSITIONS = 20_000;
    /** The peer's column on the ladder. */
    static final String PEER = "kernel";

    private final Stack stack;
    private final RealTimeRuntime runtime;
    private final long start;
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    private final ArrayDeque<TracePacket> packets = new ArrayDeque<>();
    private final ArrayDeque<RecordedTransition> transitions = new ArrayDeque<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Map<TcpConnection, Integer> ids = new IdentityHashMap<>();
    private final List<SeriesPoint> series = new ArrayList<>();
    private long dropped;
    private long changes;

    private LiveRecorder(Stack stack, RealTimeRuntime runtime) {
        this.stack = stack;
        this.runtime = runtime;
        this.start = runtime.now();
    }

    /** Starts recording {@code stack}, which {@code runtime} drives. */
    public static LiveRecorder attach(Stack stack, RealTimeRuntime runtime) {
        LiveRecorder r = new LiveRecorder(stack, runtime);
        runtime.run(() -> stack.addObserver(r));
        return r;
    }

    @Override
    public void packet(Stack s, boolean outbound, byte[] p, int off, int len, long now) {
        byte[] copy = Arrays.copyOfRange(p, off, off + len);
        long t = now - start;
        String line = formatter.format(copy, 0, len, t);
        int sp = line.indexOf(' ');
        String me = s.name();
        packets.add(new TracePacket(outbound ? me : PEER, outbound ? PEER : me, t, t, false, "delivered",
                outbound ? "sent by the stack" : "received by the stack", copy, sp < 0 ? line : line.substring(sp + 1)));
        if (packets.size() > MAX_PACKETS) {
            packets.removeFirst();
            dropped++;
        }
        changes++;
        for (var e : ids.entrySet()) sample(e.getKey(), e.getValue(), t);
    }

    @Override
    public void transition(Stack s, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                           long now) {
        if (conn == null) {
            // A compact TIME-WAIT ended: the connection it stood for is the one with its four-tuple.
            for (TcpConnection c : ids.keySet()) if (c.tuple().equals(tuple)) conn = c;
            if (conn == null) return;
        }
        Integer id = ids.get(conn);
        if (id == null) {
            id = endpoints.size();
            endpoints.add(new Endpoint(id, s.name(), conn.tuple()));
            ids.put(conn, id);
        }
        transitions.add(new RecordedTransition(now - start, id, from, to, cause));
        if (transitions.size() > MAX_TRANSITIONS) transitions.removeFirst();
        if (to == TcpState.CLOSED) ids.remove(conn);
        changes++;
    }

    private void sample(TcpConnection c, int id, long t) {
        TcpInfo info = c.info(t);
        SeriesPoint p = new SeriesPoint(t, id, info.state(), info.cwndBytes(), info.ssthreshBytes() >= 0x7fffffff ? -1 : info.ssthreshBytes(),
                Math.max(0, info.unacked()), info.srtt(), info.rto(), Math.max(0, info.rcvWnd()), Math.max(0, info.sndWnd()),
                info.readable(), info.sendQueue());
        for (int i = series.size() - 1; i >= 0 && i >= series.size() - 64; i--) {
            if (series.get(i).endpoint() == id) {
                if (series.get(i).sameFigures(p)) return;
                break;
            }
        }
        if (series.size() < MAX_PACKETS * 4) series.add(p);
    }

    /** How many changes have been recorded: the page asks again only when it moved. */
    public long changes() {
        return runtime.call(() -> changes);
    }

    /** What has been recorded so far, as a trace, with the stack's socket table and counters now. */
    Trace trace() {
        return runtime.call(() -> {
            List<TracePacket> ps = new ArrayList<>(packets);
            List<RecordedTransition> ts = new ArrayList<>(transitions);
            List<long[]> events = new ArrayList<>();
            int pi = 0;
            int ti = 0;
            while (pi < ps.size() || ti < ts.size()) {
                boolean packetFirst = ti >= ts.size() || (pi < ps.size() && ps.get(pi).sent() <= ts.get(ti).time());
                events.add(packetFirst ? new long[] {ps.get(pi).sent(), 0, pi++} : new long[] {ts.get(ti).time(), 2, ti++});
            }
            HostSnapshot now = HostSnapshot.of(stack, runtime.now());
            List<String> notes = new ArrayList<>();
            notes.add("Live: the stack " + stack.name() + " as it runs; packets are shown where the stack sees them.");
            if (dropped > 0) notes.add("The oldest " + dropped + " packets were let go (the page keeps the latest " + MAX_PACKETS + ").");
            return new Trace("live", List.of(PEER, stack.name()), ps, events, ts, new ArrayList<>(endpoints),
                    new ArrayList<>(series), List.of(new ToolSnapshot(Math.max(0, events.size() - 1), List.of(now))), notes);
        });
    }
}
