package io.threeway.web;

import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace with what the views compute from it once: every packet parsed, the conversations, the model the
 * page draws, and the tcpdump lines of a capture, formatted a chunk at a time as the page asks for them.
 */
final class TraceView {
    /** Lines per chunk the page asks for (the model carries the first). */
    static final int LINE_CHUNK = 500;
    /** Chunks of formatted lines kept per trace (about 100 bytes a line). */
    private static final int CHUNKS_KEPT = 64;

    private final Trace trace;
    /** Lines per chunk. */
    private final int lineChunk;
    private final List<Segment> segments;
    private final Conversations conversations;
    /** The SYN-ACKs that carry a SYN cookie, by packet index. */
    private final List<Integer> cookieSynAcks;
    private Map<String, Object> model;
    /**
     * The packets that change tcpdump's relative numbering (an ACK-bearing TCP packet that is a SYN or the
     * first of its four-tuple: tcp_print's tcp_seq_hash learns ISNs from those only), in order. Replaying
     * them before a chunk gives the chunk's lines exactly as formatting every packet from the start would.
     */
    private final int[] numberingPackets;
    /** Chunks of lines formatted (for packets recorded without one), the most recently used kept. */
    private final Map<Integer, List<String>> chunks = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, List<String>> eldest) {
            return size() > CHUNKS_KEPT;
        }
    };

    TraceView(Trace trace) {
        this(trace, LINE_CHUNK);
    }

    /** With chunks of {@code lineChunk} lines (tests use small ones). */
    TraceView(Trace trace, int lineChunk) {
        this.trace = trace;
        this.lineChunk = lineChunk;
        this.segments = new ArrayList<>(trace.packets().size());
        for (TracePacket p : trace.packets()) segments.add(Segment.parse(p.data()));
        this.conversations = Conversations.of(trace.packets(), segments);
        this.cookieSynAcks = findCookieSynAcks();
        this.numberingPackets = findNumberingPackets();
    }

    Trace trace() { return trace; }

    List<Segment> segments() { return segments; }

    Conversations conversations() { return conversations; }

    synchronized Map<String, Object> model() {
        if (model == null) model = TraceModel.of(this);
        return model;
    }

    /** The tcpdump line of packet {@code i}, without its time stamp. */
    String line(int i) {
        TracePacket p = trace.packets().get(i);
        return p.line() != null ? p.line() : chunk(i / lineChunk).get(i % lineChunk);
    }

    /** Up to {@code count} lines from packet {@code from} on. */
    List<String> lines(int from, int count) {
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, from); i < Math.min(trace.packets().size(), from + count); i++) out.add(line(i));
        return out;
    }

    /** The lines of chunk {@code c}, formatted after replaying the packets that set tcpdump's numbering. */
    private synchronized List<String> chunk(int c) {
        List<String> done = chunks.get(c);
        if (done != null) return done;
        TcpdumpFormatter f = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
        int from = c * lineChunk;
        for (int i : numberingPackets) {
            if (i >= from) break;
            TracePacket q = trace.packets().get(i);
            f.format(q.data(), 0, q.data().length, q.sent());
        }
        List<String> out = new ArrayList<>(lineChunk);
        for (int i = from; i < Math.min(trace.packets().size(), from + lineChunk); i++) {
            TracePacket q = trace.packets().get(i);
            String l = f.format(q.data(), 0, q.data().length, q.sent());
            int sp = l.indexOf(' ');
            out.add(sp < 0 ? l : l.substring(sp + 1));
        }
        chunks.put(c, out);
        return out;
    }

    private int[] findNumberingPackets() {
        List<Integer> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (!s.tcp()) {
                byte[] d = trace.packets().get(i).data();
                if (d.length > 0 && (d[0] & 0xF0) == 0x60) out.add(i); // IPv6 with extension headers: may be TCP
                continue;
            }
            if (!s.has(Segment.ACK)) continue;
            String a = s.src() + "." + s.sport();
            String b = s.dst() + "." + s.dport();
            String key = a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
            if (seen.add(key) || s.has(Segment.SYN)) out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Lines per chunk the page asks for. */
    int lineChunk() { return lineChunk; }

    /** The packet indexes of the SYN-ACKs that carry a SYN cookie. */
    List<Integer> cookieSynAcks() { return cookieSynAcks; }

    boolean isCookie(int index) { return Collections.binarySearch(cookieSynAcks, index) >= 0; }

    /**
     * A SYN-ACK carries a SYN cookie when its sender had no connection end for the four-tuple (no transition
     * yet) when it sent it: the listener kept no state. Only a recorded run can tell (a capture has no states).
     */
    private List<Integer> findCookieSynAcks() {
        List<Integer> out = new ArrayList<>();
        if (trace.endpoints().isEmpty()) return out;
        Map<String, Long> firstTransition = new HashMap<>();
        for (RecordedTransition t : trace.transitions()) {
            Endpoint e = trace.endpoints().get(t.endpoint());
            firstTransition.merge(key(e.host(), e.tuple().localPort(), e.tuple().remoteAddress().toString(),
                    e.tuple().remotePort()), t.time(), Math::min);
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (!s.tcp() || !s.has(Segment.SYN) || !s.has(Segment.ACK)) continue;
            TracePacket p = trace.packets().get(i);
            Long first = firstTransition.get(key(p.from(), s.sport(), s.dst(), s.dport()));
            if (first == null || first > p.sent()) out.add(i);
        }
        return List.copyOf(out);
    }

    private static String key(String host, int localPort, String remote, int remotePort) {
        return host + " " + localPort + " " + remote + " " + remotePort;
    }
}
