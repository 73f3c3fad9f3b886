package io.threeway.web;

import io.threeway.host.SynCookieReader;
import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.RecordedEvent;
import io.threeway.lab.record.RecordedPacket;
import io.threeway.lab.record.RecordedTransition;
import io.threeway.lab.record.Recording;
import io.threeway.lab.record.SeriesPoint;
import io.threeway.lab.record.ToolSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the views of one variant (or one capture file) are drawn from: hosts, packets with their fates,
 * transitions, endpoints, series and the tools' snapshots, in the order things happened.
 *
 * @param name        the variant's name, or the file's
 * @param hosts       the endpoints' lines of the ladder, left to right
 * @param packets     every packet
 * @param events      the timeline: [time, kind (0 send, 1 arrive, 2 transition), index]
 * @param transitions every state change
 * @param endpoints   every connection end (host and four-tuple)
 * @param series      each endpoint's figures whenever they changed
 * @param snapshots   the hosts as the tools saw them after each step (empty for a capture)
 * @param notes       what the views should say about the data (limits reached, a single vantage point)
 * @param cookies     each host's SYN cookie secrets, by name (empty for a capture)
 * @param clockOffset what to add to the trace's times to get the hosts' own clock (0 for a simulated run)
 */
public record Trace(String name, List<String> hosts, List<TracePacket> packets, List<long[]> events,
                    List<RecordedTransition> transitions, List<Endpoint> endpoints, List<SeriesPoint> series,
                    List<ToolSnapshot> snapshots, List<String> notes, Map<String, SynCookieReader> cookies,
                    long clockOffset) {

    /** The trace of one recorded variant. */
    public static Trace of(Recording r) {
        List<TracePacket> packets = new ArrayList<>();
        for (RecordedPacket p : r.packets()) {
            String fate = p.fate().name().toLowerCase(Locale.ROOT);
            packets.add(new TracePacket(p.from(), p.to(), p.sent(), p.arrival(), p.duplicated(), fate,
                    p.fate().words(), p.data(), p.line()));
        }
        List<long[]> events = new ArrayList<>();
        for (RecordedEvent e : r.events()) events.add(new long[] {e.time(), e.kind().ordinal(), e.index()});
        List<String> notes = new ArrayList<>();
        if (r.packetsTruncated()) notes.add("The recording stopped keeping packets at its limit; the run went on.");
        if (r.snapshotsThinned()) notes.add("The socket table and counters were copied at fewer steps to stay within"
                + " the recording's limit: each view says which step it shows.");
        return new Trace(r.variant(), r.hosts(), packets, events, r.transitions(), r.endpoints(), r.series(),
                r.snapshots(), notes, r.cookieReaders(), 0);
    }
}
