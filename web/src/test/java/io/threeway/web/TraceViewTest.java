package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.record.RecordLimits;
import io.threeway.lab.record.RunRecorder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trace's tcpdump lines formatted a chunk at a time are the lines formatted from the first packet on. */
class TraceViewTest {
    @Test
    void chunkedLinesAreTheSequentialLines() throws Exception {
        RunRecorder rec = new RunRecorder(RecordLimits.WEB, true);
        // Many connections, some with cookies, reusing ports: tcpdump's numbering changes often.
        RunRequest req = RunRequest.parse(Map.of("scenario", List.of("backlog-overflow"), "clients", List.of("8"),
                "seed", List.of("5")));
        req.scenario().run(req.options().withRecorder(rec), new PrintStream(OutputStream.nullOutputStream()));
        Trace recorded = Trace.of(rec.recordings().get(0));
        int chunk = 10;
        assertTrue(recorded.packets().size() > 5 * chunk, "several chunks: " + recorded.packets().size());
        List<TracePacket> bare = new ArrayList<>();
        for (TracePacket p : recorded.packets()) {
            bare.add(new TracePacket(p.from(), p.to(), p.sent(), p.arrival(), p.dup(), p.fate(), p.why(), p.data(), null));
        }
        TraceView v = new TraceView(new Trace(recorded.name(), recorded.hosts(), bare, recorded.events(),
                recorded.transitions(), recorded.endpoints(), recorded.series(), recorded.snapshots(), recorded.notes(),
                recorded.cookies(), 0), chunk);
        int n = bare.size();
        // Chunks asked for out of order, the last first, as the End key does.
        for (int c = (n - 1) / chunk; c >= 0; c -= 2) {
            List<String> lines = v.lines(c * chunk, chunk);
            for (int i = 0; i < lines.size(); i++) {
                int k = c * chunk + i;
                assertEquals(recorded.packets().get(k).line(), lines.get(i), "packet " + k);
            }
        }
        for (int k = 0; k < n; k += 37) assertEquals(recorded.packets().get(k).line(), v.line(k), "packet " + k);
    }
}
