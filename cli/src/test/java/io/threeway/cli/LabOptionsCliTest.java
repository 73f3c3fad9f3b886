package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line takes the lab's options from the one catalogue, and refuses values with its messages. */
class LabOptionsCliTest {
    private static final Scenario HANDSHAKE = Scenarios.find("handshake").orElseThrow();

    /** The reason the catalogue gives for one bad field. */
    private static String reason(Scenario s, String... assignments) {
        var e = assertThrows(OptionException.OptionsException.class, () -> LabOptions.build(s, List.of(assignments)));
        return e.errors().getFirst().reason();
    }

    @Test
    void badValuesReadTheSameOnTheCommandLineAsInTheCatalogue() {
        String[][] cases = {{"--rtt", "abc", "rtt=abc"}, {"--loss", "2", "loss=2"}, {"--seed", "abc", "seed=abc"},
            {"--mtu", "10", "mtu=10"}, {"--bandwidth", "fast", "bandwidth=fast"},
            {"--sysctl", "net.ipv4.tcp_nope=1", "sysctl=net.ipv4.tcp_nope=1"}};
        for (String[] c : cases) {
            Run r = Run.of("lab", "handshake", c[0], c[1]);
            MainTest.assertUsageError(r, "Invalid value for option '" + c[0] + "'");
            assertTrue(r.err().contains(": " + reason(HANDSHAKE, c[2]) + "\n"), r::toString);
        }
    }

    @Test
    void crossFieldChecksNameTheField() {
        MainTest.assertUsageError(Run.of("lab", "handshake", "--rtt", "10ms", "--jitter", "6ms"),
                "--jitter: " + reason(HANDSHAKE, "rtt=10ms", "jitter=6ms"));
        MainTest.assertUsageError(Run.of("lab", "run", "handshake", "--queue", "10"), "--queue: the path has no bandwidth limit");
        MainTest.assertUsageError(Run.of("lab", "run", "handshake", "--pcap", "/nonexistent/dir/x.pcap"),
                "--pcap: cannot write /nonexistent/dir/x.pcap: no directory /nonexistent/dir");
    }

    @Test
    void helpListsEveryFieldWithTheScenariosOwnDefaults() {
        Scenario tw = Scenarios.find("time-wait-exhaustion").orElseThrow();
        String help = Run.of("lab", "time-wait-exhaustion", "--help").out();
        for (var f : LabOptions.fields(tw)) assertTrue(help.contains(f.option()), f.option() + "\n" + help);
        assertTrue(help.contains("(default: 500us)"), help);
        assertTrue(help.contains("-6, --ipv6"), help);
    }

    @Test
    void theToolsTakeTheCommonOptionsAndTheScenariosThroughP() {
        Run near = Run.of("ss", "-tan", "--scenario", "handshake", "--host", "client", "--rtt", "1ms", "--at", "1500us");
        Run far = Run.of("ss", "-tan", "--scenario", "handshake", "--host", "client", "-P", "rtt=10ms", "--at", "1500us");
        assertTrue(near.out().contains("ESTAB"), near::toString);
        assertTrue(far.out().contains("SYN-SENT"), far::toString);
        MainTest.assertUsageError(Run.of("ss", "-tan", "--scenario", "handshake", "--json"), "Unknown option: '--json'");
    }
}
