package io.threeway.lab.handshake;

import io.threeway.testing.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.ScenarioOptions;
import io.threeway.settings.Sysctls;
import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandshakeScenarioTest {

    record Out(int status, String text) {}

    static ScenarioOptions options(Duration rtt, double loss, long seed, Path pcap, boolean json) {
        return new ScenarioOptions(rtt, loss, seed, pcap, json, new Sysctls());
    }

    static Out run(ScenarioOptions o) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int status;
        try (PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8)) {
            status = new HandshakeScenario().run(o, p);
        }
        return new Out(status, b.toString(StandardCharsets.UTF_8));
    }

    static Out run(long seed) throws Exception {
        return run(options(Duration.ofMillis(100), 0, seed, null, false));
    }

    @Test
    void handshakeSegmentsAtTheTimesTheClientSeesThem() throws Exception {
        Out o = run(1);
        assertEquals(0, o.status(), o.text());
        List<String> segs = o.text().lines().map(String::strip).filter(l -> l.matches("\\d+\\.\\d{6} IP .*")).toList();
        assertTrue(segs.size() >= 10, o.text());
        assertTrue(segs.get(0).startsWith("0.000000 IP 198.18.0.1."), segs.get(0));
        assertTrue(segs.get(0).contains(" > 198.18.0.2.80: Flags [S], seq "), segs.get(0));
        assertTrue(segs.get(1).startsWith("0.100000 IP 198.18.0.2.80 > 198.18.0.1."), segs.get(1));
        assertTrue(segs.get(1).contains("Flags [S.], seq "), segs.get(1));
        assertTrue(segs.get(2).startsWith("0.100000 IP 198.18.0.1."), segs.get(2));
        assertTrue(segs.get(2).contains("Flags [.], ack 1, "), segs.get(2));
        assertTrue(o.text().contains("HTTP: GET / HTTP/1.1"), o.text());
        assertTrue(o.text().contains("HTTP: HTTP/1.1 200 OK"), o.text());
        assertTrue(o.text().startsWith("threeway lab handshake: client 198.18.0.1:"), o.text());
        assertTrue(o.text().lines().findFirst().orElseThrow().endsWith("rtt 100ms (50ms each way), loss 0%, seed 1"), o.text());
    }

    @Test
    void transitionsOfBothEndsInOrder() throws Exception {
        String t = run(1).text();
        String[] expected = {
            "0.000000  client  CLOSED       -> SYN-SENT      connect()",
            "0.050000  server  LISTEN       -> SYN-RECEIVED  SYN received",
            "0.100000  client  SYN-SENT     -> ESTABLISHED",
            "0.150000  server  SYN-RECEIVED -> ESTABLISHED",
            "client  ESTABLISHED  -> FIN-WAIT-1",
            "server  ESTABLISHED  -> CLOSE-WAIT",
            "server  CLOSE-WAIT   -> LAST-ACK",
            "client  FIN-WAIT-1   -> FIN-WAIT-2",
            "client  FIN-WAIT-2   -> TIME-WAIT",
            "server  LAST-ACK     -> CLOSED",
            "60.300000  client  TIME-WAIT    -> CLOSED",
        };
        int at = 0;
        for (String e : expected) {
            int i = t.indexOf(e, at);
            assertTrue(i >= 0, "missing or out of order: " + e + "\n" + t);
            at = i;
        }
        assertTrue(t.contains("TIME-WAIT              60.000 s") || t.matches("(?s).*TIME-WAIT\\s+60\\.000 s.*"), t);
        assertTrue(t.matches("(?s).*handshake\\s+100\\.000 ms\\s+connect\\(\\) at 0\\.000000, ESTABLISHED at 0\\.100000.*"), t);
        assertTrue(t.matches("(?s).*result\\s+ok\\s+.*"), t);
    }

    /** The ISN lines agree with the packets: the SYN's seq, the SYN-ACK's seq and ack, the final ACK's ack. */
    @Test
    void isnArithmeticMatchesTheRecordedPackets() throws Exception {
        String t = run(3).text();
        long clientIsn = number(t, "client ISN\\s+(\\d+)");
        long serverIsn = number(t, "server ISN\\s+(\\d+)");
        long synAckAck = number(t, "SYN-ACK's ack\\s+(\\d+)");
        long finalAck = number(t, "final ACK's ack\\s+(\\d+)");
        assertEquals(clientIsn, number(t, "Flags \\[S\\], seq (\\d+)"));
        assertEquals(serverIsn, number(t, "Flags \\[S\\.\\], seq (\\d+)"));
        assertEquals((clientIsn + 1) & 0xFFFFFFFFL, synAckAck);
        assertEquals(synAckAck, number(t, "Flags \\[S\\.\\], seq \\d+, ack (\\d+)"));
        assertEquals((serverIsn + 1) & 0xFFFFFFFFL, finalAck);
        assertTrue(t.contains("= client ISN + 1 = " + synAckAck), t);
        assertTrue(t.contains("= server ISN + 1 = " + finalAck), t);
        // Bytes: the request and the response, and snd.nxt adds up to SYN + data + FIN.
        assertTrue(t.matches("(?s).*client sent\\s+" + HandshakeScenario.REQUEST.length + " bytes  snd\\.nxt \\d+ = ISN \\+ "
                + (HandshakeScenario.REQUEST.length + 2) + " \\(SYN 1 \\+ data " + HandshakeScenario.REQUEST.length + " \\+ FIN 1\\).*"), t);
        assertTrue(t.matches("(?s).*server sent\\s+" + HandshakeScenario.RESPONSE.length + " bytes.*"), t);
        assertTrue(!t.contains("does not add up"), t);
    }

    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not found in\n" + text);
        return Long.parseLong(m.group(1));
    }

    /** The key figures for two settings: they follow the RTT, and TIME-WAIT stays Linux's 60 s. */
    @Test
    void handshakeTimeFollowsTheRtt() throws Exception {
        for (int rttMs : new int[] {100, 40}) {
            Out o = run(options(Duration.ofMillis(rttMs), 0, 1, null, true));
            assertEquals(0, o.status(), o.text());
            Map<?, ?> figures = figures(assertInstanceOf(Map.class, Json.parse(o.text().strip())));
            assertEquals(rttMs / 1000.0, value(figures, "handshake"), 1e-9, "one RTT at " + rttMs + " ms");
            assertEquals(60.0, value(figures, "time_wait"));
        }
    }

    @Test
    void jsonParsesAndHasTheRequiredKeys() throws Exception {
        Out o = run(options(Duration.ofMillis(100), 0, 1, null, true));
        assertEquals(0, o.status(), o.text());
        Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(o.text().strip()));
        List<?> segments = assertInstanceOf(List.class, m.get("segments"));
        List<?> transitions = assertInstanceOf(List.class, m.get("transitions"));
        Map<?, ?> isn = assertInstanceOf(Map.class, m.get("isn"));
        Map<?, ?> figures = figures(m);
        Map<?, ?> first = assertInstanceOf(Map.class, segments.get(0));
        assertEquals(0.0, first.get("t_s"));
        assertTrue(((String) first.get("line")).contains("Flags [S]"), first.toString());
        assertEquals(0.1, ((Map<?, ?>) segments.get(1)).get("t_s"));
        Map<?, ?> tr = assertInstanceOf(Map.class, transitions.get(0));
        assertEquals("client", tr.get("endpoint"));
        assertEquals("CLOSED", tr.get("from"));
        assertEquals("SYN-SENT", tr.get("to"));
        assertEquals("connect()", tr.get("cause"));
        assertNotNull(tr.get("t_s"));
        double clientIsn = (Double) isn.get("client");
        assertEquals(clientIsn + 1, (Double) isn.get("syn_ack_ack"));
        assertEquals((Double) isn.get("server") + 1, (Double) isn.get("final_ack_ack"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) figures.get("ok")).get("value"));
        assertEquals(0.1, value(figures, "handshake"));
        assertEquals(60.0, value(figures, "time_wait"));
        assertEquals("s", ((Map<?, ?>) figures.get("time_wait")).get("unit"), "durations in seconds");
    }

    /** The figures of the report's one variant, by key. */
    private static Map<?, ?> figures(Map<?, ?> doc) {
        List<?> results = assertInstanceOf(List.class, doc.get("results"));
        return assertInstanceOf(Map.class, ((Map<?, ?>) results.getFirst()).get("figures"));
    }

    private static double value(Map<?, ?> figures, String key) {
        return (Double) assertInstanceOf(Map.class, figures.get(key)).get("value");
    }

    @Test
    void sameSeedSameBytesDifferentSeedDifferentIsns() throws Exception {
        for (boolean json : new boolean[] {false, true}) {
            Out a = run(options(Duration.ofMillis(100), 0.2, 42, null, json));
            Out b = run(options(Duration.ofMillis(100), 0.2, 42, null, json));
            assertEquals(a.text(), b.text());
            Out c = run(options(Duration.ofMillis(100), 0.2, 43, null, json));
            assertNotEquals(a.text(), c.text());
        }
        assertNotEquals(number(run(1).text(), "client ISN\\s+(\\d+)"), number(run(2).text(), "client ISN\\s+(\\d+)"));
        assertNotEquals(number(run(1).text(), "server ISN\\s+(\\d+)"), number(run(2).text(), "server ISN\\s+(\\d+)"));
    }

    /** Loss: SYN retransmissions show, and every seed either tells a complete story or says the handshake failed. */
    @Test
    void lossIsToldTruthfully() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Out o = run(options(Duration.ofMillis(100), 0.3, seed, null, false));
            if (o.status() == 0) {
                assertTrue(o.text().matches("(?s).*result\\s+ok.*"), o.text());
            } else {
                assertTrue(o.text().contains("FAILED"), o.text());
            }
        }
        // Seed 5 at 30% loss loses two SYNs and the client's last ACK (regression: the server's FIN timer was lost).
        Out o = run(options(Duration.ofMillis(100), 0.3, 5, null, false));
        assertEquals(0, o.status(), o.text());
        assertTrue(o.text().contains("client 2 (2 SYN)"), o.text());
        assertTrue(o.text().contains("1.000000 IP 198.18.0.1."), o.text());
        // Everything lost: the handshake fails and the exit status says so.
        Out dead = run(options(Duration.ofMillis(100), 1.0, 1, null, false));
        assertEquals(1, dead.status(), dead.text());
        assertTrue(dead.text().contains("the handshake failed"), dead.text());
    }

    @Test
    void pcapIsReadableAndMatchesTheTextOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("handshake.pcap");
        Out o = run(options(Duration.ofMillis(100), 0, 1, file, false));
        assertEquals(0, o.status(), o.text());
        List<String> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); PcapReader r = new PcapReader(in)) {
            assertEquals(PcapWriter.LINKTYPE_RAW, r.linkType());
            TcpdumpFormatter f = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
            PcapPacket p;
            while ((p = r.next()) != null) lines.add(f.format(p));
        }
        List<String> printed = o.text().lines().map(String::strip).filter(l -> l.matches("\\d+\\.\\d{6} IP .*")).toList();
        assertEquals(printed, lines);

        Assumptions.assumeTrue(tcpdumpAvailable(), "tcpdump is not installed: skipping the tcpdump -r check");
        Process p = new ProcessBuilder("tcpdump", "-r", file.toString(), "-nn", "-tt")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> tcpdump = out.lines().toList();
        assertTrue(tcpdump.get(0).contains("Flags [S],"), out);
        assertTrue(tcpdump.get(1).contains("Flags [S.],"), out);
        assertTrue(tcpdump.get(2).contains("Flags [.],"), out);
        assertEquals(printed, tcpdump, "tcpdump -r -nn -tt prints what the scenario printed");
    }

    static boolean tcpdumpAvailable() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, "tcpdump").canExecute()) return true;
        }
        return false;
    }

    @Test
    void overIpv6TheSameStoryBetween2001Db8Addresses() throws Exception {
        Out v4 = run(1);
        Out v6 = run(options(Duration.ofMillis(100), 0, 1, null, false).withIpv6(true));
        assertEquals(0, v6.status(), v6.text());
        assertTrue(v6.text().startsWith("threeway lab handshake: client [2001:db8::1]:"), v6.text());
        List<String> segs = v6.text().lines().map(String::strip).filter(l -> l.matches("\\d+\\.\\d{6} IP6 .*")).toList();
        assertEquals(v4.text().lines().map(String::strip).filter(l -> l.matches("\\d+\\.\\d{6} IP .*")).count(), segs.size(), v6.text());
        assertTrue(segs.getFirst().contains("2001:db8::1.") && segs.getFirst().contains("> 2001:db8::2.80: Flags [S]"), segs.getFirst());
        assertTrue(segs.getFirst().contains("mss 1440"), "the MSS is 20 bytes smaller over IPv6: " + segs.getFirst());
    }

    /**
     * A duplicated FIN makes the client ACK twice; the second ACK finds the server closed and draws an RST, which
     * ends TIME-WAIT after one RTT under tcp_rfc1337=0 (Linux's default). The report says so where it happens, and
     * tcp_rfc1337=1 keeps TIME-WAIT.
     */
    @Test
    void anRstThatEndsTimeWaitIsExplainedAndRfc1337KeepsIt() throws Exception {
        ScenarioOptions dup = options(Duration.ofMillis(100), 0, 1, null, false);
        dup = dup.withLink(dup.link().withDuplicate(0.3));
        Out linux = run(dup);
        assertEquals(0, linux.status(), linux.text());
        assertTrue(linux.text().contains("TIME-WAIT            100.000 ms  client, from 0.300000 to 0.400000, ended by the server's RST (why: below)"),
                linux.text());
        assertTrue(linux.text().contains("Why TIME-WAIT lasted 100.000 ms, not 60.000 s: an RST from the server arrived at 0.400000. "
                + "The server had closed at 0.350000 (LAST-ACK -> CLOSED: ACK of FIN received) and the client had acknowledged its FIN 2 times"),
                linux.text());
        assertTrue(linux.text().contains("Under net.ipv4.tcp_rfc1337=0, Linux's default, an RST ends TIME-WAIT at once"), linux.text());
        Object conclusions = assertInstanceOf(Map.class, Json.parse(run(dup.withJson(true)).text().strip())).get("conclusions");
        assertTrue(conclusions.toString().contains("TIME-WAIT assassination"), String.valueOf(conclusions));

        Out rfc1337 = run(dup.withSysctl("net.ipv4.tcp_rfc1337=1"));
        assertTrue(rfc1337.text().contains("TIME-WAIT              60.000 s  client, from 0.300000 to 60.300000\n"), rfc1337.text());
        assertTrue(rfc1337.text().contains("An RST from the server arrived in TIME-WAIT at 0.400000 and was ignored."), rfc1337.text());

        Out clean = run(1);
        assertTrue(!clean.text().contains("RST") && clean.text().contains("TIME-WAIT              60.000 s"), clean.text());
    }
}
