package io.threeway.bench.tun;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.Tools;
import io.threeway.bench.netns.NetNs;
import io.threeway.tun.TunDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tun}: kernel clients (wrk, ab) in a namespace against the same Java HTTP server ({@code app.HttpServer})
 * on Threeway over a TUN device, and on the kernel's sockets over a veth pair between two namespaces: bulk
 * throughput of one connection, connections per second, and keep-alive requests per second. Threeway runs with
 * the TUN offloads (the figure compared) and, in the same run, without them ({@code threeway_without_offloads}).
 */
public final class TunRow implements BenchRow {
    /** The bulk comparison's response size: large enough that per-request costs vanish. */
    static final int BULK_BYTES = 16 * 1024 * 1024;
    /** Concurrent connections of ab (connection rate) and of wrk (keep-alive requests). */
    static final int AB_CONCURRENCY = 16;
    static final int WRK_CONNECTIONS = 64;

    @Override public String name() { return "tun"; }

    @Override
    public String description() {
        return "kernel clients (wrk, ab) against the same Java HTTP server on Threeway over TUN and on kernel sockets "
                + "over veth, in namespaces: bulk, connections/s, keep-alive requests/s";
    }

    /** What one testbed measured. */
    private record Side(String description, LoadGenerators.Figures bulk, LoadGenerators.Figures conns,
                        LoadGenerators.Figures http) {}

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        String why = NetNs.unavailableReason();
        if (why == null && !Tools.has("wrk")) why = "wrk is not installed (Debian package wrk)";
        if (why == null && !Tools.has("ab")) why = "ab is not installed (Debian package apache2-utils)";
        if (why != null) return skipped(why);
        int seconds = (int) Math.max(1, Math.round(s.measureSeconds()));
        int warm = (int) Math.max(1, Math.round(s.warmup().toMillis() / 1000.0));
        // Threeway without offloads first, then with them, then the kernel: the figure compared is the one with
        // offloads; the one without shows, in the same run, what they change.
        Side raw;
        try (TunTestbed bed = TunTestbed.threeway(TunDevice.Features.RAW_IP)) {
            raw = measure(bed, warm, seconds);
        }
        Side t;
        try (TunTestbed bed = TunTestbed.threeway(TunDevice.Features.OFFLOAD)) {
            t = measure(bed, warm, seconds);
        }
        Side k;
        try (TunTestbed bed = TunTestbed.kernel()) {
            k = measure(bed, warm, seconds);
        }
        String base = "kernel to kernel over veth";
        List<BenchResult> out = new ArrayList<>();
        out.add(new BenchResult("tun", "bulk", t.bulk.bytesPerSecond(), k.bulk.bytesPerSecond(), base, "bytes/s", true, 0.5,
                t.description + ": " + bulkDid(seconds), k.description + ": " + bulkDid(seconds), null,
                Map.of("threeway_errors", t.bulk.errors(), "baseline_errors", k.bulk.errors(),
                        "threeway_without_offloads", raw.bulk.bytesPerSecond())));
        out.add(new BenchResult("tun", "conn-rate", t.conns.requestsPerSecond(), k.conns.requestsPerSecond(), base, "conn/s",
                true, null, t.description + ": " + connsDid(seconds), k.description + ": " + connsDid(seconds), null,
                Map.of("threeway_failed", t.conns.errors(), "baseline_failed", k.conns.errors(),
                        "threeway_without_offloads", raw.conns.requestsPerSecond())));
        out.add(new BenchResult("tun", "http", t.http.requestsPerSecond(), k.http.requestsPerSecond(),
                "the same HTTP server on kernel sockets over veth", "requests/s", true, 1.0,
                t.description + ": " + httpDid(seconds), k.description + ": " + httpDid(seconds), null,
                Map.of("threeway_errors", t.http.errors(), "baseline_errors", k.http.errors(),
                        "threeway_without_offloads", raw.http.requestsPerSecond())));
        return out;
    }

    private static Side measure(TunTestbed bed, int warm, int seconds) throws IOException {
        // JIT and buffers, not counted: each workload once, so no side pays for compiling what it measures.
        LoadGenerators.wrk(bed.client, 1, 4, warm, bed.url("/"));
        LoadGenerators.wrk(bed.client, 1, 1, warm, bed.url("/bytes/" + BULK_BYTES));
        LoadGenerators.ab(bed.client, AB_CONCURRENCY, warm, bed.url("/"));
        LoadGenerators.Figures bulk = LoadGenerators.wrk(bed.client, 1, 1, seconds, bed.url("/bytes/" + BULK_BYTES));
        LoadGenerators.Figures conns = LoadGenerators.ab(bed.client, AB_CONCURRENCY, seconds, bed.url("/"));
        LoadGenerators.Figures http = LoadGenerators.wrk(bed.client, 2, WRK_CONNECTIONS, seconds, bed.url("/"));
        return new Side(bed.description, bulk, conns, http);
    }

    private static String bulkDid(int seconds) {
        return "wrk -t1 -c1 -d" + seconds + "s GET /bytes/" + BULK_BYTES + " (one keep-alive connection downloading "
                + "16 MiB responses), wrk's Transfer/sec";
    }

    private static String connsDid(int seconds) {
        return "ab -t" + seconds + " -c" + AB_CONCURRENCY + " GET / (HTTP/1.0, one connection per request), ab's "
                + "Requests per second";
    }

    private static String httpDid(int seconds) {
        return "wrk -t2 -c" + WRK_CONNECTIONS + " -d" + seconds + "s GET / (HTTP/1.1 keep-alive), wrk's Requests/sec";
    }

    private static List<BenchResult> skipped(String why) {
        List<BenchResult> out = new ArrayList<>();
        for (String c : new String[] {"bulk", "conn-rate", "http"}) {
            out.add(new BenchResult("tun", c, null, null, "kernel to kernel over veth", null, true, null,
                    "not run", "not run", why, null));
        }
        return out;
    }
}
