package io.threeway.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One comparison of the suite: Threeway's figure and the baseline's, measured in the same run on the same
 * workload, with what each side did, so that the ratio means something to a reader.
 *
 * @param benchmark      the row ({@code conn-rate}, {@code throughput}, ...)
 * @param comparison     which comparison of the row ({@code engine-fin}, {@code sockets-64}, {@code mtu-1500}...)
 * @param threeway       Threeway's figure in {@code unit}, or null when the row was skipped
 * @param baseline       the baseline's figure in {@code unit}, or null when it could not run (see {@code skipped})
 * @param baselineName   what the baseline is (e.g. "lwIP 2.1.3 raw API", "Linux 6.1 loopback via java.net")
 * @param unit           the unit of both figures
 * @param higherIsBetter whether a larger figure is better (rates) or worse (latency)
 * @param goal           the ratio issue 15 asks for (threeway / baseline), or null when the goal is not a ratio
 * @param threewayDid    what Threeway's side did, in one sentence
 * @param baselineDid    what the baseline's side did, in one sentence
 * @param skipped        why a side did not run, or null
 * @param extra          further figures of the run (latency percentiles, counts, other variants), in order
 */
public record BenchResult(String benchmark, String comparison, Double threeway, Double baseline, String baselineName,
                          String unit, boolean higherIsBetter, Double goal, String threewayDid, String baselineDid,
                          String skipped, Map<String, Object> extra) {

    public BenchResult {
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** threeway / baseline, or null when either is missing. */
    public Double ratio() {
        if (threeway == null || baseline == null || baseline == 0) return null;
        return threeway / baseline;
    }

    /**
     * Whether the goal holds: the ratio at least {@code goal} for a rate, strictly below it for a latency;
     * null when there is no ratio goal or no ratio.
     */
    public Boolean goalMet() {
        Double r = ratio();
        if (goal == null || r == null) return null;
        return higherIsBetter ? r >= goal : r < goal;
    }

    /** This result with one more extra figure. */
    public BenchResult with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put(key, value);
        return new BenchResult(benchmark, comparison, threeway, baseline, baselineName, unit, higherIsBetter, goal,
                threewayDid, baselineDid, skipped, m);
    }

    /** The baseline side replaced by a reason it did not run. */
    public BenchResult withoutBaseline(String why) {
        return new BenchResult(benchmark, comparison, threeway, null, baselineName, unit, higherIsBetter, goal,
                threewayDid, baselineDid, why, extra);
    }

    /** The JSON object of this comparison, keys in snake case, in a fixed order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        m.put("comparison", comparison);
        m.put("threeway", threeway);
        m.put("baseline", baseline);
        m.put("baseline_name", baselineName);
        m.put("unit", unit);
        m.put("ratio", ratio());
        m.put("higher_is_better", higherIsBetter);
        m.put("goal_ratio", goal);
        m.put("goal_met", goalMet());
        m.put("threeway_did", threewayDid);
        m.put("baseline_did", baselineDid);
        m.put("skipped", skipped);
        m.putAll(extra);
        return m;
    }
}
