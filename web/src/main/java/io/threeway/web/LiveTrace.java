package io.threeway.web;

import io.threeway.host.SynCookieReader;
import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.SeriesPoint;
import io.threeway.lab.record.ToolSnapshot;
import io.threeway.tools.HostSnapshot;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live mode's window of recorded packets and state changes made into a {@link Trace}: events in the order the
 * stack reported them, endpoints numbered afresh for the window, and each copy of the tools' view attached to
 * the event it followed.
 */
final class LiveTrace {
    /** A packet or a state change (of {@code endpoint}), numbered in the order the stack reported them. */
    record Item(long seq, TracePacket packet, Endpoint endpoint, RecordedTransition transition) {}

    /** One endpoint's figures at one moment. */
    record Figures(Endpoint endpoint, SeriesPoint point) {}

    /** The socket table and counters copied after item {@code seq}. */
    record Copy(long seq, HostSnapshot host) {}

    private LiveTrace() {}

    static Trace build(String host, String peer, List<Item> items, List<Figures> figures, List<Copy> copies,
                       List<String> notes, Map<String, SynCookieReader> cookies, long clockOffset) {
        Map<Endpoint, Integer> ids = new IdentityHashMap<>();
        List<Endpoint> endpoints = new ArrayList<>();
        List<TracePacket> packets = new ArrayList<>();
        List<RecordedTransition> transitions = new ArrayList<>();
        List<long[]> events = new ArrayList<>();
        for (Item it : items) {
            if (it.packet() != null) {
                events.add(new long[] {it.packet().sent(), 0, packets.size()});
                packets.add(it.packet());
            } else {
                RecordedTransition t = it.transition();
                events.add(new long[] {t.time(), 2, transitions.size()});
                transitions.add(new RecordedTransition(t.time(), id(it.endpoint(), ids, endpoints), t.from(), t.to(),
                        t.cause()));
            }
        }
        List<SeriesPoint> series = new ArrayList<>();
        for (Figures f : figures) {
            SeriesPoint p = f.point();
            series.add(new SeriesPoint(p.time(), id(f.endpoint(), ids, endpoints), p.state(), p.cwnd(), p.ssthresh(),
                    p.inFlight(), p.srtt(), p.rto(), p.advertised(), p.peerWindow(), p.recvQ(), p.sendQ()));
        }
        long first = items.isEmpty() ? 0 : items.get(0).seq();
        List<ToolSnapshot> snapshots = new ArrayList<>();
        for (Copy c : copies) {
            if (c.seq() < first || c.seq() - first >= events.size()) continue; // before the window, or nothing yet
            snapshots.add(new ToolSnapshot((int) (c.seq() - first), List.of(c.host())));
        }
        return new Trace("live", List.of(peer, host), packets, events, transitions, endpoints, series, snapshots,
                notes, cookies, clockOffset);
    }

    private static int id(Endpoint e, Map<Endpoint, Integer> ids, List<Endpoint> endpoints) {
        return ids.computeIfAbsent(e, k -> {
            endpoints.add(new Endpoint(endpoints.size(), k.host(), k.tuple()));
            return endpoints.size() - 1;
        });
    }
}
