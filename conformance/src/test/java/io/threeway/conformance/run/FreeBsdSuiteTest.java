package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole FreeBSD TCP test suite (read where it lies, never copied: {@code ../shared/conformance/
 * freebsd-tcp-testsuite} from the repository root, or from the nearest ancestor directory that has it, or
 * {@code THREEWAY_CONFORMANCE_SUITE}), prints the pass rate per top-level directory, and fails if a script
 * listed in {@code baseline.txt} no longer passes: a ratchet that only moves up. Newly passing scripts are
 * printed so they can be added to the baseline.
 */
class FreeBsdSuiteTest {
    private static final String SUITE = "shared/conformance/freebsd-tcp-testsuite";

    static Path suite() {
        String env = System.getenv("THREEWAY_CONFORMANCE_SUITE");
        if (env != null && !env.isBlank()) return Path.of(env);
        // The module runs in <root>/conformance; the suite sits beside the repository root.
        for (Path d = Path.of("").toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling(SUITE);
            if (d.getParent() != null && Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void noBaselineScriptStopsPassing() throws IOException {
        Path root = suite();
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(root != null, "the FreeBSD suite is missing (expected ../" + SUITE + " beside the repository) under CI=true");
        }
        Assumptions.assumeTrue(root != null,
                "the FreeBSD suite is not here (expected ../" + SUITE + " beside the repository): skipped");
        List<ScriptResult> results = new ArrayList<>();
        for (Path p : SuiteRunner.scripts(List.of(root))) results.add(SuiteRunner.run(p, null));

        Map<String, Tally> byDir = Tally.byTopDirectory(results, root);
        byDir.forEach((dir, t) -> System.out.printf("%-20s %5.1f%%  %s%n", dir, t.passRate(), t));
        System.out.println("all                  " + Tally.of(results));

        Set<String> passing = new TreeSet<>();
        for (ScriptResult r : results) if (r.passed()) passing.add(root.relativize(Path.of(r.script())).toString());
        Set<String> baseline = new TreeSet<>();
        try (var in = FreeBsdSuiteTest.class.getResourceAsStream("/baseline.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) baseline.add(t);
            }
        }
        List<String> regressed = new ArrayList<>();
        for (String b : baseline) if (!passing.contains(b)) regressed.add(b);
        List<String> improved = new ArrayList<>();
        for (String p : passing) if (!baseline.contains(p)) improved.add(p);
        if (!improved.isEmpty()) System.out.println("passing but not in baseline.txt (add them): " + improved);
        List<String> detail = new ArrayList<>();
        for (ScriptResult r : results) {
            if (regressed.contains(root.relativize(Path.of(r.script())).toString())) detail.add(r.script() + ": " + r.describe());
        }
        assertTrue(regressed.isEmpty(), () -> regressed.size() + " baseline scripts stopped passing:\n" + String.join("\n", detail));
    }
}
