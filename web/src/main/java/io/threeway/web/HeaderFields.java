package io.threeway.web;

import java.util.List;
import java.util.Locale;

/** The IP and TCP header fields of a packet, each with its offset and length, for the inspector. */
final class HeaderFields {
    private HeaderFields() {}

    static void ip(byte[] p, List<Field> out) {
        if (p.length < 1) return;
        int version = Bytes.u8(p, 0) >>> 4;
        if (version == 4 && p.length >= 20) {
            int ihl = (Bytes.u8(p, 0) & 0x0F) * 4;
            out.add(new Field("IPv4", "Version", 0, 1, "4", ""));
            out.add(new Field("IPv4", "IHL", 0, 1, Integer.toString(ihl / 4), ihl + " bytes of header"));
            out.add(new Field("IPv4", "DSCP/ECN", 1, 1, hex(p, 1, 1), ecn(Bytes.u8(p, 1) & 3)));
            out.add(new Field("IPv4", "Total Length", 2, 2, Integer.toString(Bytes.u16(p, 2)), "bytes, header included"));
            out.add(new Field("IPv4", "Identification", 4, 2, Integer.toString(Bytes.u16(p, 4)), ""));
            int ff = Bytes.u16(p, 6);
            out.add(new Field("IPv4", "Flags/Fragment Offset", 6, 2, hex(p, 6, 2),
                    ((ff & 0x4000) != 0 ? "DF (don't fragment)" : "may fragment") + ", offset " + (ff & 0x1FFF)));
            out.add(new Field("IPv4", "Time to Live", 8, 1, Integer.toString(Bytes.u8(p, 8)), "hops left"));
            out.add(new Field("IPv4", "Protocol", 9, 1, Integer.toString(Bytes.u8(p, 9)),
                    Bytes.u8(p, 9) == 6 ? "TCP" : ""));
            out.add(new Field("IPv4", "Header Checksum", 10, 2, hex(p, 10, 2), ""));
            out.add(new Field("IPv4", "Source Address", 12, 4, Bytes.v4(p, 12), ""));
            out.add(new Field("IPv4", "Destination Address", 16, 4, Bytes.v4(p, 16), ""));
        } else if (version == 6 && p.length >= 40) {
            out.add(new Field("IPv6", "Version/Traffic Class/Flow Label", 0, 4, hex(p, 0, 4), ""));
            out.add(new Field("IPv6", "Payload Length", 4, 2, Integer.toString(Bytes.u16(p, 4)), "bytes after this header"));
            out.add(new Field("IPv6", "Next Header", 6, 1, Integer.toString(Bytes.u8(p, 6)), Bytes.u8(p, 6) == 6 ? "TCP" : ""));
            out.add(new Field("IPv6", "Hop Limit", 7, 1, Integer.toString(Bytes.u8(p, 7)), "hops left"));
            out.add(new Field("IPv6", "Source Address", 8, 16, Bytes.v6(p, 8), ""));
            out.add(new Field("IPv6", "Destination Address", 24, 16, Bytes.v6(p, 24), ""));
        }
    }

    static void tcp(byte[] p, int t, List<Field> out) {
        int off = (Bytes.u8(p, t + 12) >>> 4) * 4;
        out.add(new Field("TCP", "Source Port", t, 2, Integer.toString(Bytes.u16(p, t)), ""));
        out.add(new Field("TCP", "Destination Port", t + 2, 2, Integer.toString(Bytes.u16(p, t + 2)), ""));
        out.add(new Field("TCP", "Sequence Number", t + 4, 4, Long.toString(Bytes.u32(p, t + 4)), ""));
        out.add(new Field("TCP", "Acknowledgment Number", t + 8, 4, Long.toString(Bytes.u32(p, t + 8)), ""));
        out.add(new Field("TCP", "Data Offset", t + 12, 1, Integer.toString(off / 4), off + " bytes of header"));
        out.add(new Field("TCP", "Flags", t + 13, 1, hex(p, t + 13, 1), flags(Bytes.u8(p, t + 13))));
        out.add(new Field("TCP", "Window", t + 14, 2, Integer.toString(Bytes.u16(p, t + 14)), ""));
        out.add(new Field("TCP", "Checksum", t + 16, 2, hex(p, t + 16, 2), ""));
        out.add(new Field("TCP", "Urgent Pointer", t + 18, 2, Integer.toString(Bytes.u16(p, t + 18)), ""));
        options(p, t + 20, Math.min(p.length, t + off), out);
        int payload = p.length - t - off;
        if (payload > 0) out.add(new Field("TCP", "Payload", t + off, payload, payload + " bytes", ""));
    }

    private static void options(byte[] p, int at, int end, List<Field> out) {
        while (at < end) {
            int kind = Bytes.u8(p, at);
            if (kind == 0) {
                out.add(new Field("TCP option", "End of options", at, end - at, "0", ""));
                return;
            }
            if (kind == 1) {
                out.add(new Field("TCP option", "NOP", at, 1, "1", "padding"));
                at++;
                continue;
            }
            if (at + 1 >= end) return;
            int len = Bytes.u8(p, at + 1);
            if (len < 2 || at + len > end) return;
            out.add(option(p, at, kind, len));
            at += len;
        }
    }

    private static Field option(byte[] p, int at, int kind, int len) {
        return switch (kind) {
            case 2 -> new Field("TCP option", "Maximum Segment Size", at, len, Integer.toString(Bytes.u16(p, at + 2)), "kind 2");
            case 3 -> new Field("TCP option", "Window Scale", at, len, Integer.toString(Bytes.u8(p, at + 2)),
                    "shift: windows × 2^" + Bytes.u8(p, at + 2));
            case 4 -> new Field("TCP option", "SACK Permitted", at, len, "", "kind 4");
            case 5 -> new Field("TCP option", "SACK", at, len, (len - 2) / 8 + " block(s)", "kind 5");
            case 8 -> new Field("TCP option", "Timestamps", at, len, "TSval " + Bytes.u32(p, at + 2) + " TSecr "
                    + Bytes.u32(p, at + 6), "kind 8");
            case 34 -> new Field("TCP option", "Fast Open Cookie", at, len, hex(p, at + 2, len - 2), "kind 34");
            default -> new Field("TCP option", "Option " + kind, at, len, hex(p, at + 2, len - 2), "");
        };
    }

    private static String flags(int f) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) if ((f & (1 << i)) != 0) b.append(b.isEmpty() ? "" : " ").append(names[i]);
        return b.toString();
    }

    private static String ecn(int bits) {
        return switch (bits) {
            case 1, 2 -> "ECN-capable";
            case 3 -> "congestion experienced";
            default -> "not ECN-capable";
        };
    }

    private static String hex(byte[] p, int at, int len) {
        StringBuilder b = new StringBuilder("0x");
        for (int i = at; i < Math.min(p.length, at + len); i++) b.append(String.format(Locale.ROOT, "%02x", p[i]));
        return b.toString();
    }
}
