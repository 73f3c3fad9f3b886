package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A suite's ratchet: the scripts listed in a baseline resource must keep passing; newly passing ones are printed
 * so they can be added. Also prints the pass rate per top-level directory.
 */
final class Ratchet {
    private Ratchet() {}

    /** Runs every script under {@code root} with the profile its sysctls choose. */
    static List<ScriptResult> runAll(Path root) {
        List<ScriptResult> results = new ArrayList<>();
        for (Path p : SuiteRunner.scripts(List.of(root))) results.add(SuiteRunner.run(p, null));
        return results;
    }

    /** Prints the table and fails if a baseline script no longer passes. */
    static void check(Path root, List<ScriptResult> results, String baselineResource) throws IOException {
        Map<String, Tally> byDir = Tally.byTopDirectory(results, root);
        byDir.forEach((dir, t) -> System.out.printf("%-20s %5.1f%%  %s%n", dir, t.passRate(), t));
        System.out.println("all                  " + Tally.of(results));
        Set<String> passing = new TreeSet<>();
        for (ScriptResult r : results) if (r.passed()) passing.add(relative(root, r));
        Set<String> baseline = baseline(baselineResource);
        List<String> regressed = new ArrayList<>();
        for (String b : baseline) if (!passing.contains(b)) regressed.add(b);
        List<String> improved = new ArrayList<>();
        for (String p : passing) if (!baseline.contains(p)) improved.add(p);
        if (!improved.isEmpty()) System.out.println("passing but not in " + baselineResource + " (add them): " + improved);
        List<String> detail = new ArrayList<>();
        for (ScriptResult r : results) if (regressed.contains(relative(root, r))) detail.add(r.script() + ": " + r.describe());
        assertTrue(regressed.isEmpty(), () -> regressed.size() + " baseline scripts stopped passing:\n" + String.join("\n", detail));
    }

    static String relative(Path root, ScriptResult r) {
        return root.toAbsolutePath().normalize().relativize(Path.of(r.script()).toAbsolutePath().normalize()).toString();
    }

    private static Set<String> baseline(String resource) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream in = Ratchet.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no resource " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) out.add(t);
            }
        }
        return out;
    }
}
