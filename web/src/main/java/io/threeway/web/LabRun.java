package io.threeway.web;

import io.threeway.lab.record.RecordLimits;
import io.threeway.lab.record.Recording;
import io.threeway.lab.record.RecordingTooLargeException;
import io.threeway.lab.record.RunRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run the lab holds: a scenario run with a recorder (or a capture file read), its variants' traces, and
 * the scenario's findings as its {@code --json} prints them.
 *
 * @param id       the run's number in this server
 * @param kind     {@code run}, {@code pcap} or {@code live}
 * @param title    what the page shows as its heading
 * @param query    the request that reproduces it (empty for a file)
 * @param exit     the scenario's exit status
 * @param findings the scenario's JSON report, parsed, or null
 * @param views    one per variant
 */
record LabRun(int id, String kind, String title, Map<String, String> query, int exit, Object findings,
              List<TraceView> views) {
    /** "--NAME: message", the scenarios' way of naming a parameter in an error. */
    private static final Pattern PARAM_ERROR = Pattern.compile("^--([a-z0-9-]+): (.*)$");

    /** Runs {@code r}'s scenario, recording it within {@code limits}. */
    static LabRun execute(int id, RunRequest r, RecordLimits limits) {
        RunRecorder rec = new RunRecorder(limits, true);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            exit = r.scenario().run(r.options().withRecorder(rec), out);
        } catch (RecordingTooLargeException e) {
            throw new BadRequestException(e.getMessage());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw onScenarioError(e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(r.scenario().name() + " failed: " + e, e);
        }
        if (rec.overLimit() != null) throw new BadRequestException("run too large to record: " + rec.overLimit());
        Object findings = Json.parseOrText(buf.toString(StandardCharsets.UTF_8));
        List<TraceView> views = new ArrayList<>();
        for (Recording v : rec.recordings()) views.add(new TraceView(Trace.of(v)));
        return new LabRun(id, "run", r.scenario().name(), r.query(), exit, findings, views);
    }

    private static BadRequestException onScenarioError(String message) {
        String m = message == null ? "the scenario refused its options" : message;
        Matcher p = PARAM_ERROR.matcher(m);
        if (p.matches()) return new BadRequestException(m, Map.of(p.group(1), p.group(2)));
        return new BadRequestException(m);
    }

    /** What the page gets: the run's summary and every variant's model. */
    Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind);
        m.put("title", title);
        m.put("query", query);
        m.put("exit", exit);
        m.put("findings", findings);
        List<Object> variants = new ArrayList<>();
        for (TraceView v : views) variants.add(v.model());
        m.put("variants", variants);
        return m;
    }

    TraceView view(int variant) {
        if (variant < 0 || variant >= views.size()) throw new BadRequestException("no variant " + variant);
        return views.get(variant);
    }
}
