package io.threeway.web;

import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.SeriesPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the page draws one trace from, in a compact encoding ({@link Columns}): hosts, conversations,
 * packets, the timeline, transitions, endpoints, series and RTT samples, each as one array per field. Times
 * are nanoseconds written as differences from the row before. The tcpdump lines are not in it but for the
 * first {@link TraceView#LINE_CHUNK}: the page asks for the others a chunk at a time, as it shows them
 * ({@code /api/runs/ID/lines}). {@code js/model.js} reads it back.
 *
 * <pre>
 *   packets: {n, f, to (host numbers), t (delta), fly (arrival - sent, -1 when dropped), fate (number in fates),
 *             b (bits: 1 duplicated, 2 retransmission, 4 keepalive, 8 zero-window probe, 16 ack not relative),
 *             c (conversation, -1 not TCP), d (direction), fl (TCP flag bits), rs, ra (relative seq and ack),
 *             sw (window, scaled), len (payload), sack: {index: [[left, right]...]} relative}
 *   events:  {t (delta), k (0 send, 1 arrive, 2 transition), i (packet or transition)}
 * </pre>
 */
final class TraceModel {
    /** Bits of a packet's {@code b} column. */
    static final int DUP = 1;
    static final int RETRANS = 2;
    static final int KEEPALIVE = 4;
    static final int ZERO_WINDOW_PROBE = 8;
    static final int ACK_ABSOLUTE = 16;

    private TraceModel() {}

    static Map<String, Object> of(TraceView v) {
        Trace t = v.trace();
        Conversations cv = v.conversations();
        Columns.Table names = new Columns.Table();
        for (String h : t.hosts()) names.of(h);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("notes", t.notes());
        m.put("convs", convs(cv));
        m.put("packets", packets(t, v.segments(), cv, names));
        m.put("hosts", t.hosts());
        m.put("names", names.table());
        m.put("events", events(t.events()));
        m.put("transitions", transitions(t.transitions()));
        m.put("endpoints", endpoints(t.endpoints(), cv));
        m.put("series", series(t.series()));
        m.put("rtt", rtts(cv.rtts));
        m.put("lineChunk", v.lineChunk());
        m.put("lines0", v.lines(0, v.lineChunk()));
        m.put("toolSteps", t.snapshots().size());
        m.put("cookies", v.cookieSynAcks());
        return m;
    }

    private static List<Object> convs(Conversations cv) {
        List<Object> out = new ArrayList<>();
        for (Conversations.Conv c : cv.convs) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", c.id);
            o.put("a", List.of(c.aHost, c.aAddr, c.aPort));
            o.put("b", List.of(c.bHost, c.bAddr, c.bPort));
            o.put("isn", c.isn);
            o.put("ws", c.wscale);
            out.add(o);
        }
        return out;
    }

    private static Map<String, Object> packets(Trace t, List<Segment> segs, Conversations cv, Columns.Table names) {
        Columns.Longs f = new Columns.Longs(), to = new Columns.Longs(), fly = new Columns.Longs();
        Columns.Longs fate = new Columns.Longs(), bits = new Columns.Longs(), conv = new Columns.Longs();
        Columns.Longs dir = new Columns.Longs(), flags = new Columns.Longs(), rs = new Columns.Longs();
        Columns.Longs ra = new Columns.Longs(), sw = new Columns.Longs(), len = new Columns.Longs();
        Columns.Deltas sent = new Columns.Deltas();
        Columns.Table fates = new Columns.Table();
        fates.of("delivered");
        List<String> why = new ArrayList<>(List.of("delivered"));
        Map<String, Object> sack = new LinkedHashMap<>();
        for (int i = 0; i < segs.size(); i++) {
            TracePacket p = t.packets().get(i);
            Segment s = segs.get(i);
            Conversations.Role r = cv.roles.get(i);
            f.add(names.of(p.from()));
            to.add(names.of(p.to()));
            sent.add(p.sent());
            fly.add(p.arrival() < 0 ? -1 : p.arrival() - p.sent());
            int n = fates.table().size();
            fate.add(fates.of(p.fate()));
            if (fates.table().size() > n) why.add(p.why());
            int b = (p.dup() ? DUP : 0) | (r.retrans() ? RETRANS : 0) | (r.ackAbsolute() ? ACK_ABSOLUTE : 0);
            if (r.probe() != null) b |= r.probe().startsWith("zero") ? ZERO_WINDOW_PROBE : KEEPALIVE;
            bits.add(b);
            conv.add(s.tcp() ? r.conv() : -1);
            dir.add(r.dir());
            flags.add(s.flags());
            rs.add(r.relSeq());
            ra.add(r.relAck());
            sw.add(r.scaledWindow());
            len.add(s.payload());
            if (s.tcp() && !s.sack().isEmpty()) sack.put(Integer.toString(i), relativeSack(s, r, cv));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("n", segs.size());
        o.put("f", f.array());
        o.put("to", to.array());
        o.put("t", sent.array());
        o.put("fly", fly.array());
        o.put("fates", fates.table());
        o.put("why", why);
        o.put("fate", fate.array());
        o.put("b", bits.array());
        o.put("c", conv.array());
        o.put("d", dir.array());
        o.put("fl", flags.array());
        o.put("rs", rs.array());
        o.put("ra", ra.array());
        o.put("sw", sw.array());
        o.put("len", len.array());
        o.put("sack", sack);
        return o;
    }

    private static List<long[]> relativeSack(Segment s, Conversations.Role r, Conversations cv) {
        long isn = cv.convs.get(r.conv()).isn[1 - r.dir()];
        List<long[]> rel = new ArrayList<>();
        for (long[] b : s.sack()) rel.add(new long[] {(b[0] - isn) & 0xFFFFFFFFL, (b[1] - isn) & 0xFFFFFFFFL});
        return rel;
    }

    private static Map<String, Object> events(List<long[]> events) {
        Columns.Deltas t = new Columns.Deltas();
        Columns.Longs k = new Columns.Longs(), i = new Columns.Longs();
        for (long[] e : events) {
            t.add(e[0]);
            k.add(e[1]);
            i.add(e[2]);
        }
        return Map.of("t", t.array(), "k", k.array(), "i", i.array());
    }

    private static Map<String, Object> transitions(List<RecordedTransition> ts) {
        Columns.Deltas t = new Columns.Deltas();
        Columns.Longs ep = new Columns.Longs(), from = new Columns.Longs(), to = new Columns.Longs();
        Columns.Longs cause = new Columns.Longs();
        Columns.Table states = new Columns.Table(), causes = new Columns.Table();
        for (RecordedTransition x : ts) {
            t.add(x.time());
            ep.add(x.endpoint());
            from.add(states.of(x.from().rfcName()));
            to.add(states.of(x.to().rfcName()));
            cause.add(causes.of(x.cause()));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("t", t.array());
        o.put("ep", ep.array());
        o.put("from", from.array());
        o.put("to", to.array());
        o.put("cause", cause.array());
        o.put("states", states.table());
        o.put("causes", causes.table());
        return o;
    }

    private static List<Object> endpoints(List<Endpoint> eps, Conversations cv) {
        Map<String, Integer> convOf = new HashMap<>();
        for (Conversations.Conv c : cv.convs) {
            // The last conversation on a four-tuple, seen from either end.
            convOf.put(c.aAddr + "." + c.aPort + ">" + c.bAddr + "." + c.bPort, c.id);
            convOf.put(c.bAddr + "." + c.bPort + ">" + c.aAddr + "." + c.aPort, c.id);
        }
        List<Object> out = new ArrayList<>();
        for (Endpoint e : eps) {
            String local = e.tuple().localAddress().toString();
            String remote = e.tuple().remoteAddress().toString();
            Integer conv = convOf.get(local + "." + e.tuple().localPort() + ">" + remote + "." + e.tuple().remotePort());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", e.id());
            o.put("host", e.host());
            o.put("local", local + ":" + e.tuple().localPort());
            o.put("remote", remote + ":" + e.tuple().remotePort());
            o.put("conv", conv == null ? -1 : conv);
            out.add(o);
        }
        return out;
    }

    /**
     * Per endpoint, one array per figure, each written as differences from the point before (figures move
     * by small steps): t, state (number in {@code states}), cwnd, ssthresh, inflight, srtt, rto, adv, peer,
     * recvq, sendq.
     */
    private static Map<String, Object> series(List<SeriesPoint> pts) {
        Map<Integer, List<SeriesPoint>> by = new LinkedHashMap<>();
        for (SeriesPoint p : pts) by.computeIfAbsent(p.endpoint(), k -> new ArrayList<>()).add(p);
        Columns.Table states = new Columns.Table();
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : by.entrySet()) {
            Columns.Deltas[] c = new Columns.Deltas[11];
            for (int i = 0; i < c.length; i++) c[i] = new Columns.Deltas();
            for (SeriesPoint p : e.getValue()) {
                long[] row = {p.time(), states.of(p.state().rfcName()), p.cwnd(), p.ssthresh(), p.inFlight(), p.srtt(),
                    p.rto(), p.advertised(), p.peerWindow(), p.recvQ(), p.sendQ()};
                for (int i = 0; i < c.length; i++) c[i].add(row[i]);
            }
            List<long[]> cols = new ArrayList<>();
            for (Columns.Deltas x : c) cols.add(x.array());
            out.put(Integer.toString(e.getKey()), cols);
        }
        return Map.of("states", states.table(), "by", out);
    }

    /** RTT samples: t (delta), conversation, direction of the data, RTT. */
    private static Map<String, Object> rtts(List<Conversations.RttSample> rtts) {
        Columns.Deltas t = new Columns.Deltas();
        Columns.Longs c = new Columns.Longs(), d = new Columns.Longs(), rtt = new Columns.Longs();
        for (Conversations.RttSample r : rtts) {
            t.add(r.time());
            c.add(r.conv());
            d.add(r.dir());
            rtt.add(r.rtt());
        }
        return Map.of("t", t.array(), "c", c.array(), "d", d.array(), "rtt", rtt.array());
    }
}
