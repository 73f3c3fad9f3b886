package io.threeway.web;

import com.sun.net.httpserver.HttpExchange;
import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import io.threeway.lab.record.RecordLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON API the page calls. Bad input answers 400 with {@code {"error": message, "fields": {...}}}; an
 * internal failure answers 500 with its message; either way the server keeps serving.
 *
 * <pre>
 *   GET  /api/scenarios                          the scenarios, their parameters and the common options
 *   GET  /api/run?scenario=NAME&amp;seed=..       runs one (see {@link RunRequest}) and answers its model
 *   GET  /api/runs/ID                            a run's model again
 *   GET  /api/runs/ID/packet?v=VARIANT&amp;i=N    one packet taken apart (the inspector)
 *   GET  /api/runs/ID/lines?v=VARIANT&amp;from=N   the tcpdump lines of a chunk of packets from N
 *   GET  /api/runs/ID/tools?v=VARIANT&amp;e=EVENT ss -tani and nstat after that event
 *   GET  /api/runs/ID/export.json | export.pcap?v=VARIANT
 *   POST /api/pcap?name=FILE                     a capture file in the body; answers its model
 *   GET  /api/live                               the running stack's recording (serve --ui)
 * </pre>
 */
final class Api {
    private static final Pattern RUN_PATH = Pattern.compile("^/api/runs/(\\d+)(?:/([a-z.]+))?$");
    /** The largest capture file the page may send. */
    private static final int MAX_PCAP_BYTES = 64 << 20;

    private final RecordLimits limits;
    private final LiveRecorder live;
    /** The live run last shown, and the recorder's change count then. */
    private LabRun lastLive;
    private long lastLiveChanges = -1;
    private final RunStore store = new RunStore();
    /** One scenario at a time. */
    private final ReentrantLock running = new ReentrantLock();

    Api(RecordLimits limits, LiveRecorder live) {
        this.limits = limits;
        this.live = live;
    }

    void handle(HttpExchange x) throws IOException {
        try {
            dispatch(x);
        } catch (BadRequestException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("fields", e.fields());
            HttpExchanges.json(x, 400, body);
        } catch (RuntimeException e) {
            HttpExchanges.json(x, 500, Map.of("error", "internal error: " + e.getMessage(), "fields", Map.of()));
        }
    }

    private void dispatch(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        var q = HttpExchanges.query(x);
        if (path.equals("/api/scenarios")) {
            HttpExchanges.json(x, 200, scenarios());
        } else if (path.equals("/api/run")) {
            HttpExchanges.json(x, 200, run(RunRequest.parse(q)).model());
        } else if (path.equals("/api/pcap") && method.equals("POST")) {
            String name = RunRequest.first(q, "name", "capture.pcap");
            byte[] body = HttpExchanges.body(x, MAX_PCAP_BYTES);
            Trace t = CaptureFile.read(name, body);
            LabRun r = store.add(id -> new LabRun(id, "pcap", name, Map.of(), 0, null, List.of(new TraceView(t))));
            HttpExchanges.json(x, 200, r.model());
        } else if (path.equals("/api/live")) {
            if (live == null) throw new BadRequestException("no live stack: start one with 'threeway serve ... --ui PORT'");
            HttpExchanges.json(x, 200, liveRun().model());
        } else {
            Matcher m = RUN_PATH.matcher(path);
            if (!m.matches()) throw new BadRequestException("no such API: " + path);
            onRun(x, store.get(Integer.parseInt(m.group(1))), m.group(2), q);
        }
    }

    private void onRun(HttpExchange x, LabRun r, String what, Map<String, List<String>> q) throws IOException {
        int v = HttpExchanges.intParam(q, "v", 0);
        if (what == null) {
            HttpExchanges.json(x, 200, r.model());
        } else if (what.equals("packet")) {
            TraceView view = r.view(v);
            int i = HttpExchanges.intParam(q, "i", 0);
            if (i < 0 || i >= view.trace().packets().size()) throw new BadRequestException("no packet " + i);
            HttpExchanges.json(x, 200, Inspector.inspect(view, i));
        } else if (what.equals("lines")) {
            TraceView view = r.view(v);
            int from = HttpExchanges.intParam(q, "from", 0);
            if (from < 0 || from >= view.trace().packets().size()) throw new BadRequestException("no packet " + from);
            HttpExchanges.json(x, 200, Map.of("from", from, "lines", view.lines(from, view.lineChunk())));
        } else if (what.equals("tools")) {
            HttpExchanges.json(x, 200, ToolsView.at(r.view(v).trace(), HttpExchanges.intParam(q, "e", 0)));
        } else if (what.equals("export.json")) {
            HttpExchanges.send(x, 200, "application/json; charset=utf-8", Json.bytes(r.model()), fileName(r, "json"));
        } else if (what.equals("export.pcap")) {
            HttpExchanges.send(x, 200, "application/vnd.tcpdump.pcap", CaptureFile.write(r.view(v).trace()),
                    fileName(r, "pcap"));
        } else {
            throw new BadRequestException("no such view of a run: " + what);
        }
    }

    private static String fileName(LabRun r, String ext) {
        return ("threeway-" + r.title() + "-" + r.id()).replaceAll("[^A-Za-z0-9._-]", "_") + "." + ext;
    }

    /** The live recording as a run (a new one only when something happened since the last). */
    private synchronized LabRun liveRun() {
        long changes = live.changes();
        if (lastLive == null || changes != lastLiveChanges) {
            Trace t = live.trace();
            lastLive = store.add(id -> new LabRun(id, "live", "live", Map.of(), 0, null, List.of(new TraceView(t))));
            lastLiveChanges = changes;
        }
        return lastLive;
    }

    /** Runs one scenario at a time; the run is kept for the views that follow. */
    LabRun run(RunRequest req) {
        running.lock();
        try {
            return store.add(id -> LabRun.execute(id, req, limits));
        } finally {
            running.unlock();
        }
    }

    private static Map<String, Object> scenarios() {
        List<Object> list = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", s.name());
            o.put("summary", s.summary());
            o.put("help", s.help());
            o.put("fields", RunRequest.fields(s));
            list.add(o);
        }
        return Map.of("scenarios", list);
    }
}
