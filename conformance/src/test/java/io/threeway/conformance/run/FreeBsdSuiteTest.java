package io.threeway.conformance.run;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole FreeBSD TCP test suite (read where it lies, never copied: {@code ../shared/conformance/
 * freebsd-tcp-testsuite} from the repository root, or from the nearest ancestor directory that has it, or
 * {@code THREEWAY_CONFORMANCE_SUITE}; under {@code CI=true} a missing suite fails), prints the pass rate per
 * top-level directory, and fails if a script listed in {@code baseline.txt} no longer passes: a ratchet that only
 * moves up. Newly passing scripts are printed so they can be added to the baseline.
 */
class FreeBsdSuiteTest {
    private static final String SUITE = "conformance/freebsd-tcp-testsuite";

    static Path suite() {
        return SuiteLocation.find(SUITE, "THREEWAY_CONFORMANCE_SUITE");
    }

    @Test
    void noBaselineScriptStopsPassing() throws IOException {
        Path root = SuiteLocation.require(SUITE, "THREEWAY_CONFORMANCE_SUITE");
        Ratchet.check(root, Ratchet.runAll(root), "/baseline.txt");
    }
}
