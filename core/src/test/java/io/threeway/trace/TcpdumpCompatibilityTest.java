package io.threeway.trace;

import static io.threeway.wire.TestPackets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * The proof that {@link TcpdumpFormatter} is faithful: write a capture full of ordinary and odd packets, have
 * the real tcpdump print it, and compare every line after the timestamp. Skipped when tcpdump is not
 * installed.
 */
class TcpdumpCompatibilityTest {
    @TempDir
    Path dir;

    /** Packets in capture order. */
    static List<byte[]> corpus() {
        List<byte[]> out = new ArrayList<>();
        int c = 1000, s = 5000;
        // A handshake, data, SACK, FIN exchange over IPv4 (the formats.md conversation).
        out.add(packet(A4, B4, linuxSyn(52431, 8080, c)));
        TcpSegment synAck = segment(8080, 52431, s, c + 1, TcpFlags.SYN | TcpFlags.ACK, 65160);
        synAck.options.mss = 1460;
        out.add(packet(B4, A4, synAck));
        out.add(packet(A4, B4, segment(52431, 8080, c + 1, s + 1, TcpFlags.ACK, 502)));
        out.add(packet(A4, B4, withPayload(segment(52431, 8080, c + 1, s + 1, TcpFlags.PSH | TcpFlags.ACK, 502), 100)));
        TcpSegment sack = segment(8080, 52431, s + 1, c + 101, TcpFlags.ACK, 501);
        sack.options.timestamps = true;
        sack.options.tsVal = 77;
        sack.options.tsEcr = 66;
        sack.options.addSack(c + 201, c + 301);
        sack.options.addSack(c + 401, c + 501);
        out.add(packet(B4, A4, sack));
        out.add(packet(A4, B4, segment(52431, 8080, c + 101, s + 1, TcpFlags.FIN | TcpFlags.PSH | TcpFlags.ACK, 502)));
        out.add(packet(B4, A4, segment(8080, 52431, s + 1, 0, TcpFlags.RST, 0)));
        TcpSegment urg = segment(52431, 8080, c + 102, s + 1, TcpFlags.URG | TcpFlags.ACK | TcpFlags.ECE | TcpFlags.CWR, 502);
        urg.urgentPointer = 3;
        out.add(packet(A4, B4, withPayload(urg, 5)));
        out.add(packet(A4, B4, segment(52431, 8080, c + 1, 0, 0, 0)));

        // Every SYN option subset in the Linux layout, and Fast Open forms.
        for (int mask = 0; mask < 16; mask++) {
            TcpSegment syn = segment(40000 + mask, 22, 7, 0, TcpFlags.SYN, 64240);
            if ((mask & 1) != 0) syn.options.mss = 1460;
            if ((mask & 2) != 0) syn.options.sackPermitted = true;
            if ((mask & 4) != 0) { syn.options.timestamps = true; syn.options.tsVal = 123456; }
            if ((mask & 8) != 0) syn.options.windowScale = 8;
            out.add(packet(A4, B4, syn));
            out.add(PacketBuilder.buildTcp(A4, B4, syn, OptionLayout.FREEBSD, 0));
        }
        TcpSegment tfoReq = linuxSyn(41000, 443, 1);
        tfoReq.options.setFastOpenCookie(new byte[0], 0);
        out.add(packet(A4, B4, tfoReq));
        TcpSegment tfo = linuxSyn(41001, 443, 1);
        tfo.options.setFastOpenCookie(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 8);
        out.add(packet(A4, B4, withPayload(tfo, 10)));
        TcpSegment tfoExp = linuxSyn(41002, 443, 1);
        tfoExp.options.setFastOpenCookie(new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD}, 4);
        tfoExp.options.fastOpenExperimental = true;
        out.add(packet(A4, B4, tfoExp));
        TcpSegment tfoExpReq = linuxSyn(41003, 443, 1);
        tfoExpReq.options.setFastOpenCookie(new byte[0], 0);
        tfoExpReq.options.fastOpenExperimental = true;
        out.add(packet(A4, B4, tfoExpReq));

        // IPv6 handshake.
        out.add(packet(A6, B6, linuxSyn(52431, 8080, c)));
        TcpSegment synAck6 = segment(8080, 52431, s, c + 1, TcpFlags.SYN | TcpFlags.ACK, 65160);
        synAck6.options.mss = 1440;
        out.add(packet(B6, A6, synAck6));
        out.add(packet(A6, B6, segment(52431, 8080, c + 1, s + 1, TcpFlags.ACK, 502)));
        out.add(packet(A6, B6, withPayload(segment(52431, 8080, c + 1, s + 1, TcpFlags.PSH | TcpFlags.ACK, 502), 20)));

        // Hand-made option areas: unknown kinds, wrong lengths, malformed lengths.
        out.add(rawOptions(new int[] {77, 4, 0xAB, 0xCD, 1, 1, 1, 0}));          // unknown, nops, eol
        out.add(rawOptions(new int[] {99, 4, 1, 2}));                              // unknown kind
        out.add(rawOptions(new int[] {2, 5, 5, 0xB4, 0, 1, 1, 1}));                // MSS with length 5
        out.add(rawOptions(new int[] {2, 4, 5, 0xB4, 5, 7, 0, 0, 0, 0, 0, 0}));    // SACK with bad length
        out.add(rawOptions(new int[] {2, 4, 5, 0xB4, 3, 0, 1, 1}));                // length 0 after an option
        out.add(rawOptions(new int[] {3, 1, 1, 1}));                               // length 1 first
        out.add(rawOptions(new int[] {2, 4, 5, 0xB4, 8, 12, 0, 0}));               // overruns the header
        out.add(rawOptions(new int[] {0, 2, 4, 5, 0xB4, 1, 1, 1}));                // EOL first, then junk
        out.add(rawOptions(new int[] {8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1}));      // TS without NOPs
        out.add(rawOptions(new int[] {34, 3, 1, 1}));                              // TFO odd cookie
        out.add(rawOptions(new int[] {254, 4, 0x12, 0x34}));                       // experimental, other magic

        // Malformed TCP headers and IP headers.
        byte[] shortOff = packet(A4, B4, segment(1234, 80, 1, 2, TcpFlags.ACK, 100));
        shortOff[20 + 12] = 0x40;
        out.add(fixIp(shortOff));
        byte[] longOff = packet(A4, B4, segment(1235, 80, 1, 2, TcpFlags.ACK, 100));
        longOff[20 + 12] = (byte) 0xF0;
        out.add(fixIp(longOff));
        byte[] truncated = packet(A4, B4, linuxSyn(1236, 80, 9));
        for (int n = 21; n < truncated.length; n++) out.add(java.util.Arrays.copyOf(truncated, n));
        byte[] sackCut = packet(B4, A4, sack);
        for (int n = 52; n < sackCut.length; n += 3) out.add(java.util.Arrays.copyOf(sackCut, n));

        // HTTP summaries on port 80.
        out.add(http(A4, B4, 52432, 80, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"));
        out.add(http(B4, A4, 80, 52432, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        out.add(http(B4, A4, 80, 52432, "<html>body</html>"));
        out.add(http(A4, B4, 52432, 80, "get / HTTP/1.0\n"));

        // Odd IP headers: bad version, short IHL, total length below the header, fragments, IPv6 extensions.
        byte[] v5 = packet(A4, B4, segment(1, 2, 3, 4, TcpFlags.ACK, 5));
        v5[0] = 0x55;
        out.add(v5);
        byte[] ihl4 = packet(A4, B4, segment(1, 2, 3, 4, TcpFlags.ACK, 5));
        ihl4[0] = 0x44;
        out.add(fixIp(ihl4));
        byte[] tot = packet(A4, B4, segment(1, 2, 3, 4, TcpFlags.ACK, 5));
        Bytes.putU16(tot, 2, 12);
        out.add(fixIp(tot));
        byte[] firstFrag = packet(A4, B4, withPayload(segment(1, 2, 3, 4, TcpFlags.ACK, 5), 8));
        Bytes.putU16(firstFrag, 6, 0x2000);
        out.add(fixIp(firstFrag));
        byte[] laterFrag = packet(A4, B4, withPayload(segment(1, 2, 3, 4, TcpFlags.ACK, 5), 8));
        Bytes.putU16(laterFrag, 6, 0x0003);
        out.add(fixIp(laterFrag));
        out.add(io.threeway.wire.IpHeaderTestAccess.v6WithExtension(0, 0, 0));
        out.add(io.threeway.wire.IpHeaderTestAccess.v6WithExtension(60, 0, 0));

        // ICMP and UDP.
        out.add(icmpEcho(8));
        out.add(icmpEcho(0));
        out.add(portUnreachable());
        out.add(icmp6Echo(128));
        out.add(udp());
        return out;
    }

    /** A segment whose option area is exactly {@code opts} (padded to 4 with zeros), checksums fixed. */
    static byte[] rawOptions(int[] opts) {
        int optLen = (opts.length + 3) & ~3;
        byte[] p = packet(A4, B4, segment(33333, 5555, 42, 43, TcpFlags.SYN, 1000));
        byte[] q = new byte[p.length + optLen];
        System.arraycopy(p, 0, q, 0, p.length);
        for (int i = 0; i < opts.length; i++) q[40 + i] = (byte) opts[i];
        q[20 + 12] = (byte) ((20 + optLen) << 2);
        Bytes.putU16(q, 2, q.length);
        return fixIp(q);
    }

    static byte[] http(IpAddress src, IpAddress dst, int sport, int dport, String text) {
        TcpSegment seg = segment(sport, dport, 1, 1, TcpFlags.PSH | TcpFlags.ACK, 100);
        seg.payload = text.getBytes(StandardCharsets.US_ASCII);
        seg.payloadLength = seg.payload.length;
        return packet(src, dst, seg);
    }

    static byte[] fixIp(byte[] p) {
        p[10] = 0;
        p[11] = 0;
        Bytes.putU16(p, 10, Checksum.compute(p, 0, 20));
        return p;
    }

    static byte[] icmpEcho(int type) {
        byte[] m = new byte[64];
        m[0] = (byte) type;
        Bytes.putU16(m, 4, 1);
        Bytes.putU16(m, 6, 1);
        return type == 8 ? PacketBuilder.buildIcmp(A4, B4, m, 0, 64, 7) : PacketBuilder.buildIcmp(B4, A4, m, 0, 64, 7);
    }

    static byte[] icmp6Echo(int type) {
        byte[] m = new byte[64];
        m[0] = (byte) type;
        Bytes.putU16(m, 4, 9);
        Bytes.putU16(m, 6, 3);
        return PacketBuilder.buildIcmp(A6, B6, m, 0, 64, 0);
    }

    static byte[] portUnreachable() {
        byte[] orig = packet(A4, B4, segment(52431, 80, 1, 0, TcpFlags.SYN, 100));
        byte[] m = new byte[8 + 28];
        m[0] = 3;
        m[1] = 3;
        System.arraycopy(orig, 0, m, 8, 28);
        return PacketBuilder.buildIcmp(B4, A4, m, 0, m.length, 0);
    }

    static byte[] udp() {
        byte[] p = new byte[20 + 8 + 12];
        io.threeway.wire.Ipv4Header.write(p, 0, A4, B4, 17, 20, 0);
        Bytes.putU16(p, 20, 40000);
        Bytes.putU16(p, 22, 9999);
        Bytes.putU16(p, 24, 20);
        return p;
    }

    static Path writeCapture(Path file, List<byte[]> packets) throws IOException {
        try (PcapWriter w = new PcapWriter(new FileOutputStream(file.toFile()))) {
            long t = 100_000;
            for (byte[] p : packets) {
                w.write(p, 0, p.length, t);
                t += 100_000;
            }
        }
        return file;
    }

    static List<String> tcpdump(Path file, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-nn", "-r", file.toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TZ", "UTC");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        String text;
        try (InputStream in = proc.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS), "tcpdump did not finish");
        return text.lines().toList();
    }

    static boolean tcpdumpInstalled() {
        try {
            Process p = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private void compare(boolean absolute) throws Exception {
        requireTcpdump("skipping the comparison with the real tool");
        List<byte[]> packets = corpus();
        Path file = writeCapture(dir.resolve("corpus.pcap"), packets);
        List<String> real = absolute ? tcpdump(file, "-S") : tcpdump(file);
        TcpdumpFormatter f = new TcpdumpFormatter(TimestampFormat.TIME_OF_DAY, absolute);
        List<String> ours = new ArrayList<>();
        long t = 100_000;
        for (byte[] p : packets) {
            ours.add(f.format(p, 0, p.length, t));
            t += 100_000;
        }
        StringBuilder diffs = new StringBuilder();
        for (int i = 0; i < Math.max(real.size(), ours.size()); i++) {
            String r = i < real.size() ? real.get(i) : "<none>";
            String o = i < ours.size() ? ours.get(i) : "<none>";
            if (!r.equals(o)) diffs.append("\n#").append(i).append("\n tcpdump: ").append(r).append("\n ours:    ").append(o);
        }
        if (!diffs.isEmpty()) {
            Path report = Path.of("target", "tcpdump-compare-" + (absolute ? "absolute" : "relative") + ".txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, diffs.toString());
        }
        assertEquals("", diffs.toString(), "lines differ from tcpdump");
    }

    @Test
    void matchesRealTcpdumpRelative() throws Exception {
        compare(false);
    }

    @Test
    void matchesRealTcpdumpAbsolute() throws Exception {
        compare(true);
    }

    @Test
    void tcpdumpReadsOurHandshake() throws Exception {
        requireTcpdump("skipping");
        Path file = writeCapture(dir.resolve("hs.pcap"), corpus().subList(0, 3));
        List<String> lines = tcpdump(file);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("Flags [S],"), lines.get(0));
        assertTrue(lines.get(1).contains("Flags [S.],"), lines.get(1));
        assertTrue(lines.get(2).contains("Flags [.],"), lines.get(2));
        assertTrue(lines.get(0).startsWith("00:00:00.000100 IP 10.0.1.5.52431 > 10.0.2.10.8080: Flags [S], seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0"), lines.get(0));
    }

    /** Skips without tcpdump, except under CI=true, where a missing tool fails the test (.ci/run installs it). */
    private static void requireTcpdump(String skipping) {
        String missing = "tcpdump is not installed (apt-get install tcpdump)";
        if ("true".equals(System.getenv("CI"))) assertTrue(tcpdumpInstalled(), missing + " under CI=true");
        assumeTrue(tcpdumpInstalled(), missing + "; " + skipping);
    }
}
