package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Errors name their cause, in words a user can act on (issue 16's list, each of which used to read otherwise). */
class ErrorMessagesTest {

    @Test
    void anUnknownScenarioIsCalledOne() {
        Run r = Run.of("lab", "nosuch");
        MainTest.assertUsageError(r, "threeway lab: unknown scenario 'nosuch' (see 'threeway lab list')");
        assertFalse(r.err().contains("Unmatched argument"), r::toString);
        MainTest.assertUsageError(Run.of("lab", "run", "nosuch"), "unknown scenario 'nosuch'");
        MainTest.assertUsageError(Run.of("nosuch"), "threeway: unknown command 'nosuch'");
    }

    @Test
    void curlHelpHasNoPicocliWarning() {
        Run r = Run.of("curl", "--help");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("Usage: threeway curl"), r::toString);
        assertFalse((r.out() + r.err()).contains("WARN"), r::toString);
        assertTrue(r.out().contains("-w '%{time_connect} %{time_total}"), r::toString);
    }

    @Test
    void everyScenariosHelpPrintsWithoutPicocliWarnings() {
        for (var s : io.threeway.lab.Scenarios.all()) {
            Run r = Run.of("lab", s.name(), "--help");
            assertEquals(0, r.status(), r::toString);
            assertFalse((r.out() + r.err()).contains("WARN"), s.name() + ": " + r);
            if (!s.refusedOptions().containsKey("loss")) assertTrue(r.out().contains("10%"), "a percentage reads as typed: " + r);
            for (String refused : s.refusedOptions().keySet()) {
                assertTrue(r.out().replaceAll("\\s+", " ").contains("--" + refused + "=" ), s.name() + " lists --" + refused);
                assertTrue(r.out().replaceAll("\\s+", " ").contains("Refused by " + s.name() + ":"), s.name() + "'s help says what it refuses");
            }
        }
    }

    @Test
    void aSeedThatIsNotANumberSaysSo() {
        Run r = Run.of("lab", "handshake", "--seed", "abc");
        MainTest.assertUsageError(r, "Invalid value for option '--seed': 'abc' is not a whole number");
        assertFalse(r.err().contains("long"), r::toString);
    }

    @Test
    void benchSecondsTakeAUnitAndSayWhatToWrite() {
        Run r = Run.of("bench", "conn-rate", "--seconds", "2x");
        MainTest.assertUsageError(r, "'2x' is not a whole number of seconds: write e.g. 5 or 5s");
        assertFalse(r.err().contains("int"), r::toString);
        assertEquals(2, new BenchCommand.WholeSeconds().convert("2s"));
        assertEquals(7, new BenchCommand.WholeSeconds().convert("7"));
    }

    @Test
    void aPcapInAMissingDirectoryNamesTheDirectory() {
        Run r = Run.of("lab", "handshake", "--pcap", "/nonexistent/dir/x.pcap");
        MainTest.assertUsageError(r, "--pcap: cannot write /nonexistent/dir/x.pcap: no directory /nonexistent/dir");
    }
}
