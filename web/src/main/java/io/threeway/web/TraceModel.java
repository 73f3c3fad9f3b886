package io.threeway.web;

import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.SeriesPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the page draws one trace from: hosts, conversations, packets (with their role in their
 * conversation), the timeline, transitions, endpoints, series and RTT samples. Times are nanoseconds; keys
 * are short because a run may hold 150,000 packets. {@code web/README.md}... the page's modules read it.
 */
final class TraceModel {
    private TraceModel() {}

    static Map<String, Object> of(TraceView v) {
        Trace t = v.trace();
        List<Segment> segs = v.segments();
        Conversations cv = v.conversations();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("hosts", t.hosts());
        m.put("notes", t.notes());
        m.put("convs", convs(cv));
        m.put("packets", packets(t, segs, cv));
        m.put("events", t.events());
        m.put("transitions", transitions(t.transitions()));
        m.put("endpoints", endpoints(t.endpoints(), cv));
        m.put("series", series(t.series()));
        List<Object> rtts = new ArrayList<>();
        for (Conversations.RttSample r : cv.rtts) rtts.add(new long[] {r.time(), r.conv(), r.dir(), r.rtt()});
        m.put("rtt", rtts);
        m.put("toolSteps", t.snapshots().size());
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

    private static List<Object> packets(Trace t, List<Segment> segs, Conversations cv) {
        List<Object> out = new ArrayList<>(segs.size());
        for (int i = 0; i < segs.size(); i++) {
            TracePacket p = t.packets().get(i);
            Segment s = segs.get(i);
            Conversations.Role r = cv.roles.get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("i", i);
            o.put("f", p.from());
            o.put("to", p.to());
            o.put("t", p.sent());
            o.put("ta", p.arrival());
            if (!"delivered".equals(p.fate())) {
                o.put("fate", p.fate());
                o.put("why", p.why());
            }
            if (p.dup()) o.put("dup", true);
            o.put("l", p.line());
            o.put("n", p.data().length);
            if (s.tcp()) tcp(o, s, r, cv);
            out.add(o);
        }
        return out;
    }

    private static void tcp(Map<String, Object> o, Segment s, Conversations.Role r, Conversations cv) {
        o.put("c", r.conv());
        o.put("d", r.dir());
        o.put("fl", s.flagText());
        o.put("seq", s.seq());
        o.put("ack", s.ack());
        o.put("rs", r.relSeq());
        o.put("ra", r.relAck());
        o.put("w", s.window());
        o.put("sw", r.scaledWindow());
        o.put("len", s.payload());
        if (r.retrans()) o.put("re", true);
        if (r.probe() != null) o.put("pr", r.probe());
        if (s.mss() >= 0) o.put("mss", s.mss());
        if (s.wscale() >= 0) o.put("ws", s.wscale());
        if (s.tsVal() >= 0) o.put("ts", new long[] {s.tsVal(), s.tsEcr()});
        if (!s.sack().isEmpty()) {
            long isn = cv.convs.get(r.conv()).isn[1 - r.dir()];
            List<long[]> rel = new ArrayList<>();
            for (long[] b : s.sack()) rel.add(new long[] {(b[0] - isn) & 0xFFFFFFFFL, (b[1] - isn) & 0xFFFFFFFFL});
            o.put("sack", rel);
        }
    }

    private static List<Object> transitions(List<RecordedTransition> ts) {
        List<Object> out = new ArrayList<>();
        for (RecordedTransition t : ts) {
            out.add(Map.of("t", t.time(), "ep", t.endpoint(), "from", t.from().rfcName(), "to", t.to().rfcName(),
                    "cause", t.cause()));
        }
        return out;
    }

    private static List<Object> endpoints(List<Endpoint> eps, Conversations cv) {
        List<Object> out = new ArrayList<>();
        for (Endpoint e : eps) {
            String local = e.tuple().localAddress().toString();
            String remote = e.tuple().remoteAddress().toString();
            int conv = -1;
            for (Conversations.Conv c : cv.convs) {
                boolean asA = c.aAddr.equals(local) && c.aPort == e.tuple().localPort() && c.bAddr.equals(remote)
                        && c.bPort == e.tuple().remotePort();
                boolean asB = c.bAddr.equals(local) && c.bPort == e.tuple().localPort() && c.aAddr.equals(remote)
                        && c.aPort == e.tuple().remotePort();
                if (asA || asB) conv = c.id; // the last conversation on this tuple
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", e.id());
            o.put("host", e.host());
            o.put("local", local + ":" + e.tuple().localPort());
            o.put("remote", remote + ":" + e.tuple().remotePort());
            o.put("conv", conv);
            out.add(o);
        }
        return out;
    }

    /** Per endpoint, columns: t, state, cwnd, ssthresh, inflight, srtt, rto, adv, peer, recvq, sendq. */
    private static Map<String, Object> series(List<SeriesPoint> pts) {
        Map<Integer, List<Object>> by = new LinkedHashMap<>();
        for (SeriesPoint p : pts) {
            by.computeIfAbsent(p.endpoint(), k -> new ArrayList<>()).add(new Object[] {p.time(), p.state().rfcName(),
                    p.cwnd(), p.ssthresh(), p.inFlight(), p.srtt(), p.rto(), p.advertised(), p.peerWindow(),
                    p.recvQ(), p.sendQ()});
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : by.entrySet()) out.put(Integer.toString(e.getKey()), e.getValue());
        return out;
    }
}
