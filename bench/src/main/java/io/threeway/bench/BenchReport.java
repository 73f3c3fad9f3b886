package io.threeway.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** How the suite prints its results: a JSON array of comparisons, or a table with what each side did. */
public final class BenchReport {
    private BenchReport() {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The results as one JSON array, one object per comparison ({@link BenchResult#toJson()}). */
    public static String json(List<BenchResult> results) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (BenchResult r : results) list.add(r.toJson());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list);
    }

    /** The results as a table (figures, ratio, goal), then each comparison's two sides in words. */
    public static void table(List<BenchResult> results, PrintWriter out) {
        String fmt = "%-28s %14s %14s %-12s %8s %8s%n";
        out.printf(Locale.ROOT, fmt, "comparison", "threeway", "baseline", "unit", "ratio", "goal");
        for (BenchResult r : results) {
            out.printf(Locale.ROOT, fmt, r.benchmark() + "/" + r.comparison(), figure(r.threeway()), figure(r.baseline()),
                    r.unit() == null ? "" : r.unit(), r.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r.ratio()),
                    goal(r));
        }
        for (BenchResult r : results) {
            out.println();
            out.println(r.benchmark() + "/" + r.comparison() + ":");
            out.println("  threeway: " + r.threewayDid());
            out.println("  baseline (" + r.baselineName() + "): " + r.baselineDid());
            if (r.skipped() != null) out.println("  not run: " + r.skipped());
            r.extra().forEach((k, v) -> out.println("  " + k + ": " + (v instanceof Double d ? figure(d) : v)));
        }
        out.flush();
    }

    /**
     * The results as a Markdown table for the README: each comparison with both figures in readable units,
     * the baseline, the ratio and the goal (met or not).
     */
    public static String markdown(List<BenchResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| comparison | Threeway | baseline | baseline is | ratio | goal |\n");
        b.append("|---|---:|---:|---|---:|---|\n");
        for (BenchResult r : results) {
            b.append("| ").append(r.benchmark()).append('/').append(r.comparison())
                    .append(" | ").append(readable(r.threeway(), r.unit()))
                    .append(" | ").append(r.baseline() == null ? "not run" : readable(r.baseline(), r.unit()))
                    .append(" | ").append(r.baselineName())
                    .append(" | ").append(r.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r.ratio()))
                    .append(" | ").append(goal(r).replace(" ok", ": met").replace(" no", ": not met"))
                    .append(" |\n");
        }
        boolean anyExtra = results.stream().anyMatch(r -> !r.extra().isEmpty());
        if (anyExtra) {
            b.append("\n| comparison | beside it, in the same run |\n|---|---|\n");
            for (BenchResult r : results) {
                if (r.extra().isEmpty()) continue;
                b.append("| ").append(r.benchmark()).append('/').append(r.comparison()).append(" | ")
                        .append(extras(r)).append(" |\n");
            }
        }
        return b.toString();
    }

    /**
     * A comparison's other figures ({@link BenchResult#extra}: the engine alone, the inline pair, the kernel without
     * offloads...), as {@code name figure} pairs; a Threeway or kernel figure of a bytes/s row in MB/s or GB/s.
     */
    static String extras(BenchResult r) {
        StringBuilder b = new StringBuilder();
        for (var e : r.extra().entrySet()) {
            if (!b.isEmpty()) b.append("; ");
            b.append(e.getKey()).append(' ');
            Object v = e.getValue();
            boolean rate = "bytes/s".equals(r.unit()) && (v instanceof Double || v instanceof Float)
                    && (e.getKey().startsWith("threeway_") || e.getKey().startsWith("kernel_"));
            if (v instanceof Integer || v instanceof Long) b.append(String.format(Locale.ROOT, "%,d", ((Number) v).longValue()));
            else if (v instanceof Number n) b.append(rate ? readable(n.doubleValue(), r.unit()) : figure(n.doubleValue()));
            else b.append(String.valueOf(v).replace("|", "/"));
        }
        return b.toString();
    }

    /** A figure in a unit a reader takes in at once (bytes/s as MB/s or GB/s). */
    static String readable(Double v, String unit) {
        if (v == null) return "n/a";
        if ("bytes/s".equals(unit)) {
            return v >= 1e9 ? String.format(Locale.ROOT, "%.2f GB/s", v / 1e9) : String.format(Locale.ROOT, "%.0f MB/s", v / 1e6);
        }
        return figure(v) + (unit == null ? "" : " " + unit);
    }

    private static String goal(BenchResult r) {
        if (r.goal() == null) return "";
        String g = (r.higherIsBetter() ? ">=" : "<") + String.format(Locale.ROOT, "%.1f", r.goal());
        Boolean met = r.goalMet();
        return met == null ? g : g + (met ? " ok" : " no");
    }

    /** A figure with three significant digits or more, without exponent. */
    static String figure(Double v) {
        if (v == null) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
