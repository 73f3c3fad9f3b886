package io.threeway.web;

import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.PacketTuples;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.SeriesPoint;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.tools.HostSnapshot;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import io.threeway.wire.FourTuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live mode: what a running stack (a {@code serve} on a TUN device) does, recorded as it happens, for the
 * page. Exactly this:
 * <ul>
 *   <li>every packet crossing the stack's interface, at the moment the stack saw it (received from the device,
 *       or handed to it): one vantage point, so an arrow has no flight time; the kernel's end, whatever its
 *       address, is the column {@link #PEER};</li>
 *   <li>every state change of the stack's connections, with its cause;</li>
 *   <li>packets and state changes in the order the stack reported them (a SYN-RECEIVED comes before its
 *       SYN-ACK), each at the time the stack gave, or the time of the one before when that was later;</li>
 *   <li>each connection's figures (cwnd, RTT, windows, queues) sampled at each of its packets and state
 *       changes;</li>
 *   <li>the socket table and counters ({@code ss}, {@code nstat}) copied at each state change (at most every
 *       {@link #SNAPSHOT_GAP_NANOS} while the stack holds more than {@link #SNAPSHOT_ALWAYS_UP_TO} sockets) and
 *       when the page asks, each copy saying after which event it was taken.</li>
 * </ul>
 * Bounded: the latest {@link #MAX_ENTRIES} packets and state changes, {@link #MAX_SERIES} figures and
 * {@link #MAX_SNAPSHOTS} copies; older ones are let go and the page says how many. The stack calls it on its
 * event loop under its runtime's lock; the page's requests take the same lock to copy it.
 */
public final class LiveRecorder implements StackObserver {
    /** Packets and state changes kept (the most recent). */
    static final int MAX_ENTRIES = 40_000;
    /** Figures kept (the most recent). */
    static final int MAX_SERIES = 80_000;
    /** Copies of the socket table and counters kept (the most recent). */
    static final int MAX_SNAPSHOTS = 400;
    /** Up to this many sockets, the table is copied at every state change. */
    static final int SNAPSHOT_ALWAYS_UP_TO = 64;
    /** Beyond that, at most one copy per 100 ms. */
    static final long SNAPSHOT_GAP_NANOS = 100_000_000L;
    /** The peer's column on the ladder. */
    static final String PEER = "kernel";

    private final Stack stack;
    private final RealTimeRuntime runtime;
    private final long start;
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    private final ArrayDeque<LiveTrace.Item> entries = new ArrayDeque<>();
    private final ArrayDeque<LiveTrace.Figures> series = new ArrayDeque<>();
    private final ArrayDeque<LiveTrace.Copy> copies = new ArrayDeque<>();
    /** The connections alive now, with the endpoint they are drawn as; ended ones are forgotten. */
    private final Map<TcpConnection, Endpoint> live = new IdentityHashMap<>();
    private final Map<FourTuple, TcpConnection> byTuple = new HashMap<>();
    private final Map<Endpoint, SeriesPoint> lastPoint = new IdentityHashMap<>();
    private long nextSeq;
    private long nextEndpoint;
    private long droppedEntries;
    private long lastCopyAt = Long.MIN_VALUE;
    /** The latest trace time given out. */
    private long lastTime;

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
        long t = time(now);
        String line = formatter.format(copy, 0, len, t);
        int sp = line.indexOf(' ');
        String me = s.name();
        add(new LiveTrace.Item(nextSeq++, new TracePacket(outbound ? me : PEER, outbound ? PEER : me, t, t, false, "delivered",
                outbound ? "sent by the stack" : "received by the stack", copy,
                sp < 0 ? line : line.substring(sp + 1)), null, null));
        FourTuple tuple = PacketTuples.of(copy, outbound);
        TcpConnection c = tuple == null ? null : byTuple.get(tuple);
        if (c != null) sample(c, now);
    }

    @Override
    public void transition(Stack s, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                           long now) {
        if (conn == null) conn = byTuple.get(tuple); // a compact TIME-WAIT ended: the connection it stood for
        if (conn == null) return;
        Endpoint e = live.get(conn);
        if (e == null) {
            e = new Endpoint((int) nextEndpoint++, s.name(), conn.tuple());
            live.put(conn, e);
            byTuple.put(conn.tuple(), conn);
        }
        add(new LiveTrace.Item(nextSeq++, null, e, new RecordedTransition(time(now), -1, from, to, cause)));
        sample(conn, now);
        if (to == TcpState.CLOSED) {
            live.remove(conn);
            byTuple.remove(conn.tuple(), conn);
            lastPoint.remove(e);
        }
        copyTools(now);
    }

    /**
     * The trace time of something the stack reports at {@code now}, never before what it reported earlier: a
     * packet sent from an application's call (the FIN of a close()) can come with the event loop's last time,
     * older than the state change reported just before it.
     */
    private long time(long now) {
        lastTime = Math.max(lastTime, now - start);
        return lastTime;
    }

    private void add(LiveTrace.Item e) {
        entries.add(e);
        if (entries.size() > MAX_ENTRIES) {
            entries.removeFirst();
            droppedEntries++;
        }
    }

    private void sample(TcpConnection c, long now) {
        Endpoint e = live.get(c);
        if (e == null) return;
        TcpInfo info = c.info(now);
        int ssthresh = info.ssthreshBytes();
        SeriesPoint p = new SeriesPoint(lastTime, e.id(), info.state(), info.cwndBytes(),
                ssthresh >= 0x7fffffff || ssthresh <= 0 ? -1 : ssthresh, Math.max(0, info.unacked()), info.srtt(),
                info.rto(), Math.max(0, info.rcvWnd()), Math.max(0, info.sndWnd()), info.readable(), info.sendQueue());
        if (p.sameFigures(lastPoint.get(e))) return;
        lastPoint.put(e, p);
        series.add(new LiveTrace.Figures(e, p));
        if (series.size() > MAX_SERIES) series.removeFirst();
    }

    /** Copies the socket table and counters after the latest entry, unless one was copied just now on a busy stack. */
    private void copyTools(long now) {
        if (stack.sockets().size() > SNAPSHOT_ALWAYS_UP_TO && now - lastCopyAt < SNAPSHOT_GAP_NANOS) return;
        lastCopyAt = now;
        copies.add(new LiveTrace.Copy(nextSeq - 1, HostSnapshot.of(stack, now)));
        if (copies.size() > MAX_SNAPSHOTS) copies.removeFirst();
    }

    /** How many packets and state changes have been recorded: the page asks again only when it moved. */
    public long changes() {
        return runtime.call(() -> nextSeq);
    }

    /** What has been recorded so far, as a trace, with a copy of the socket table and counters now. */
    Trace trace() {
        return runtime.call(() -> {
            copies.add(new LiveTrace.Copy(nextSeq - 1, HostSnapshot.of(stack, runtime.now())));
            if (copies.size() > MAX_SNAPSHOTS) copies.removeFirst();
            return LiveTrace.build(stack.name(), PEER, new ArrayList<>(entries), new ArrayList<>(series),
                    new ArrayList<>(copies), notes(), Map.of(stack.name(), stack.synCookieReader()), start);
        });
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add("Live: the stack " + stack.name() + " as it runs. Each packet is drawn when the stack saw it (from"
                + " or to its device): one vantage point, so arrows have no flight time; '" + PEER + "' is the"
                + " kernel's end, whatever its address. ss and nstat are copies taken at state changes and when the"
                + " page asked: each says after which event.");
        if (droppedEntries > 0) {
            notes.add("The oldest " + droppedEntries + " packets and state changes were let go (the page keeps the"
                    + " latest " + MAX_ENTRIES + ").");
        }
        return notes;
    }
}
