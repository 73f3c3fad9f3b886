package io.threeway.bench.suite;

import io.threeway.bench.BenchRow;
import io.threeway.bench.ConnRateRow;

import io.threeway.bench.engine.EngineConnRateRow;
import io.threeway.bench.flood.FloodRow;
import io.threeway.bench.jmh.JmhRow;
import io.threeway.bench.sockets.NioRow;
import io.threeway.bench.sockets.RpcRow;
import io.threeway.bench.sockets.SocketConnRateRow;
import io.threeway.bench.sockets.ThroughputRow;
import io.threeway.bench.tun.TunRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every row of the suite, in the order {@code bench all} runs them. */
public final class BenchRows {
    private BenchRows() {}

    /**
     * The rows: conn-rate (engine against lwIP, then sockets against the kernel), throughput, rpc, nio, flood, tun,
     * then any row found with {@link ServiceLoader} (the engine's memory benchmark), then the JMH
     * microbenchmarks.
     */
    public static List<BenchRow> all() {
        List<BenchRow> rows = new ArrayList<>(List.of(new ConnRateRow(new EngineConnRateRow(), new SocketConnRateRow()),
                new ThroughputRow(), new RpcRow(), new NioRow(), new FloodRow(), new TunRow()));
        for (BenchRow r : ServiceLoader.load(BenchRow.class, BenchRow.class.getClassLoader())) {
            if (byName(rows, r.name()).isEmpty()) rows.add(r);
        }
        if (byName(rows, MemoryHook.NAME).isEmpty()) rows.add(new MemoryHook());
        rows.add(new JmhRow());
        return List.copyOf(rows);
    }

    /** The row called {@code name}. */
    public static Optional<BenchRow> find(String name) {
        return byName(all(), name);
    }

    private static Optional<BenchRow> byName(List<BenchRow> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
