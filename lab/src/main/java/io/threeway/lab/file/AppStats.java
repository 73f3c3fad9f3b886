package io.threeway.lab.file;

import java.util.ArrayList;
import java.util.List;

/** What one application of a file did, counted as it ran (read by the report after the run). */
final class AppStats {
    /** Connections it opened or accepted. */
    long connections;
    /** Requests answered (http), messages echoed (echo), connections served (servers). */
    long done;
    /** Bytes it read. */
    long bytesRead;
    /** Bytes it wrote. */
    long bytesWritten;
    /** Failed operations (connect refused or timed out, reset, EOF too early). */
    long errors;
    /** The first failure's message, or null. */
    String firstError;
    /** When it finished its work (a client) in nanoseconds of virtual time, or -1. */
    long finishedAt = -1;
    /** Each request's or message's time, start to answer, in nanoseconds. */
    final List<Long> latencies = new ArrayList<>();

    void error(Exception e) {
        errors++;
        if (firstError == null) firstError = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The mean latency in nanoseconds, or -1 with none. */
    long meanLatency() {
        return latencies.isEmpty() ? -1 : Math.round(latencies.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    /** The latency below which {@code p} percent fall (nearest rank), or -1 with none. */
    long percentile(int p) {
        if (latencies.isEmpty()) return -1;
        List<Long> s = latencies.stream().sorted().toList();
        return s.get(Math.max(0, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }
}
