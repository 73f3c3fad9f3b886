package io.threeway.cli;

import io.threeway.trace.TcpdumpFormatter;
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
     * The {@code -v} form of {@code line} (the plain tcpdump line of {@code p}, just made by {@code formatter}, which
     * also formats an ICMP error's quoted packet); the line unchanged for what this does not decode (truncated
     * headers).
     */
    static String verbose(String line, byte[] p, TcpdumpFormatter formatter) {
        PacketFields f = PacketFields.of(p);
        if (f.version() == 6) return verbose6(line, p, f);
        int ip = line.indexOf(" IP ");
        if (f.version() != 4 || ip < 0 || p.length < f.ipHeaderLength()) return line;
        int total = PacketFields.u16(p, 2);
        String head = ipv4Head(p, 0);
        String rest = line.substring(ip + 4);
        if (f.protocol() != PacketFields.TCP) {
            return line.substring(0, ip + 1) + head + "\n    " + rest + quoted(p, f, formatter);
        }
        if (p.length < f.ipHeaderLength() + 20) return line;
        return line.substring(0, ip + 1) + head + "\n    " + tcp4(rest, p, 0, f.ipHeaderLength(), total, p.length);
    }

    /**
     * The TCP part of a {@code -v} line for the IPv4 packet at {@code p[off]} ({@code hl} header bytes, {@code total}
     * by its header, the array's bytes up to {@code captured}): tcp_print's checksum, only when the whole segment
     * was captured (ND_TTEST_LEN), and an HTTP payload line by line.
     */
    private static String tcp4(String rest, byte[] p, int off, int hl, int total, int captured) {
        int end = Math.min(off + total, captured);
        int flagsEnd = rest.indexOf("], ");
        if (rest.contains("Flags [") && flagsEnd > 0 && captured >= off + total) {
            rest = rest.substring(0, flagsEnd + 3) + checksum(p, off, off + hl, end) + ", " + rest.substring(flagsEnd + 3);
        }
        int http = rest.indexOf(": HTTP: ");
        if (http >= 0) rest = rest.substring(0, http) + http(p, off + hl, off + total, captured);
        return rest;
    }

    /**
     * IPv6 with {@code -v}, on one line as print-ip6.c prints it: {@code IP6 (class 0x.., flowlabel 0x....., hlim 64,
     * next-header TCP (6) payload length: 40) SRC > DST: Flags [S], cksum 0x2b6f (correct), ...}.
     */
    private static String verbose6(String line, byte[] p, PacketFields f) {
        int ip = line.indexOf(" IP6 ");
        int payload = PacketFields.u16(p, 4);
        if (ip < 0 || p.length < 40) return line;
        if (f.protocol() != PacketFields.TCP) return verbose6Other(line, p, f, ip, payload);
        if (p.length < 40 + 20) return line;
        long flow = ((long) (p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff)) & 0x0fffffffL;
        StringBuilder head = new StringBuilder("IP6 (");
        if ((flow & 0x0ff00000) != 0) head.append(String.format(Locale.ROOT, "class 0x%02x, ", (flow & 0x0ff00000) >> 20));
        if ((flow & 0x000fffff) != 0) head.append(String.format(Locale.ROOT, "flowlabel 0x%05x, ", flow & 0x000fffff));
        head.append("hlim ").append(p[7] & 0xff).append(", next-header TCP (6) payload length: ").append(payload).append(") ");
        String rest = line.substring(ip + 5);
        int end = Math.min(40 + payload, p.length);
        int flagsEnd = rest.indexOf("], ");
        if (rest.contains("Flags [") && flagsEnd > 0 && p.length >= 40 + payload) {
            rest = rest.substring(0, flagsEnd + 3) + checksum(p, 40, end, 8, 32) + ", " + rest.substring(flagsEnd + 3);
        }
        int http = rest.indexOf(": HTTP: ");
        if (http >= 0) rest = rest.substring(0, http) + http(p, 40, 40 + payload, p.length);
        return line.substring(0, ip + 1) + head + rest;
    }

    /** An IPv4 header's fields as print-ip.c prints them with {@code -v}, for the header at {@code off}. */
    private static String ipv4Head(byte[] p, int off) {
        int frag = PacketFields.u16(p, off + 6);
        int tos = p[off + 1] & 0xff;
        int proto = p[off + 9] & 0xff;
        String flags = (frag & 0x4000) != 0 ? "DF" : (frag & 0x2000) != 0 ? "+" : "none";
        return String.format(Locale.ROOT, "IP (tos 0x%x%s, ttl %d, id %d, offset %d, flags [%s], proto %s (%d), length %d)",
                tos, ecn(tos), p[off + 8] & 0xff, PacketFields.u16(p, off + 4), (frag & 0x1fff) * 8, flags, protoName(proto),
                proto, PacketFields.u16(p, off + 2));
    }

    /** The protocol's name as tcpdump's ipproto_values table has it. */
    private static String protoName(int proto) {
        return switch (proto) {
            case PacketFields.TCP -> "TCP";
            case PacketFields.UDP -> "UDP";
            case PacketFields.ICMP -> "ICMP";
            case PacketFields.ICMPV6 -> "ICMPv6";
            default -> "unknown";
        };
    }

    /**
     * For an ICMP error (unreachable, time exceeded, parameter problem) quoting a TCP packet, the quoted packet as
     * print-icmp.c prints it with {@code -v} (ip_print over the quote, its lengths from the quoted header): its IP
     * header after a tab, then its TCP line: {@code [|tcp]} where the quote cuts the header; with a whole header,
     * flags, sequence numbers (relative, by the formatter's conversations), options and the length the quoted
     * header gives; the checksum only when the quote holds the whole segment; "" for anything else.
     */
    private static String quoted(byte[] p, PacketFields f, TcpdumpFormatter formatter) {
        int icmp = f.ipHeaderLength();
        if (f.protocol() != PacketFields.ICMP || p.length < icmp + 8 + 20) return "";
        int type = p[icmp] & 0xff;
        if (type != 3 && type != 11 && type != 12) return "";
        int q = icmp + 8;
        int qhl = (p[q] & 0x0f) * 4;
        if ((p[q] & 0xf0) != 0x40 || qhl < 20 || (p[q + 9] & 0xff) != PacketFields.TCP || p.length < q + qhl + 4) return "";
        String text = formatter.formatQuoted(p, q, p.length - q).substring("IP ".length());
        if (p.length >= q + qhl + 20) text = tcp4(text, p, q, qhl, PacketFields.u16(p, q + 2), p.length);
        return "\n\t" + ipv4Head(p, q) + "\n    " + text;
    }

    /**
     * IPv6 other than TCP with {@code -v}: the header's fields, then the line; ICMPv6 gains its checksum's verdict
     * ({@code [icmp6 sum ok]}) and loses its {@code , length N}, as print-icmp6.c prints it.
     */
    private static String verbose6Other(String line, byte[] p, PacketFields f, int ip, int payload) {
        String head = "IP6 (" + flow(p) + "hlim " + (p[7] & 0xff) + ", next-header " + protoName(f.protocol()) + " ("
                + f.protocol() + ") payload length: " + payload + ") ";
        String rest = line.substring(ip + 5);
        if (f.protocol() == PacketFields.ICMPV6 && f.ipHeaderLength() == 40 && p.length >= 40 + payload && payload >= 4) {
            int colon = rest.indexOf(": ICMP6, ");
            if (colon > 0) {
                rest = rest.substring(0, colon + 2) + icmp6Sum(p, payload) + " " + rest.substring(colon + 2);
                rest = rest.replaceFirst(", length \\d+$", "");
            }
        }
        return line.substring(0, ip + 1) + head + rest;
    }

    /** The class and flow label parts of an IPv6 header's {@code -v} fields, each only when not zero. */
    private static String flow(byte[] p) {
        long flow = ((long) (p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff)) & 0x0fffffffL;
        StringBuilder b = new StringBuilder();
        if ((flow & 0x0ff00000) != 0) b.append(String.format(Locale.ROOT, "class 0x%02x, ", (flow & 0x0ff00000) >> 20));
        if ((flow & 0x000fffff) != 0) b.append(String.format(Locale.ROOT, "flowlabel 0x%05x, ", flow & 0x000fffff));
        return b.toString();
    }

    /** {@code [icmp6 sum ok]}, or {@code [bad icmp6 cksum 0xCARRIED -> 0xRIGHT!]}, over IPv6's pseudo-header. */
    private static String icmp6Sum(byte[] p, int payload) {
        int carried = PacketFields.u16(p, 42);
        long sum = 0;
        for (int i = 8; i < 40; i += 2) sum += PacketFields.u16(p, i);
        sum += PacketFields.ICMPV6 + payload;
        for (int i = 40; i < 40 + payload; i += 2) {
            sum += i == 42 ? 0 : i + 1 < 40 + payload ? PacketFields.u16(p, i) : (p[i] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        int right = (int) (~sum & 0xffff);
        return carried == right ? "[icmp6 sum ok]" : String.format(Locale.ROOT, "[bad icmp6 cksum 0x%04x -> 0x%04x!]", carried, right);
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

    /**
     * {@code cksum 0x818c (correct)}, or {@code (incorrect -> 0xRIGHT)}, over the IPv4 pseudo-header of the packet at
     * {@code p[ip]} whose TCP header starts at {@code tcp} and whose segment ends at {@code end}.
     */
    private static String checksum(byte[] p, int ip, int tcp, int end) {
        return checksum(p, tcp, end, ip + 12, 8);
    }

    /**
     * The TCP checksum line over a pseudo-header whose addresses are the {@code addrLen} bytes at {@code addrOff}
     * (IPv4: 12, 8; IPv6: 8, 32), then the protocol and the TCP length.
     */
    private static String checksum(byte[] p, int hl, int end, int addrOff, int addrLen) {
        int carried = PacketFields.u16(p, hl + 16);
        long sum = 0;
        for (int i = addrOff; i < addrOff + addrLen; i += 2) sum += PacketFields.u16(p, i);
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

    /**
     * {@code : HTTP, length: N} and the payload's lines, each after a line break and a tab, as txtproto_print prints
     * them: N from the headers (the segment ends at {@code end}), lines as far as the capture ({@code captured})
     * holds them; where it ends inside a line, that line is not printed and {@code [|http]} ends the text.
     */
    private static String http(byte[] p, int hl, int end, int captured) {
        int data = hl + ((p[hl + 12] & 0xff) >> 4) * 4;
        StringBuilder b = new StringBuilder(": HTTP, length: ").append(end - data);
        int stop = Math.min(end, captured);
        int start = data;
        for (int i = data; i < stop; i++) {
            if (p[i] != '\n') continue;
            int lineEnd = i > start && p[i - 1] == '\r' ? i - 1 : i;
            b.append("\n\t").append(printable(p, start, lineEnd));
            start = i + 1;
        }
        if (stop < end) return b.append(" [|http]").toString();
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
