package io.threeway.bench.memory;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code threeway bench memory [--connections N]}: the heap one connection costs, idle and established, in
 * TIME-WAIT and half-open in SYN-RECV ({@link MemoryBench}), against the kernel's slab object for the same thing
 * ({@code TCP}, {@code tw_sock_TCP}, {@code request_sock_TCP} in /proc/slabinfo, where readable). Issue 12's
 * targets: at most 1 KiB per idle established connection and 128 bytes per TIME-WAIT entry. Every comparison's
 * JSON object also carries the run's figures under issue 12's keys: {@code connections},
 * {@code established_bytes}, {@code time_wait_bytes}, {@code syn_recv_bytes}.
 */
public final class MemoryRow implements BenchRow {
    /** Entries of each kind measured without --connections. */
    public static final int DEFAULT_CONNECTIONS = 100_000;
    /** Entries of each kind in a --quick run. */
    static final int QUICK_CONNECTIONS = 10_000;
    /** Issue 12's target for an idle established connection (bytes). */
    public static final int ESTABLISHED_TARGET = 1024;
    /** Issue 12's target for a TIME-WAIT entry (bytes). */
    public static final int TIME_WAIT_TARGET = 128;

    /** Entries of each kind, or 0 for the default (or the quick one). */
    private final int connections;

    /** The row as ServiceLoader makes it: the default number of entries. */
    public MemoryRow() {
        this(0);
    }

    /** The row with {@code connections} entries of each kind. */
    public MemoryRow(int connections) {
        this.connections = connections;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "Heap per idle established connection, TIME-WAIT entry and SYN-RECV entry, against the kernel's slab "
                + "object sizes (/proc/slabinfo where readable); --connections N (default " + DEFAULT_CONNECTIONS + ").";
    }

    @Override
    public List<BenchResult> run(BenchSettings settings) {
        int n = connections > 0 ? connections : settings.quick() ? QUICK_CONNECTIONS : DEFAULT_CONNECTIONS;
        MemoryBench.Result r = MemoryBench.run(n);
        Map<String, Integer> slab = MemoryBench.kernelObjectSizes();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("connections", n);
        figures.put("established_bytes", round(r.establishedBytes()));
        figures.put("time_wait_bytes", round(r.timeWaitBytes()));
        figures.put("syn_recv_bytes", round(r.synRecvBytes()));
        figures.put("established_target_bytes", ESTABLISHED_TARGET);
        figures.put("time_wait_target_bytes", TIME_WAIT_TARGET);
        String did = "the used heap " + n + " entries free when the stack forgets them at once, per entry";
        return List.of(
                result("established", r.establishedBytes(), slab.get("TCP"), "TCP", did + " (idle, no data)", figures),
                result("time-wait", r.timeWaitBytes(), slab.get("tw_sock_TCP"), "tw_sock_TCP", did + " (compact)", figures),
                result("syn-recv", r.synRecvBytes(), slab.get("request_sock_TCP"), "request_sock_TCP", did, figures));
    }

    private static BenchResult result(String comparison, double bytes, Integer slab, String cache, String did,
                                      Map<String, Object> figures) {
        Double baseline = slab == null ? null : slab.doubleValue();
        String skipped = slab == null ? "/proc/slabinfo is not readable here (it needs root)" : null;
        return new BenchResult("memory", comparison, round(bytes), baseline, "Linux's " + cache + " slab object",
                "bytes", false, null, did, "the object size /proc/slabinfo gives for " + cache, skipped, figures);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
