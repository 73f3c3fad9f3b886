package io.threeway.cli;

import io.threeway.testing.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    static void assertUsageError(Run r, String expected) {
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains(expected), r::toString);
        assertTrue(r.err().contains("--help' for more information"), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void helpListsTheCommands() {
        Run r = Run.of("--help");
        assertEquals(0, r.status(), r::toString);
        for (String c : new String[] {"sysctl", "lab", "bench", "version"}) assertTrue(r.out().contains(c), c);
    }

    @Test
    void version() {
        Run r = Run.of("version");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("threeway "), r::toString);
        assertEquals(r.out(), Run.of("--version").out());
    }

    @Test
    void unknownOptionAndCommandAreUsageErrors() {
        assertUsageError(Run.of("--bogus"), "Unknown option: '--bogus'");
        assertUsageError(Run.of("sysctll"), "sysctll");
        assertUsageError(Run.of(), "missing command");
        assertUsageError(Run.of("lab"), "missing command");
        assertUsageError(Run.of("bench"), "missing command");
    }

    @Test
    void labListsTheHandshake() {
        Run r = Run.of("lab", "list");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("handshake ")), r::toString);
    }

    @Test
    void labOptionsAreChecked() {
        assertUsageError(Run.of("lab", "handshake", "--rtt", "100"), "no unit");
        assertUsageError(Run.of("lab", "handshake", "--rtt", "soon"), "not a duration");
        assertUsageError(Run.of("lab", "handshake", "--loss", "1.5"), "from 0 to 1");
        assertUsageError(Run.of("lab", "handshake", "--seed", "x"), "--seed");
        assertUsageError(Run.of("lab", "handshake", "--sysctl", "net.ipv4.tcp_foo=1"), "unknown setting 'net.ipv4.tcp_foo'");
        assertUsageError(Run.of("lab", "handshake", "--sysctl", "net.ipv4.tcp_syncookies"), "NAME=VALUE");
        assertUsageError(Run.of("lab", "run", "no-such-scenario"), "unknown scenario 'no-such-scenario'");
    }

    @Test
    void labRunFindsTheScenarioByName() {
        Run r = Run.of("lab", "run", "handshake", "--rtt", "1.5s", "--loss", "0.1", "--seed", "7",
                "--sysctl", "net.ipv4.tcp_syn_retries=2", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(r.out().strip()));
        assertEquals("handshake", m.get("scenario"));
        Map<?, ?> options = assertInstanceOf(Map.class, m.get("options"));
        assertEquals(1.5, ((Number) options.get("rtt_s")).doubleValue(), r::toString);
        assertEquals(0.1, ((Number) options.get("loss")).doubleValue(), r::toString);
        assertEquals(7.0, ((Number) options.get("seed")).doubleValue(), r::toString);
        assertEquals(Map.of("net.ipv4.tcp_syn_retries", "2"), options.get("sysctls"), r::toString);
        // RTT 1.5 s is longer than the initial RTO of 1 s: the SYN goes again at 1 s, before any SYN-ACK can
        // arrive; tcp_syn_retries=2 allows at most two such retransmissions.
        List<?> segments = assertInstanceOf(List.class, m.get("segments"));
        List<Double> synTimes = new ArrayList<>();
        for (Object o : segments) {
            Map<?, ?> seg = (Map<?, ?>) o;
            if ("out".equals(seg.get("direction")) && String.valueOf(seg.get("line")).contains("Flags [S],")) {
                synTimes.add(((Number) seg.get("t_s")).doubleValue());
            }
        }
        assertTrue(synTimes.size() >= 2 && synTimes.size() <= 3, "SYNs at " + synTimes);
        assertEquals(0.0, synTimes.get(0));
        assertEquals(1.0, synTimes.get(1), "the first retransmission after the initial RTO");
    }

    @Test
    void benchRpcJsonIsAnArrayOfComparisons() {
        Run r = Run.of("bench", "rpc", "--quick", "--json");
        assertEquals(0, r.status(), r::toString);
        List<?> list = assertInstanceOf(List.class, Json.parse(r.out().strip()), r::toString);
        assertEquals(3, list.size(), r::toString);
        Map<?, ?> p50 = assertInstanceOf(Map.class, list.get(0));
        assertEquals("rpc", p50.get("benchmark"));
        assertEquals("p50", p50.get("comparison"));
        assertEquals("us", p50.get("unit"));
        double threeway = assertInstanceOf(Double.class, p50.get("threeway"));
        double baseline = assertInstanceOf(Double.class, p50.get("baseline"));
        assertTrue(threeway > 0 && baseline > 0, r::toString);
        assertEquals(threeway / baseline, assertInstanceOf(Double.class, p50.get("ratio")), 1e-9 * threeway / baseline);
        assertTrue(((String) p50.get("baseline_name")).contains("java.net"), r::toString);
    }

    @Test
    void benchMarkdownIsATableRowPerComparison() {
        Run r = Run.of("bench", "rpc", "--quick", "--markdown");
        assertEquals(0, r.status(), r::toString);
        assertEquals("| comparison | Threeway | baseline | baseline is | ratio | goal |", r.outLines().get(0), r::toString);
        assertTrue(r.outLines().get(2).matches("\\| rpc/p50 \\| [0-9.,]+ us \\| [0-9.,]+ us \\| kernel .* \\| [0-9.]+ \\| <1\\.0: (met|not met) \\|"),
                r::toString);
        assertEquals("", r.outLines().get(5), "one row per comparison, then the figures beside them: " + r);
        assertEquals("| comparison | beside it, in the same run |", r.outLines().get(6), r::toString);
        assertEquals(11, r.outLines().size(), r::toString);
        assertTrue(r.outLines().get(8).startsWith("| rpc/p50 | ") && r.outLines().get(8).contains("threeway_engine_only_p50 "),
                r::toString);
    }

    @Test
    void benchTableShowsBothSidesAndWhatTheyDid() {
        Run r = Run.of("bench", "rpc", "--quick");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.outLines().get(0).matches("comparison\\s+threeway\\s+baseline\\s+unit\\s+ratio\\s+goal"), r::toString);
        assertTrue(r.outLines().get(1).startsWith("rpc/p50"), r::toString);
        assertTrue(r.out().contains("  threeway: Threeway sockets"), r::toString);
        assertTrue(r.out().contains("  baseline (kernel"), r::toString);
    }

    @Test
    void benchChecksItsOptions() {
        Run r = Run.of("bench", "conn-rate", "--seconds", "0");
        assertEquals(2, r.status(), r::toString);
        assertEquals("threeway: --seconds must be from 1 to 3600, got 0", r.err().strip());
        assertUsageError(Run.of("bench", "throughput", "--seconds", "big"), "--seconds");
        assertUsageError(Run.of("bench", "no-such-row"), "no-such-row");
        Run both = Run.of("bench", "rpc", "--quick", "--json", "--markdown");
        assertEquals(2, both.status(), both::toString);
        assertEquals("threeway: --json and --markdown exclude each other", both.err().strip());
    }
}
