package io.threeway.bench.suite;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;

import java.util.List;

/**
 * {@code memory} until the engine's memory benchmark (issue 12) is on the class path: it registers itself as
 * a {@link BenchRow} named {@value #NAME} through {@link java.util.ServiceLoader} and replaces this. Until then
 * the row reports that it did not run, and why.
 */
final class MemoryHook implements BenchRow {
    static final String NAME = "memory";

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "heap per idle established connection, TIME-WAIT and SYN-RECV entry against the kernel's slab objects "
                + "(comes with issue 12's engine work)";
    }

    @Override
    public List<BenchResult> run(BenchSettings settings) {
        return List.of(new BenchResult(NAME, "established", null, null, "Linux slab object sizes (/proc/slabinfo)",
                "bytes", false, null, "not run", "not run",
                "the memory benchmark comes with issue 12 (engine); it is not on the class path of this build", null));
    }
}
