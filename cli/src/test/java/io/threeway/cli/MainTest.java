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
    void benchConnRateJson() {
        Run r = Run.of("bench", "conn-rate", "--seconds", "1", "--warmup", "200ms", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(r.out().strip()));
        assertEquals("conn-rate", m.get("benchmark"));
        assertEquals("conn/s", m.get("unit"));
        double linux = assertInstanceOf(Double.class, m.get("linux"));
        double threeway = assertInstanceOf(Double.class, m.get("threeway"), r::toString);
        assertTrue(linux > 0 && threeway > 0, r::toString);
        double ratio = assertInstanceOf(Double.class, m.get("ratio"));
        assertEquals(threeway / linux, ratio, 0.0006, "ratio is Threeway's rate over the kernel's, to 3 places");
    }

    @Test
    void benchThroughputTable() {
        Run r = Run.of("bench", "throughput", "--seconds", "1", "--warmup", "100ms");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.outLines().get(0).matches("metric\\s+threeway\\s+linux\\s+ratio"), r::toString);
        assertTrue(r.outLines().get(1).startsWith("throughput (MB/s)"), r::toString);
    }

    @Test
    void benchChecksItsOptions() {
        Run r = Run.of("bench", "conn-rate", "--seconds", "0");
        assertEquals(2, r.status(), r::toString);
        assertEquals("threeway: --seconds must be from 1 to 3600, got 0", r.err().strip());
        assertUsageError(Run.of("bench", "throughput", "--mtu", "big"), "--mtu");
    }
}
