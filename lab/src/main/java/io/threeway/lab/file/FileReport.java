package io.threeway.lab.file;

import io.threeway.host.Stack;
import io.threeway.lab.Durations;
import io.threeway.lab.Findings;
import io.threeway.lab.LinkOptions;
import io.threeway.lab.Rates;
import io.threeway.lab.file.ScenarioFile.AppSpec;
import io.threeway.lab.file.ScenarioFile.LinkSpec;
import io.threeway.sim.Link;
import io.threeway.sim.LinkStats;
import io.threeway.stats.Counter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A file scenario's report: each application, each host and each link, every figure read from the run. */
final class FileReport {
    private FileReport() {}

    /** The host counters the report shows, with their names as nstat prints them. */
    private static final Map<Counter, String> COUNTERS = new LinkedHashMap<>();
    static {
        COUNTERS.put(Counter.ACTIVE_OPENS, "ActiveOpens");
        COUNTERS.put(Counter.PASSIVE_OPENS, "PassiveOpens");
        COUNTERS.put(Counter.ATTEMPT_FAILS, "AttemptFails");
        COUNTERS.put(Counter.ESTAB_RESETS, "EstabResets");
        COUNTERS.put(Counter.OUT_RSTS, "OutRsts");
        COUNTERS.put(Counter.RETRANS_SEGS, "RetransSegs");
        COUNTERS.put(Counter.TCP_TIMEOUTS, "TCPTimeouts");
    }

    static Findings findings(ScenarioFile file, Map<String, Stack> hosts, List<Link> links, List<LinkOptions> paths,
                             Map<AppSpec, AppStats> stats, long now) {
        Findings f = new Findings(file.name());
        if (!file.description().isEmpty()) f.say(file.description());
        f.say("From " + file.source() + ": " + hosts.size() + " hosts, " + links.size() + " links, " + stats.size()
                + " applications; the run lasted " + Durations.format(now) + ".");
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = file.links().get(i);
            f.say("Link " + l.a() + " - " + l.b() + ": " + describe(paths.get(i)) + ".");
        }
        for (var e : stats.entrySet()) app(f.group(e.getKey().label()), e.getKey(), e.getValue());
        for (var e : hosts.entrySet()) {
            Stack s = e.getValue();
            Findings.Group g = f.group("host " + e.getKey());
            for (var c : COUNTERS.entrySet()) g.put(c.getValue(), s.counters().get(c.getKey()));
            g.put("connections open at the end", s.connectionCount() - s.timeWaitCount()).put("TIME-WAIT at the end", s.timeWaitCount());
        }
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = file.links().get(i);
            link(f.group("link " + l.a() + " -> " + l.b()), links.get(i).aToB().stats());
            link(f.group("link " + l.b() + " -> " + l.a()), links.get(i).bToA().stats());
        }
        long failing = stats.values().stream().filter(s -> s.errors > 0).count();
        f.conclude(failing == 0 ? "No application saw an error." : failing + " of " + stats.size() + " applications saw errors: see 'errors' and 'first error'.");
        return f;
    }

    private static void app(Findings.Group g, AppSpec a, AppStats s) {
        g.put("connections", s.connections);
        switch (a.kind()) {
            case HTTP_SERVER -> g.put("requests answered", s.done);
            case ECHO_SERVER, SINK -> g.put("connections served", s.done);
            case HTTP_CLIENT -> g.put("answers received", s.done);
            case ECHO_CLIENT -> g.put("echoes received", s.done);
            case BULK_SEND -> g.put("transfers complete", s.done);
            case IDLE -> g.put("closed by the server", s.done);
        }
        g.put("bytes read", s.bytesRead, "bytes").put("bytes written", s.bytesWritten, "bytes");
        if (!s.latencies.isEmpty() || a.kind() == AppKind.HTTP_CLIENT || a.kind() == AppKind.ECHO_CLIENT) {
            g.millisOrNever("latency, mean", s.meanLatency()).millisOrNever("latency, 99th percentile", s.percentile(99));
        }
        if (!a.kind().server) g.seconds("finished at", s.finishedAt);
        g.put("errors", s.errors).put("first error", s.firstError == null ? "none" : s.firstError);
    }

    /** A path as the user would set it: {@code 60ms RTT, 5% loss, 10mbit, MTU 1500}. */
    private static String describe(LinkOptions p) {
        StringBuilder b = new StringBuilder(Durations.format(p.rtt()) + " RTT");
        if (p.loss() > 0) b.append(", ").append(percent(p.loss())).append(" loss");
        if (!p.jitter().isZero()) b.append(", ").append(Durations.format(p.jitter())).append(" jitter");
        if (p.reorder() > 0) b.append(", ").append(percent(p.reorder())).append(" reordered");
        if (p.duplicate() > 0) b.append(", ").append(percent(p.duplicate())).append(" duplicated");
        b.append(", ").append(p.bandwidth() == 0 ? "unlimited bandwidth" : Rates.format(p.bandwidth()) + ", queue " + p.queue() + " packets");
        return b.append(", MTU ").append(p.mtu()).toString();
    }

    private static String percent(double p) {
        return BigDecimal.valueOf(p * 100).stripTrailingZeros().toPlainString() + "%";
    }

    private static void link(Findings.Group g, LinkStats s) {
        g.put("packets sent", s.sent()).put("packets delivered", s.delivered()).put("lost", s.lost())
                .put("dropped: queue full", s.droppedByQueue()).put("dropped: larger than the MTU", s.droppedByMtu());
    }
}
