package io.threeway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code tcpdump -v} and {@code -X} add to a packet's line (tcpdump 4.99, checked against it in
 * DumpCommandTest): with {@code -v} an IPv4 packet's header fields in parentheses and the TCP line on its own line,
 * four spaces in, with the checksum ({@code cksum 0x818c (correct)}), and an HTTP payload printed line by line
 * after a tab; with {@code -X} the IP packet in hex and ASCII, 16 bytes a line.
 */
final class DumpDetail {
    private DumpDetail() {}

    /**
     * The {@code -v} form of {@code line} (the plain tcpdump line of {@code p}); the line unchanged for what this
     * does not decode (IPv6, other protocols, truncated headers).
     */
    static String verbose(String line, byte[] p) {
        PacketFields f = PacketFields.of(p);
        int ip = line.indexOf(" IP ");
        if (f.version() != 4 || f.protocol() != PacketFields.TCP || ip < 0 || p.length < f.ipHeaderLength() + 20) return line;
        int total = PacketFields.u16(p, 2);
        int frag = PacketFields.u16(p, 6);
        int tos = p[1] & 0xff;
        String flags = (frag & 0x4000) != 0 ? "DF" : (frag & 0x2000) != 0 ? "+" : "none";
        String head = String.format(Locale.ROOT, "IP (tos 0x%x%s, ttl %d, id %d, offset %d, flags [%s], proto TCP (6), length %d)",
                tos, ecn(tos), p[8] & 0xff, PacketFields.u16(p, 4), (frag & 0x1fff) * 8, flags, total);
        String rest = line.substring(ip + 4);
        int flagsEnd = rest.indexOf("], ");
        if (rest.contains("Flags [") && flagsEnd > 0) {
            rest = rest.substring(0, flagsEnd + 3) + checksum(p, f.ipHeaderLength(), Math.min(total, p.length)) + ", "
                    + rest.substring(flagsEnd + 3);
        }
        int http = rest.indexOf(": HTTP: ");
        if (http >= 0) rest = rest.substring(0, http) + http(p, f.ipHeaderLength(), Math.min(total, p.length));
        return line.substring(0, ip + 1) + head + "\n    " + rest;
    }

    /** tcpdump's ECN suffix of the TOS byte. */
    private static String ecn(int tos) {
        return switch (tos & 0x03) {
            case 1 -> ",ECT(1)";
            case 2 -> ",ECT(0)";
            case 3 -> ",CE";
            default -> "";
        };
    }

    /** {@code cksum 0x818c (correct)}, or {@code (incorrect -> 0xRIGHT)}, over the IPv4 pseudo-header. */
    private static String checksum(byte[] p, int hl, int end) {
        int carried = PacketFields.u16(p, hl + 16);
        long sum = 0;
        for (int i = 12; i < 20; i += 2) sum += PacketFields.u16(p, i);
        sum += PacketFields.TCP + (end - hl);
        for (int i = hl; i < end; i += 2) {
            int word = i == hl + 16 ? 0 : i + 1 < end ? PacketFields.u16(p, i) : (p[i] & 0xff) << 8;
            sum += word;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        int right = (int) (~sum & 0xffff);
        return carried == right ? String.format(Locale.ROOT, "cksum 0x%04x (correct)", carried)
                : String.format(Locale.ROOT, "cksum 0x%04x (incorrect -> 0x%04x)", carried, right);
    }

    /** {@code : HTTP, length: N} and the payload's lines, each after a line break and a tab, as txtproto_print. */
    private static String http(byte[] p, int hl, int end) {
        int data = hl + ((p[hl + 12] & 0xff) >> 4) * 4;
        StringBuilder b = new StringBuilder(": HTTP, length: ").append(end - data);
        int start = data;
        for (int i = data; i < end; i++) {
            if (p[i] != '\n') continue;
            int stop = i > start && p[i - 1] == '\r' ? i - 1 : i;
            b.append("\n\t").append(printable(p, start, stop));
            start = i + 1;
        }
        if (start < end) b.append("\n\t").append(printable(p, start, end));
        return b.toString();
    }

    private static String printable(byte[] p, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) b.append(p[i] >= 0x20 && p[i] < 0x7f ? (char) p[i] : '.');
        return b.toString();
    }

    /** {@code -X}: the IP packet in hex and ASCII, as tcpdump's hex_and_ascii_print prints it. */
    static List<String> hex(byte[] p) {
        List<String> out = new ArrayList<>();
        for (int off = 0; off < p.length; off += 16) {
            StringBuilder hex = new StringBuilder();
            StringBuilder ascii = new StringBuilder();
            for (int i = off; i < Math.min(off + 16, p.length); i++) {
                if ((i - off) % 2 == 0) hex.append(' ');
                hex.append(String.format(Locale.ROOT, "%02x", p[i] & 0xff));
                ascii.append(p[i] > 0x20 && p[i] < 0x7f ? (char) p[i] : '.'); // ND_ASCII_ISGRAPH: a space is '.'
            }
            out.add(String.format(Locale.ROOT, "\t0x%04x: %-40s  %s", off, hex, ascii));
        }
        return out;
    }
}
