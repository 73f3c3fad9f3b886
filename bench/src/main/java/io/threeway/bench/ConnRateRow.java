package io.threeway.bench;

import java.util.ArrayList;
import java.util.List;

/** {@code conn-rate}: the engine against lwIP's raw API, then the socket API against the kernel's. */
public final class ConnRateRow implements BenchRow {
    private final BenchRow engine;
    private final BenchRow sockets;

    public ConnRateRow(BenchRow engine, BenchRow sockets) {
        this.engine = engine;
        this.sockets = sockets;
    }

    @Override public String name() { return "conn-rate"; }

    @Override
    public String description() {
        return "connections per second: the engine's callback path against lwIP's raw API (graceful close and RST, "
                + "one core), and blocking sockets against java.net on the kernel's loopback (1 and 64 clients)";
    }

    @Override
    public List<BenchResult> run(BenchSettings settings) throws Exception {
        List<BenchResult> all = new ArrayList<>(engine.run(settings));
        all.addAll(sockets.run(settings));
        return all;
    }
}
