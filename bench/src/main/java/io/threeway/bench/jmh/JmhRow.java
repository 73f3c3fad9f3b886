package io.threeway.bench.jmh;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code jmh}: the JMH microbenchmarks of this package (and any other under {@code io.threeway.bench.jmh}),
 * time per operation with JMH's GC profiler's bytes allocated per operation. A microbenchmark of Threeway's
 * own path has no baseline doing the same work; its result says so.
 */
public final class JmhRow implements BenchRow {
    private final String include;

    /** Every benchmark under {@code io.threeway.bench.jmh}. */
    public JmhRow() {
        this("io\\.threeway\\.bench\\.jmh\\..*");
    }

    /** The benchmarks whose names match the regular expression {@code include}. */
    public JmhRow(String include) {
        this.include = include;
    }

    @Override public String name() { return "jmh"; }

    @Override
    public String description() {
        return "JMH microbenchmarks of the per-segment path (checksum, parse, build, a data segment through both stacks), "
                + "with bytes allocated per operation";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws RunnerException {
        Path log = Tools.buildDir().resolve("jmh/jmh.log");
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new RunnerException("cannot write " + log + ": " + e.getMessage(), e);
        }
        // JMH's own report (and what forked JVMs print) goes to a log, so --json stays one JSON document.
        ChainedOptionsBuilder o = new OptionsBuilder().include(include).addProfiler(GCProfiler.class)
                .shouldFailOnError(true).verbosity(VerboseMode.NORMAL).output(log.toString())
                .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                        // A fixed, pre-touched heap: on a VM a first touch of each page costs a fault, which would
                        // be charged to whichever benchmark first grows the heap.
                        "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
        if (s.quick()) {
            // In-process and tiny: a test's class path is not one a forked JVM could be given.
            o.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(50))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
        } else {
            o.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        List<BenchResult> out = new ArrayList<>();
        for (RunResult r : results) out.add(toResult(r, s));
        return out;
    }

    private static BenchResult toResult(RunResult r, BenchSettings s) {
        String name = r.getParams().getBenchmark();
        String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
        Result<?> primary = r.getPrimaryResult();
        Map<String, Object> extra = new LinkedHashMap<>();
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        extra.put("alloc_bytes_per_op", alloc == null ? null : alloc.getScore());
        extra.put("error", primary.getScoreError());
        return new BenchResult("jmh", shortName, primary.getScore(), null, "none", primary.getScoreUnit(), false, null,
                "JMH " + (s.quick() ? "in-process, one 100 ms iteration" : "1 fork, 2 x 1 s warm-up, 3 x 1 s measured")
                        + ", average time per operation of " + shortName,
                "none: a microbenchmark of Threeway's own per-segment path", "no baseline does the same work", extra);
    }
}
