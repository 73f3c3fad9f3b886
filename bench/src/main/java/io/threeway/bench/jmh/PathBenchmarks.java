package io.threeway.bench.jmh;

import io.threeway.bench.paths.SegmentPaths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 12's three per-segment paths through one stack ({@link SegmentPaths}): a data segment in, a pure ACK in,
 * a data segment out. Run with JMH's GC profiler ({@code threeway bench jmh --include PathBenchmarks}): each
 * should allocate 0 bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathBenchmarks {
    /** A fresh connection for each trial and path. */
    private SegmentPaths paths;

    @Setup(Level.Trial)
    public void connect() {
        paths = new SegmentPaths();
    }

    /** A data segment in, parsed, demultiplexed, stored, read by the application (and an ACK every second one). */
    @Benchmark
    public int dataSegmentIn() {
        return paths.dataSegmentIn();
    }

    /** A pure ACK in, which lets the next MSS the application writes go out. */
    @Benchmark
    public int pureAckIn() {
        return paths.pureAckIn();
    }

    /** A data segment out: one MSS written and sent (the peer's cumulative ACK every eighth). */
    @Benchmark
    public int dataSegmentOut() {
        return paths.dataSegmentOut();
    }
}
