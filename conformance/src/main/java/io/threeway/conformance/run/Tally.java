package io.threeway.conformance.run;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;
import java.util.ArrayList;

/** Counts of passed, failed and skipped scripts, overall or for one directory. */
public record Tally(int passed, int failed, int skipped) {

    public static Tally of(List<ScriptResult> results) {
        int p = 0;
        int f = 0;
        int s = 0;
        for (ScriptResult r : results) {
            switch (r.status()) {
                case PASS -> p++;
                case FAIL -> f++;
                case SKIP -> s++;
            }
        }
        return new Tally(p, f, s);
    }

    /**
     * Results grouped by the first directory of their path below {@code root} (the suite's top-level
     * directories), in name order; scripts directly in {@code root} count under ".".
     */
    public static Map<String, Tally> byTopDirectory(List<ScriptResult> results, Path root) {
        Map<String, List<ScriptResult>> groups = new TreeMap<>();
        for (ScriptResult r : results) {
            Path rel = root.toAbsolutePath().normalize().relativize(Path.of(r.script()).toAbsolutePath().normalize());
            String top = rel.getNameCount() > 1 ? rel.getName(0).toString() : ".";
            groups.computeIfAbsent(top, k -> new ArrayList<>()).add(r);
        }
        Map<String, Tally> out = new TreeMap<>();
        groups.forEach((k, v) -> out.put(k, of(v)));
        return out;
    }

    public int total() {
        return passed + failed + skipped;
    }

    /** The share that passed, in percent of all scripts. */
    public double passRate() {
        return total() == 0 ? 0 : 100.0 * passed / total();
    }

    /** The closing line: {@code 12 passed, 3 failed, 1 skipped}. */
    @Override
    public String toString() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}
