package io.threeway.lab.scenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Request latencies of a run, in nanoseconds, with the summary figures a load test prints. */
final class Latencies {
    private final List<Long> samples = new ArrayList<>();
    private boolean sorted = true;

    void add(long nanos) {
        samples.add(nanos);
        sorted = false;
    }

    int count() { return samples.size(); }

    double mean() {
        long sum = 0;
        for (long s : samples) sum += s;
        return samples.isEmpty() ? -1 : (double) sum / samples.size();
    }

    /** The nearest-rank percentile ({@code p} from 0 to 100), or -1 with no samples. */
    long percentile(double p) {
        if (samples.isEmpty()) return -1;
        if (!sorted) {
            Collections.sort(samples);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100 * samples.size());
        return samples.get(Math.max(0, Math.min(samples.size() - 1, rank - 1)));
    }
}
