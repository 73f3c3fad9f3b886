package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.trace.PcapWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dump's -c, filter expressions, -v and -X against the real tcpdump reading the same captures (scenarios'
 * pcaps): the output must be the same, line for line. Needs tcpdump (CI installs it; under CI=true a missing one
 * fails).
 */
class DumpOptionsTest {
    private static final List<List<String>> CASES = List.of(
            List.of("-c", "3"), List.of("-v"), List.of("-X", "-c", "4"), List.of("-v", "-X", "-c", "6"),
            List.of("tcp[tcpflags] & tcp-syn != 0"), List.of("tcp[13] & (tcp-syn|tcp-ack) == tcp-syn"),
            List.of("host", "198.18.0.2", "and", "tcp", "port", "80"), List.of("src port 80 and not tcp[tcpflags] & tcp-push != 0"),
            List.of("-c", "2", "dst", "198.18.0.1", "or", "(", "port", "81", ")"), List.of("not", "ip6", "&&", "tcp", "dst", "port", "80"),
            List.of("net", "198.18.0.0/16", "and", "!", "tcp[tcpflags]", "&", "tcp-ack", "!=", "0"));

    @Test
    void sameAsTcpdump(@TempDir Path dir) throws Exception {
        boolean have = hasTcpdump();
        if (!have && "true".equals(System.getenv("CI"))) fail("tcpdump is missing: install it (.ci/run does)");
        Assumptions.assumeTrue(have, "tcpdump is missing");
        for (String scenario : List.of("handshake", "backlog-overflow", "close-wait-leak")) {
            Path pcap = dir.resolve(scenario + ".pcap");
            List<String> lab = new ArrayList<>(List.of("lab", scenario, "--pcap", pcap.toString()));
            if (scenario.equals("close-wait-leak")) lab.addAll(List.of("-6", "--requests", "3")); // IPv6, HTTP on port 80
            assertEquals(0, Run.of(lab.toArray(String[]::new)).status());
            for (List<String> c : CASES) {
                List<String> ours = new ArrayList<>(List.of("dump"));
                List<String> real = new ArrayList<>(List.of("tcpdump", "-nn", "-r", pcap.toString()));
                List<String> opts = c.stream().filter(a -> a.startsWith("-") || a.matches("\\d+") && c.indexOf(a) > 0
                        && c.get(c.indexOf(a) - 1).equals("-c")).toList();
                List<String> expr = c.subList(opts.size(), c.size());
                ours.addAll(opts);
                ours.add(pcap.toString());
                ours.addAll(expr);
                real.addAll(opts);
                real.addAll(expr);
                Run r = Run.of(ours.toArray(String[]::new));
                assertEquals(0, r.status(), r::toString);
                assertEquals(run(real), r.out(), scenario + " " + c);
            }
        }
    }

    /** ICMP and ICMPv6 errors (pmtu-blackhole's "need to frag" and "packet too big") with -v and the icmp filters. */
    @Test
    void icmpErrorsSameAsTcpdump(@TempDir Path dir) throws Exception {
        boolean have = hasTcpdump();
        if (!have && "true".equals(System.getenv("CI"))) fail("tcpdump is missing: install it (.ci/run does)");
        Assumptions.assumeTrue(have, "tcpdump is missing");
        for (boolean v6 : List.of(false, true)) {
            Path pcap = dir.resolve("pmtu" + v6 + ".pcap");
            List<String> lab = new ArrayList<>(List.of("lab", "pmtu-blackhole", "--size", "20000", "--pcap", pcap.toString()));
            if (v6) lab.add("-6");
            assertEquals(0, Run.of(lab.toArray(String[]::new)).status());
            for (List<String> c : List.of(List.of("-v"), List.of("-v", "icmp"), List.of("-v", "icmp6"), List.of("not", "icmp"))) {
                List<String> ours = new ArrayList<>(List.of("dump"));
                List<String> real = new ArrayList<>(List.of("tcpdump", "-nn", "-r", pcap.toString()));
                List<String> opts = c.stream().filter(a -> a.startsWith("-")).toList();
                ours.addAll(opts);
                ours.add(pcap.toString());
                ours.addAll(c.subList(opts.size(), c.size()));
                real.addAll(c);
                Run r = Run.of(ours.toArray(String[]::new));
                assertEquals(0, r.status(), r::toString);
                String expected = run(real);
                assertEquals(expected, r.out(), "pmtu-blackhole v6=" + v6 + " " + c);
                if (c.equals(List.of("-v", "icmp"))) assertEquals(!v6, expected.contains("need to frag"), "pcap-filter's icmp is IPv4's only");
            }
        }
    }

    /**
     * ICMP errors quoting a whole TCP header, as Linux's quote up to 576 bytes (RFC 1812 §4.3.2.3): after a lab
     * conversation, an error for each of its TCP packets quoting the IP header, the TCP header and 8 bytes, another
     * quoting the whole packet (so tcpdump checks the quoted checksum) and one cut inside the header, with -v: the
     * quoted line as tcpdump prints it, relative sequence numbers from the conversation included.
     */
    @Test
    void icmpErrorsQuotingAWholeTcpHeaderSameAsTcpdump(@TempDir Path dir) throws Exception {
        boolean have = hasTcpdump();
        if (!have && "true".equals(System.getenv("CI"))) fail("tcpdump is missing: install it (.ci/run does)");
        Assumptions.assumeTrue(have, "tcpdump is missing");
        Path lab = dir.resolve("h.pcap");
        assertEquals(0, Run.of("lab", "handshake", "--pcap", lab.toString()).status());
        List<PcapPacket> packets = new ArrayList<>();
        try (InputStream in = Files.newInputStream(lab); PcapReader r = new PcapReader(in)) {
            for (PcapPacket p; (p = r.next()) != null; ) packets.add(p);
        }
        Path pcap = dir.resolve("icmp.pcap");
        int quotes = 0;
        try (OutputStream out = Files.newOutputStream(pcap); PcapWriter w = new PcapWriter(out)) {
            long t = 0;
            for (PcapPacket p : packets) w.write(p.data(), 0, p.data().length, t = p.timeNanos());
            for (PcapPacket p : packets) {
                byte[] d = p.data();
                int tcpHeader = ((d[32] & 0xff) >> 4) * 4;
                for (int quote : new int[] {20 + tcpHeader + 8, d.length, 20 + 12}) {
                    byte[] icmp = icmpError(d, Math.min(quote, d.length), quotes % 2 == 0 ? 3 : 11, quotes % 2 == 0 ? 4 : 0);
                    w.write(icmp, 0, icmp.length, t += 1_000_000);
                    quotes++;
                }
            }
        }
        String expected = run(List.of("tcpdump", "-nn", "-v", "-r", pcap.toString()));
        assertTrue(expected.contains("cksum") && expected.contains("[|tcp]") && expected.contains("need to frag"), expected);
        Run ours = Run.of("dump", "-v", pcap.toString());
        assertEquals(0, ours.status(), ours::toString);
        assertEquals(expected, ours.out());
    }

    /**
     * An ICMP error from a router at 198.18.0.254 to the packet's source ({@code type} 3 code 4: fragmentation needed,
     * MTU 576; type 11: time exceeded), quoting the first {@code quote} bytes of {@code packet}.
     */
    private static byte[] icmpError(byte[] packet, int quote, int type, int code) {
        byte[] p = new byte[20 + 8 + quote];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 1;
        p[12] = (byte) 198; p[13] = 18; p[14] = 0; p[15] = (byte) 254;
        System.arraycopy(packet, 12, p, 16, 4);
        put16(p, 10, checksum(p, 0, 20));
        p[20] = (byte) type;
        p[21] = (byte) code;
        if (type == 3 && code == 4) put16(p, 26, 576);
        System.arraycopy(packet, 0, p, 28, quote);
        put16(p, 22, checksum(p, 20, p.length - 20));
        return p;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code off}. */
    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) sum += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) ~sum & 0xffff;
    }

    @Test
    void aBadExpressionSaysWhere(@TempDir Path dir) {
        Path pcap = dir.resolve("h.pcap");
        Run.of("lab", "handshake", "--pcap", pcap.toString());
        MainTest.assertUsageError(Run.of("dump", pcap.toString(), "port", "http2"), "'http2' is not a number");
        MainTest.assertUsageError(Run.of("dump", pcap.toString(), "tcp", "and"), "the expression ends too soon");
        MainTest.assertUsageError(Run.of("dump", pcap.toString(), "frobnicate"), "'frobnicate' is not a filter primitive");
        MainTest.assertUsageError(Run.of("dump", "-c", "0", pcap.toString()), "-c: 0 is not a count");
    }

    private static boolean hasTcpdump() {
        try {
            run(List.of("tcpdump", "--version"));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
        return out;
    }
}
