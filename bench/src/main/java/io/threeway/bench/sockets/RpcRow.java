package io.threeway.bench.sockets;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.engine.EngineRpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rpc}: small request-response exchanges on one connection ({@link Workloads#rpc}), Threeway's sockets
 * against the kernel's: the exchange rate and the p50 and p99 latency of one exchange.
 */
public final class RpcRow implements BenchRow {
    @Override public String name() { return "rpc"; }

    @Override
    public String description() {
        return "64-byte request, 64-byte response on one connection (TCP_NODELAY): rate and p50/p99 latency, "
                + "sockets against the kernel";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        Workloads.RpcFigures t;
        String threewayName;
        try (LibrarySide side = new LibrarySide(1500)) {
            threewayName = side.name();
            t = Workloads.rpc(side, s);
        }
        Workloads.RpcFigures inline;
        try (ThreewaySide side = new ThreewaySide(1500, true)) {
            inline = Workloads.rpc(side, s);
        }
        KernelSide k = new KernelSide();
        Workloads.RpcFigures b = Workloads.rpc(k, s);
        String work = "one client thread writes " + Workloads.RPC_BYTES + " bytes and reads " + Workloads.RPC_BYTES
                + " back, one server thread echoes, TCP_NODELAY on both, each exchange timed with System.nanoTime";
        String tDid = threewayName + ": " + work;
        String bDid = "java.net on 127.0.0.1: " + work;
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("threeway_exchanges", t.exchanges());
        counts.put("baseline_exchanges", b.exchanges());
        counts.put("threeway_engine_only_p50", EngineRpc.p50Micros(s, Workloads.RPC_BYTES));
        counts.put("threeway_inline_delivery_p50", inline.p50Micros());
        counts.put("threeway_inline_delivery_p99", inline.p99Micros());
        counts.put("threeway_inline_delivery_rate", inline.rate());
        return List.of(
                new BenchResult("rpc", "p50", t.p50Micros(), b.p50Micros(), k.name(), "us", false, 1.0, tDid, bDid, null, counts),
                new BenchResult("rpc", "p99", t.p99Micros(), b.p99Micros(), k.name(), "us", false, null, tDid, bDid, null, counts),
                new BenchResult("rpc", "rate", t.rate(), b.rate(), k.name(), "exchanges/s", true, null, tDid, bDid, null, counts));
    }
}
