package io.threeway.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trace with what the views compute from it once: every packet parsed, the conversations, and the model
 * the page draws.
 */
final class TraceView {
    private final Trace trace;
    private final List<Segment> segments;
    private final Conversations conversations;
    private Map<String, Object> model;

    TraceView(Trace trace) {
        this.trace = trace;
        this.segments = new ArrayList<>(trace.packets().size());
        for (TracePacket p : trace.packets()) segments.add(Segment.parse(p.data()));
        this.conversations = Conversations.of(trace.packets(), segments);
    }

    Trace trace() { return trace; }

    List<Segment> segments() { return segments; }

    Conversations conversations() { return conversations; }

    synchronized Map<String, Object> model() {
        if (model == null) model = TraceModel.of(this);
        return model;
    }

    /**
     * Whether the SYN-ACK at {@code index} carries a SYN cookie: its sender had no connection end for the
     * four-tuple (no transition to SYN-RECEIVED) when it sent it.
     */
    boolean isCookie(int index) {
        TracePacket p = trace.packets().get(index);
        Segment s = segments.get(index);
        if (trace.endpoints().isEmpty()) return false; // a capture: no way to tell
        for (var e : trace.endpoints()) {
            if (!e.host().equals(p.from()) || e.tuple().localPort() != s.sport() || e.tuple().remotePort() != s.dport()
                    || !e.tuple().remoteAddress().toString().equals(s.dst())) continue;
            for (var t : trace.transitions()) {
                if (t.endpoint() == e.id() && t.time() <= p.sent()) return false;
            }
        }
        return true;
    }
}
