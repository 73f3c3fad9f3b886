package io.threeway.bench.engine;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.engine.EngineConnRate.CloseMode;
import io.threeway.bench.engine.EngineConnRate.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conn-rate}, engine part: Threeway's engine against lwIP's raw API, the same number of connections
 * made the same way on one core, best of {@link BenchSettings#repeats()} runs each.
 */
public final class EngineConnRateRow implements BenchRow {
    /**
     * Graceful closes per run: lwIP keeps every TIME-WAIT block for the run (2 MSL = 2 min) in a linked list that
     * each new connection searches for a free port, so its rate depends on this count; it fails past 16,383
     * (its ephemeral port range).
     */
    static final int FIN_CONNECTIONS = 10_000;
    /** Aborts per run. */
    static final int RST_CONNECTIONS = 200_000;

    @Override public String name() { return "conn-rate-engine"; }

    @Override
    public String description() {
        return "the engine's callback path against lwIP's raw API: one connection at a time on one core, "
                + "graceful close and RST abort";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        Lwip lwip = null;
        String why = null;
        try {
            lwip = Lwip.build();
        } catch (IOException e) {
            why = "lwIP not run: " + e.getMessage();
        }
        List<BenchResult> out = new ArrayList<>();
        for (CloseMode mode : CloseMode.values()) out.add(compare(s, mode, lwip, why));
        return out;
    }

    private static int count(BenchSettings s, CloseMode mode) {
        int n = mode == CloseMode.FIN ? FIN_CONNECTIONS : RST_CONNECTIONS;
        return s.quick() ? n / 50 : n;
    }

    private static BenchResult compare(BenchSettings s, CloseMode mode, Lwip lwip, String why) throws IOException {
        int n = count(s, mode);
        long warmUntil = System.nanoTime() + s.warmup().toNanos();
        do EngineConnRate.run(n, mode); while (System.nanoTime() < warmUntil);
        Run best = null;
        Run bestLwip = null;
        for (int i = 0; i < s.repeats(); i++) {
            Run r = EngineConnRate.run(n, mode);
            if (best == null || r.rate() > best.rate()) best = r;
            if (lwip != null) {
                Run l = lwip.run(n, mode);
                if (bestLwip == null || l.rate() > bestLwip.rate()) bestLwip = l;
            }
        }
        String work = mode == CloseMode.FIN
                ? "server accepts and closes at once, client reads EOF and closes (four-way close; the TIME-WAITs stay for the run)"
                : "client aborts with RST once established, server accepts and closes";
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("connections", n);
        extra.put("runs", s.repeats());
        extra.put("threeway_packets_per_connection", best.packets() / (double) n);
        BenchResult r = new BenchResult("conn-rate", "engine-" + mode.arg(), best.rate(),
                bestLwip == null ? null : bestLwip.rate(), lwip == null ? "lwIP raw API" : lwip.name(), "conn/s", true, 1.0,
                "Threeway engine, one thread, " + n + " connections one at a time through the callback path "
                        + "(two stacks over an in-memory link, every packet built, checksummed and parsed): " + work
                        + "; best of " + s.repeats() + " after " + s.warmup().toMillis() + " ms of warm-up",
                "lwip-conn-rate " + n + " " + mode.arg() + ": one lwIP stack over its netif loopback, raw API callbacks "
                        + "in the tcpip thread, the same " + n + " connections one at a time: " + work + "; best of " + s.repeats(),
                bestLwip == null ? why : null, extra);
        return r;
    }
}
