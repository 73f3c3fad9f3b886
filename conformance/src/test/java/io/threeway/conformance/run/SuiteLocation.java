package io.threeway.conformance.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where a conformance suite lies: read in place, never copied, from {@code ../shared/conformance/...} beside the
 * repository root (or the nearest ancestor directory that has it), or from an environment variable. Without it
 * a test skips, except under {@code CI=true}, where a missing suite fails: CI must run it.
 */
final class SuiteLocation {
    private SuiteLocation() {}

    /** The directory {@code shared/<relative>} beside an ancestor of the module, or {@code env}'s value; null if absent. */
    static Path find(String relative, String env) {
        String override = System.getenv(env);
        if (override != null && !override.isBlank()) return Path.of(override);
        for (Path d = Path.of("").toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve(relative);
            if (d.getParent() != null && Files.exists(candidate)) return candidate;
        }
        return null;
    }

    /** Skips the test when the suite is missing, or fails it under CI=true. */
    static Path require(String relative, String env) {
        Path p = find(relative, env);
        String why = "the suite is not here (expected ../shared/" + relative + " beside the repository, or $" + env + ")";
        if (p == null && "true".equals(System.getenv("CI"))) Assertions.fail(why + ": CI must run it");
        Assumptions.assumeTrue(p != null, why + ": skipped");
        return p;
    }
}
