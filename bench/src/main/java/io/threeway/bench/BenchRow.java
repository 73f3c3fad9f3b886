package io.threeway.bench;

import java.util.List;

/**
 * One row of the suite ({@code threeway bench NAME}): runs Threeway and its baseline on the same workload and
 * returns one {@link BenchResult} per comparison. Rows outside this module (the engine's {@code memory}) are
 * found with {@link java.util.ServiceLoader}: implement this and list the class in
 * {@code META-INF/services/io.threeway.bench.BenchRow}.
 */
public interface BenchRow {
    /** The row's name on the command line. */
    String name();

    /** One line for {@code threeway bench --help}. */
    String description();

    /**
     * Runs every comparison of the row. A side that cannot run here (no root, no compiler, no library) is
     * reported in its result's {@code skipped}, never silently left out.
     */
    List<BenchResult> run(BenchSettings settings) throws Exception;
}
