package io.threeway.cli;

import io.threeway.testing.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // The handshake placeholder reports "not available yet" until the engine lands; either way it is no crash.
        Run r = Run.of("lab", "run", "handshake", "--rtt", "1.5s", "--loss", "0.1", "--seed", "7",
                "--sysctl", "net.ipv4.tcp_syn_retries=2", "--json");
        assertFalse(r.err().contains("Exception"), r::toString);
        assertFalse(r.err().contains("internal error"), r::toString);
        if (r.status() != 0) assertEquals(1, r.errLines().size(), r::toString);
    }

    @Test
    void benchConnRateJson() {
        Run r = Run.of("bench", "conn-rate", "--seconds", "1", "--warmup", "200ms", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(r.out().strip()));
        assertEquals("conn-rate", m.get("benchmark"));
        assertEquals("conn/s", m.get("unit"));
        double linux = assertInstanceOf(Double.class, m.get("linux"));
        assertTrue(linux > 0, r::toString);
        assertTrue(m.containsKey("threeway") && m.containsKey("ratio"), r::toString);
        if (m.get("threeway") == null) assertNull(m.get("ratio"));
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
