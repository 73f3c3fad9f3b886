package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools and the scenarios from the command line: formats, determinism, and errors as one line. */
class ToolsCliTest {

    static void assertOneLineError(Run r, int status, String expected) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.err().contains(expected), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void labListHasOneLinePerScenario() {
        Run r = Run.of("lab", "list");
        assertEquals(0, r.status(), r::toString);
        for (String s : new String[] {"refused-vs-timeout", "syn-retries", "syn-flood", "backlog-overflow",
                "time-wait-exhaustion", "close-wait-leak", "half-open", "retries2"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s + " ")), s);
        }
    }

    @Test
    void ssOnAScenarioMomentAsFormatsMd() {
        Run r = Run.of("ss", "-tan", "--scenario", "backlog-overflow", "--at", "500ms", "--host", "server",
                "-P", "clients=8", "-P", "backlog=2");
        assertEquals(0, r.status(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals("State      Recv-Q Send-Q  Local Address:Port  Peer Address:Port", lines[0]);
        assertTrue(lines[1].matches("LISTEN     3      2             0\\.0\\.0\\.0:80         0\\.0\\.0\\.0:\\*"), lines[1]);
        assertTrue(r.out().contains("ESTAB"), r::toString);
        Run same = Run.of("lab", "run", "backlog-overflow", "--clients", "8", "--backlog", "2", "--at", "500ms",
                "--host", "server", "--ss", "-tan");
        assertEquals(r.out(), same.out(), "both spellings show the same moment");
        Run summary = Run.of("ss", "-s", "--scenario", "close-wait-leak", "--host", "server", "-P", "requests=5");
        assertEquals("Total: 6\nTCP:   6 (estab 5, closed 0, orphaned 0, timewait 0)\n\nTransport Total     IP        IPv6\n"
                + "RAW\t  0         0         0        \nUDP\t  0         0         0        \n"
                + "TCP\t  6         6         0        \nINET\t  6         6         0        \n"
                + "FRAG\t  0         0         0        \n\n", summary.out(), "ss -s as iproute2 lays it out");
        Run cw = Run.of("ss", "-tn", "state", "close-wait", "--scenario", "close-wait-leak", "--host", "server", "-P", "requests=5");
        assertEquals(6, cw.out().lines().count(), cw::toString);
    }

    @Test
    void nstatAndNetstatOnAScenario() {
        Run r = Run.of("nstat", "--scenario", "backlog-overflow", "--host", "server", "-P", "clients=8", "-P", "backlog=2",
                "TcpExtListen*");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("#kernel\nTcpExtListenOverflows"), r::toString);
        assertTrue(r.out().lines().skip(1).allMatch(l -> l.matches("TcpExt\\w+ +\\d+ +\\d+\\.\\d")), r::toString);
        Run n = Run.of("netstat", "-s", "--scenario", "refused-vs-timeout", "--host", "refused/server");
        assertTrue(n.out().contains("    1 resets sent"), n::toString);
    }

    @Test
    void sameSeedSameBytes() {
        String[] args = {"lab", "run", "time-wait-exhaustion", "--rate", "100", "--duration", "3s", "--seed", "9", "--json"};
        Run a = Run.of(args);
        assertEquals(0, a.status(), a::toString);
        assertEquals(a.out(), Run.of(args).out());
        Run s1 = Run.of("ss", "-tanio", "--scenario", "handshake", "--at", "120ms", "--seed", "4");
        assertEquals(s1.out(), Run.of("ss", "-tanio", "--scenario", "handshake", "--at", "120ms", "--seed", "4").out());
    }

    @Test
    void dumpPrintsTcpdumpLinesAndRejectsGarbage(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("r.pcap");
        assertEquals(0, Run.of("lab", "run", "refused-vs-timeout", "--pcap", pcap.toString()).status());
        Run d = Run.of("dump", "-S", pcap.toString());
        assertEquals(0, d.status(), d::toString);
        String[] lines = d.out().split("\n");
        assertEquals(2, lines.length, d::toString);
        assertTrue(lines[0].matches("00:00:00\\.000000 IP 198\\.18\\.0\\.1\\.\\d+ > 198\\.18\\.0\\.2\\.80: Flags \\[S\\], seq \\d+, win 64240, options \\[.*\\], length 0"), lines[0]);
        assertTrue(lines[1].matches("00:00:00\\.100000 IP 198\\.18\\.0\\.2\\.80 > 198\\.18\\.0\\.1\\.\\d+: Flags \\[R\\.\\], seq 0, ack \\d+, win 0, length 0"), lines[1]);
        Path junk = dir.resolve("junk.pcap");
        Files.writeString(junk, "this is not a capture at all");
        Run bad = Run.of("dump", junk.toString());
        assertOneLineError(bad, 1, "not a pcap file");
        assertEquals(1, bad.errLines().size(), bad::toString);
        assertOneLineError(Run.of("dump", dir.resolve("missing.pcap").toString()), 1, "no such file");
    }

    @Test
    void badInputIsOneClearLine() {
        assertOneLineError(Run.of("lab", "run", "no-such"), 2, "unknown scenario 'no-such'");
        assertOneLineError(Run.of("ss", "--scenario", "no-such"), 2, "unknown scenario 'no-such'");
        assertOneLineError(Run.of("lab", "run", "syn-retries", "--sysctl", "net.ipv4.tcp_nope=1"), 2, "unknown setting");
        assertOneLineError(Run.of("lab", "run", "syn-retries", "--sysctl", "net.ipv4.tcp_syn_retries=x"), 2, "tcp_syn_retries");
        assertOneLineError(Run.of("ss", "-tan", "state", "sleepy", "--scenario", "handshake"), 2, "unknown state 'sleepy'");
        assertOneLineError(Run.of("ss", "-tan"), 2, "no stack to show");
        assertOneLineError(Run.of("lab", "run", "time-wait-exhaustion", "--rate", "lots"), 2, "--rate");
    }
}
