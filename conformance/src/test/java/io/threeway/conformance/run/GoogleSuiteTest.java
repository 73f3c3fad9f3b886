package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.conformance.script.ScriptParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs Google's packetdrill TCP tests, the ones Linux's maintainers write for Linux (read in place, GPL-2.0, never
 * copied: {@code ../shared/conformance/google-packetdrill/gtests/net/tcp}, or {@code THREEWAY_GOOGLE_SUITE}; under
 * {@code CI=true} a missing suite fails). A ratchet as for the FreeBSD suite ({@code google-baseline.txt}); and
 * every one of the scripts Linux 6.18 passes here ({@code linux-6.18-passing.txt}) must get past parsing and
 * set-up: none may fail on a script error or be skipped, whatever the engine does with it afterwards.
 */
class GoogleSuiteTest {
    private static final String SUITE = "conformance/google-packetdrill/gtests/net/tcp";
    private static final String LINUX_PASSING = "conformance/google-packetdrill/linux-6.18-passing.txt";

    @Test
    void noBaselineScriptStopsPassingAndLinuxsOwnAllGetPastSetUp() throws IOException {
        Path root = SuiteLocation.require(SUITE, "THREEWAY_GOOGLE_SUITE");
        List<ScriptResult> results = Ratchet.runAll(root);
        Path list = SuiteLocation.find(LINUX_PASSING, "THREEWAY_GOOGLE_SUITE_LIST");
        if (list != null) report(root, results, Set.copyOf(Files.readAllLines(list).stream().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        Ratchet.check(root, results, "/google-baseline.txt");
    }

    /** The 77: how many pass, and none stuck at parsing or set-up. */
    private static void report(Path root, List<ScriptResult> results, Set<String> linuxPassing) {
        int passed = 0;
        int seen = 0;
        List<String> stuck = new ArrayList<>();
        for (ScriptResult r : results) {
            String rel = Ratchet.relative(root, r);
            if (!linuxPassing.contains(rel)) continue;
            seen++;
            if (r.passed()) passed++;
            boolean scriptError = r.reason() != null && r.reason().startsWith("script error");
            if (scriptError || r.status() == ScriptResult.Status.SKIP) stuck.add(rel + ": " + r.reason());
        }
        System.out.println("Linux 6.18's passing scripts: " + passed + " of " + seen + " pass");
        assertTrue(seen == linuxPassing.size(), () -> "the list names scripts the suite does not have");
        assertTrue(stuck.isEmpty(), () -> "scripts Linux passes that do not get past parsing or set-up:\n" + String.join("\n", stuck));
    }

    @Test
    void everyScriptOfTheSuiteParses() throws IOException {
        Path root = SuiteLocation.require(SUITE, "THREEWAY_GOOGLE_SUITE");
        List<String> errors = new ArrayList<>();
        for (Path p : SuiteRunner.scripts(List.of(root))) {
            try {
                ScriptParser.parse(p, Set.of("Linux"));
            } catch (io.threeway.conformance.script.ScriptException e) {
                if (!e.getMessage().contains("TFO_COOKIE")) errors.add(e.getMessage());
            }
        }
        // TFO_COOKIE is a name packetdrill's command line defines (-D) for the fastopen/server scripts, not the script.
        assertTrue(errors.isEmpty(), () -> String.join("\n", errors));
    }
}
