package io.threeway.trace;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpOptions;

/**
 * Renders IP packets as {@code tcpdump -nn} prints them (tcpdump 4.99), one line each:
 * <pre>
 * 00:00:00.000100 IP 10.0.1.5.52431 &gt; 10.0.2.10.8080: Flags [S], seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
 * </pre>
 * The formatter decodes the bytes itself rather than through the stack's parsers, so that it shows a
 * malformed packet the way tcpdump would ({@code [|tcp]}, {@code [bad opt]}, ...) instead of refusing it; it
 * never throws for any input.
 *
 * <p>Like tcpdump, and unlike a pure function, it remembers each TCP conversation it has seen: seq and ack
 * (and SACK blocks) print relative to the initial sequence numbers learnt from the first segment of the
 * conversation that carries an ACK (normally the SYN-ACK), which itself prints absolute numbers, as does any
 * SYN. Ask for absolute numbers throughout ({@code tcpdump -S}) with {@code absoluteSequence}.
 * Use one formatter per capture; it is not thread-safe.
 *
 * <p>Above TCP, tcpdump decodes some protocols by port. Of those only its HTTP summary (ports 80 and 8080:
 * {@code length 37: HTTP: GET / HTTP/1.1}) is reproduced; other application dissectors (DNS, SMTP, BGP,
 * MPTCP option details, ...) are not, and such lines end where tcpdump's TCP part ends. IPv6 routing and
 * fragment headers are rendered only roughly. TcpdumpCompatibilityTest compares every other line shape with
 * the real tcpdump.
 */
public final class TcpdumpFormatter {
    private static final HexFormat HEX = HexFormat.of();

    private final TimestampFormat timestamps;
    private final boolean absoluteSequence;
    /** tcpdump's tcp_seq_hash: per conversation, the ISNs of its lower and upper endpoint. */
    private final Map<Conversation, long[]> conversations = new HashMap<>();

    /** A conversation named by its two endpoints in a canonical order (lower port first, as tcpdump). */
    private record Conversation(IpAddress a, int aPort, IpAddress b, int bPort) {}

    /** Time of day, relative sequence numbers: plain {@code tcpdump -nn}. */
    public TcpdumpFormatter() {
        this(TimestampFormat.TIME_OF_DAY, false);
    }

    public TcpdumpFormatter(TimestampFormat timestamps, boolean absoluteSequence) {
        this.timestamps = timestamps;
        this.absoluteSequence = absoluteSequence;
    }

    /** Forgets the conversations seen so far. */
    public void reset() {
        conversations.clear();
    }

    public String format(PcapPacket packet) {
        return format(packet.data(), 0, packet.data().length, packet.timeNanos());
    }

    /** The line for the IP packet of {@code len} captured bytes at {@code p[off]}, without a line break. */
    public String format(byte[] p, int off, int len, long timeNanos) {
        StringBuilder b = new StringBuilder(160);
        timestamps.append(b, timeNanos);
        if (len < 1) {
            b.append("[|ip]");
            return b.toString();
        }
        int version = (p[off] & 0xFF) >>> 4;
        switch (version) {
            case 4 -> ipv4(b, p, off, len, false);
            case 6 -> ipv6(b, p, off, len);
            default -> b.append("unknown ip ").append(version);
        }
        return b.toString();
    }

    /**
     * The line of an IPv4 packet quoted in an ICMP error, as tcpdump's print-icmp.c has ip_print print it with
     * {@code -v}: no time stamp, and lengths taken from the quoted header (the quote holds only its start, so no
     * "truncated-ip" notice); a quoted TCP segment's relative sequence numbers come from, and feed, the
     * conversations this formatter has seen, as tcpdump's do.
     *
     * @param len the bytes of the quote at {@code p[off]}
     */
    public String formatQuoted(byte[] p, int off, int len) {
        StringBuilder b = new StringBuilder(120);
        ipv4(b, p, off, len, true);
        return b.toString();
    }

    private void ipv4(StringBuilder b, byte[] p, int off, int len, boolean quoted) {
        b.append("IP ");
        if (len < 20) {
            b.append("[|ip]");
            return;
        }
        int hlen = (p[off] & 0x0F) * 4;
        int total = Bytes.getU16(p, off + 2);
        if (hlen < 20) {
            b.append("bad-hlen ").append(hlen);
            return;
        }
        if (total < hlen) {
            b.append("bad-len ").append(total);
            return;
        }
        int length = total;
        if (len < total && !quoted) {
            b.append("truncated-ip - ").append(total - len).append(" bytes missing! ");
        }
        IpAddress src = IpAddress.read(p, off + 12, false);
        IpAddress dst = IpAddress.read(p, off + 16, false);
        int proto = p[off + 9] & 0xFF;
        int frag = Bytes.getU16(p, off + 6);
        int fragOffset = (frag & 0x1FFF) * 8;
        int avail = Math.min(len, total) - hlen;
        if (avail < 0) {
            b.append(src).append(" > ").append(dst).append(": [|ip]");
            return;
        }
        if (fragOffset != 0) {
            // Later fragments carry no transport header: tcpdump names the protocol only.
            b.append(src).append(" > ").append(dst).append(": ip-proto-").append(proto);
            return;
        }
        transport(b, p, off + hlen, avail, length - hlen, proto, src, dst, true);
    }

    private void ipv6(StringBuilder b, byte[] p, int off, int len) {
        b.append("IP6 ");
        if (len < 40) {
            b.append("[|ip6]");
            return;
        }
        int payloadLength = Bytes.getU16(p, off + 4);
        if (len < 40 + payloadLength) {
            b.append("truncated-ip6 - ").append(40 + payloadLength - len).append(" bytes missing!");
        }
        IpAddress src = IpAddress.read(p, off + 8, true);
        IpAddress dst = IpAddress.read(p, off + 24, true);
        int next = p[off + 6] & 0xFF;
        int q = off + 40;
        int end = off + Math.min(len, 40 + payloadLength);
        int length = payloadLength;
        boolean addressed = true;
        while (next == IpProtocol.HOP_BY_HOP || next == IpProtocol.IPV6_ROUTING || next == IpProtocol.IPV6_DEST_OPTS
                || next == IpProtocol.IPV6_FRAGMENT) {
            if (end - q < 8) {
                b.append(src).append(" > ").append(dst).append(": [|ip6]");
                return;
            }
            int extLen = next == IpProtocol.IPV6_FRAGMENT ? 8 : ((p[q + 1] & 0xFF) + 1) * 8;
            if (next == IpProtocol.IPV6_FRAGMENT && (Bytes.getU16(p, q + 2) & 0xFFF8) != 0) {
                b.append(src).append(" > ").append(dst).append(": frag (").append(Bytes.getU16(p, q + 2) & 0xFFF8)
                        .append('|').append(payloadLength - 8).append(')');
                return;
            }
            if (addressed) b.append(src).append(" > ").append(dst).append(": ");
            addressed = false;
            b.append(extensionName(next));
            if (next == IpProtocol.IPV6_FRAGMENT) b.append(" (0|").append(payloadLength - 8).append(')');
            b.append(' ');
            next = p[q] & 0xFF;
            q += extLen;
            length -= extLen;
            if (q > end) {
                b.append(src).append(" > ").append(dst).append(": [|ip6]");
                return;
            }
        }
        transport(b, p, q, end - q, length, next, src, dst, addressed);
    }

    /** How tcpdump names an IPv6 extension header in a line. */
    private static String extensionName(int next) {
        return switch (next) {
            case IpProtocol.HOP_BY_HOP -> "HBH";
            case IpProtocol.IPV6_DEST_OPTS -> "DSTOPT";
            case IpProtocol.IPV6_ROUTING -> "srcrt";
            default -> "frag";
        };
    }

    /**
     * {@code src > dst: } before the transport's own text; with {@code addressed} false (after IPv6 extension
     * headers, which print the addresses themselves) only the ports, {@code sport > dport: }.
     */
    private static void endpoints(StringBuilder b, IpAddress src, int sport, IpAddress dst, int dport, boolean addressed) {
        if (addressed) b.append(src).append('.').append(sport).append(" > ").append(dst).append('.').append(dport).append(": ");
        else b.append(sport).append(" > ").append(dport).append(": ");
    }

    private static void addresses(StringBuilder b, IpAddress src, IpAddress dst, boolean addressed) {
        if (addressed) b.append(src).append(" > ").append(dst).append(": ");
    }

    /** Dispatches on the upper-layer protocol; {@code avail} bytes are captured of {@code length}. */
    private void transport(StringBuilder b, byte[] p, int off, int avail, int length, int proto,
                           IpAddress src, IpAddress dst, boolean addressed) {
        switch (proto) {
            case IpProtocol.TCP -> tcp(b, p, off, avail, length, src, dst, addressed);
            case IpProtocol.UDP -> udp(b, p, off, avail, src, dst, addressed);
            case IpProtocol.ICMP -> {
                addresses(b, src, dst, addressed);
                icmp(b, p, off, avail, length);
            }
            case IpProtocol.ICMPV6 -> {
                addresses(b, src, dst, addressed);
                icmp6(b, p, off, avail, length);
            }
            default -> {
                addresses(b, src, dst, addressed);
                b.append("ip-proto-").append(proto).append(' ').append(length);
            }
        }
    }

    // ---- TCP (RFC 9293 §3.1) ----

    private void tcp(StringBuilder b, byte[] p, int off, int avail, int length, IpAddress src, IpAddress dst,
                     boolean addressed) {
        if (avail < 4) {
            if (addressed) b.append(src).append(" > ").append(dst).append(':');
            b.append(" [|tcp]");
            return;
        }
        int sport = Bytes.getU16(p, off);
        int dport = Bytes.getU16(p, off + 2);
        endpoints(b, src, sport, dst, dport, addressed);
        if (avail < 20) {
            b.append(" [|tcp]");
            return;
        }
        int hlen = (p[off + 12] & 0xF0) >>> 2;
        if (hlen < 20) {
            b.append(" tcp ").append(length - hlen).append(" [bad hdr length ").append(hlen).append(" - too short, < 20]");
            return;
        }
        long seq = Bytes.getInt(p, off + 4) & 0xFFFFFFFFL;
        long ack = Bytes.getInt(p, off + 8) & 0xFFFFFFFFL;
        int flags = p[off + 13] & 0xFF;
        int win = Bytes.getU16(p, off + 14);
        int urp = Bytes.getU16(p, off + 18);
        b.append("Flags [").append(TcpFlags.tcpdump(flags)).append(']');

        // Relative numbering, as tcpdump's tcp_print does it.
        boolean rev = false;
        long seqBase = 0, ackBase = 0;
        if (!absoluteSequence && (flags & TcpFlags.ACK) != 0) {
            rev = sport > dport || (sport == dport && compare(src, dst) > 0);
            Conversation c = rev ? new Conversation(dst, dport, src, sport) : new Conversation(src, sport, dst, dport);
            long[] isn = conversations.get(c);
            if (isn == null || (flags & TcpFlags.SYN) != 0) {
                if (isn == null) conversations.put(c, isn = new long[2]);
                // isn[0] belongs to endpoint a, isn[1] to endpoint b.
                if (rev) {
                    isn[1] = seq;
                    isn[0] = (ack - 1) & 0xFFFFFFFFL;
                } else {
                    isn[0] = seq;
                    isn[1] = (ack - 1) & 0xFFFFFFFFL;
                }
            } else if (rev) {
                seq = (seq - isn[1]) & 0xFFFFFFFFL;
                ack = (ack - isn[0]) & 0xFFFFFFFFL;
            } else {
                seq = (seq - isn[0]) & 0xFFFFFFFFL;
                ack = (ack - isn[1]) & 0xFFFFFFFFL;
            }
            seqBase = rev ? isn[1] : isn[0];
            ackBase = rev ? isn[0] : isn[1];
        }

        if (hlen > length) {
            b.append(" [bad hdr length ").append(hlen).append(" - too long, > ").append(length).append(']');
            return;
        }
        int dataLength = length - hlen;
        if (dataLength > 0 || (flags & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) != 0) {
            b.append(", seq ").append(seq);
            if (dataLength > 0) b.append(':').append((seq + dataLength) & 0xFFFFFFFFL);
        }
        if ((flags & TcpFlags.ACK) != 0) b.append(", ack ").append(ack);
        b.append(", win ").append(win);
        if ((flags & TcpFlags.URG) != 0) b.append(", urg ").append(urp);
        if (hlen > 20) {
            b.append(", options [");
            if (!tcpOptions(b, p, off + 20, avail - 20, hlen - 20, ackBase)) return;
            b.append(']');
        }
        b.append(", length ").append(dataLength);
        if (dataLength > 0 && (sport == 80 || dport == 80 || sport == 8080 || dport == 8080)) {
            Http.appendSummary(b, p, off + hlen, Math.max(0, Math.min(avail - hlen, dataLength)));
        }
    }

    /**
     * Appends the options in packet order; {@code sackBase} is subtracted from SACK edges (the ISN of the
     * other direction: SACK blocks acknowledge the peer's sequence space). Returns false after a malformed
     * or cut-off option, having printed what tcpdump prints then: {@code [bad opt]} for a length that does
     * not fit the header, {@code [|tcp]} when the capture ends (with tcpdump's stray {@code >} when the
     * capture ends inside the data of an option other than the first).
     */
    private static boolean tcpOptions(StringBuilder b, byte[] p, int off, int captured, int optLen, long sackBase) {
        int q = off;
        int left = optLen;
        int end = off + captured;
        boolean first = true;
        while (left > 0) {
            if (!first) b.append(',');
            if (q >= end) return truncated(b);
            int kind = p[q++] & 0xFF;
            int len;
            if (kind == TcpOptions.KIND_EOL || kind == TcpOptions.KIND_NOP) {
                len = 1;
            } else {
                if (q >= end) return truncated(b);
                len = p[q++] & 0xFF;
                if (len < 2 || len > left) return badOption(b, first);
                left--;
            }
            left--;
            int datalen = 0;
            b.append(optionName(kind));
            switch (kind) {
                case TcpOptions.KIND_MSS -> {
                    datalen = 2;
                    if (datalen > left) return badOption(b, first);
                    if (q + 2 > end) return truncatedData(b, first);
                    b.append(' ').append(Bytes.getU16(p, q));
                }
                case TcpOptions.KIND_WSCALE -> {
                    datalen = 1;
                    if (datalen > left) return badOption(b, first);
                    if (q + 1 > end) return truncatedData(b, first);
                    b.append(' ').append(p[q] & 0xFF);
                }
                case TcpOptions.KIND_SACK -> {
                    datalen = len - 2;
                    if (datalen % 8 != 0) {
                        b.append(" invalid sack");
                    } else {
                        b.append(' ').append(datalen / 8).append(' ');
                        for (int i = 0; i < datalen; i += 8) {
                            if (q + i + 8 > end) return truncatedData(b, first);
                            long s = (Bytes.getInt(p, q + i) - sackBase) & 0xFFFFFFFFL;
                            long e = (Bytes.getInt(p, q + i + 4) - sackBase) & 0xFFFFFFFFL;
                            b.append('{').append(s).append(':').append(e).append('}');
                        }
                    }
                }
                case TcpOptions.KIND_TIMESTAMP -> {
                    datalen = 8;
                    if (datalen > left) return badOption(b, first);
                    if (q + 8 > end) return truncatedData(b, first);
                    b.append(" val ").append(Bytes.getInt(p, q) & 0xFFFFFFFFL)
                            .append(" ecr ").append(Bytes.getInt(p, q + 4) & 0xFFFFFFFFL);
                }
                case TcpOptions.KIND_FASTOPEN -> {
                    datalen = len - 2;
                    if (q + datalen > end) return truncatedData(b, first);
                    b.append(' ');
                    fastOpen(b, p, q, datalen, false);
                }
                case TcpOptions.KIND_EXPERIMENTAL -> {
                    datalen = len - 2;
                    if (q + datalen > end) return truncatedData(b, first);
                    if (datalen < 2) return badOption(b, first);
                    int magic = Bytes.getU16(p, q);
                    b.append('-');
                    if (magic == TcpOptions.FASTOPEN_EXP_MAGIC) fastOpen(b, p, q + 2, datalen - 2, true);
                    else b.append(String.format("%04x", magic));
                }
                case TcpOptions.KIND_EOL, TcpOptions.KIND_NOP, TcpOptions.KIND_SACK_PERMITTED -> { }
                default -> {
                    datalen = len - 2;
                    if (datalen > 0) b.append(" 0x");
                    for (int i = 0; i < datalen; i++) {
                        if (i + 1 > left) return badOption(b, first);
                        if (q + i >= end) return truncatedData(b, first);
                        b.append(HEX.toHexDigits(p[q + i]));
                    }
                }
            }
            q += datalen;
            left -= datalen;
            int expected = datalen + (kind == TcpOptions.KIND_EOL || kind == TcpOptions.KIND_NOP ? 1 : 2);
            if (expected != len) b.append("[len ").append(len).append(']');
            if (kind == TcpOptions.KIND_EOL) break;
            first = false;
        }
        return true;
    }

    /** tcpdump's verdict on a malformed option; it closes the list only once an option has been printed. */
    private static boolean badOption(StringBuilder b, boolean first) {
        b.append("[bad opt]");
        if (!first) b.append(']');
        return false;
    }

    private static boolean truncated(StringBuilder b) {
        b.append(" [|tcp]");
        return false;
    }

    private static boolean truncatedData(StringBuilder b, boolean first) {
        b.append(" [|tcp]");
        if (!first) b.append('>');
        return false;
    }

    /** RFC 7413 §4.1.1 cookie request or cookie; tcpdump's "tfo cookiereq" / "tfo cookie 0102...". */
    private static void fastOpen(StringBuilder b, byte[] p, int q, int datalen, boolean experimental) {
        if (experimental) b.append("tfo");
        if (datalen == 0) {
            b.append(" cookiereq");
        } else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
            b.append(" (invalid)");
        } else {
            b.append(" cookie ");
            for (int i = 0; i < datalen; i++) b.append(HEX.toHexDigits(p[q + i]));
        }
    }

    private static String optionName(int kind) {
        return switch (kind) {
            case 0 -> "eol";
            case 1 -> "nop";
            case 2 -> "mss";
            case 3 -> "wscale";
            case 4 -> "sackOK";
            case 5 -> "sack";
            case 6 -> "echo";
            case 7 -> "echoreply";
            case 8 -> "TS";
            case 11 -> "cc";
            case 12 -> "ccnew";
            case 13 -> "";
            case 19 -> "md5";
            case 20 -> "scps";
            case 28 -> "uto";
            case 29 -> "tcp-ao";
            case 30 -> "mptcp";
            case 34 -> "tfo";
            case 254 -> "exp";
            default -> "unknown-" + kind;
        };
    }

    private static int compare(IpAddress x, IpAddress y) {
        int c = Long.compareUnsigned(x.hi(), y.hi());
        return c != 0 ? c : Long.compareUnsigned(x.lo(), y.lo());
    }

    // ---- UDP (RFC 768) ----

    private static void udp(StringBuilder b, byte[] p, int off, int avail, IpAddress src, IpAddress dst, boolean addressed) {
        if (avail < 8) {
            addresses(b, src, dst, addressed);
            b.append("[|udp]");
            return;
        }
        endpoints(b, src, Bytes.getU16(p, off), dst, Bytes.getU16(p, off + 2), addressed);
        b.append("UDP, length ").append(Bytes.getU16(p, off + 4) - 8);
    }

    // ---- ICMP (RFC 792) and ICMPv6 (RFC 4443) ----

    private static void icmp(StringBuilder b, byte[] p, int off, int avail, int length) {
        if (avail < 4) {
            b.append("[|icmp]");
            return;
        }
        int type = p[off] & 0xFF;
        int code = p[off + 1] & 0xFF;
        b.append("ICMP ");
        switch (type) {
            case 0, 8 -> {
                b.append(type == 8 ? "echo request" : "echo reply");
                if (avail >= 8) {
                    b.append(", id ").append(Bytes.getU16(p, off + 4)).append(", seq ").append(Bytes.getU16(p, off + 6));
                }
            }
            case 3 -> unreachable(b, p, off, avail, code);
            case 11 -> b.append(code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded");
            default -> b.append("type-#").append(type);
        }
        b.append(", length ").append(length);
    }

    private static void unreachable(StringBuilder b, byte[] p, int off, int avail, int code) {
        // The quoted header: the original packet's destination, protocol and (for ports) destination port.
        int q = off + 8;
        if (avail < 28) {
            b.append("unreachable code ").append(code);
            return;
        }
        IpAddress origDst = IpAddress.read(p, q + 16, false);
        int origProto = p[q + 9] & 0xFF;
        int origHlen = (p[q] & 0x0F) * 4;
        switch (code) {
            case 0 -> b.append("net ").append(origDst).append(" unreachable");
            case 1 -> b.append("host ").append(origDst).append(" unreachable");
            case 2 -> b.append(origDst).append(" protocol ").append(origProto).append(" unreachable");
            case 3 -> {
                if (avail >= 8 + origHlen + 4 && (origProto == IpProtocol.TCP || origProto == IpProtocol.UDP)) {
                    b.append(origDst).append(' ').append(origProto == IpProtocol.TCP ? "tcp" : "udp").append(" port ")
                            .append(Bytes.getU16(p, q + origHlen + 2)).append(" unreachable");
                } else {
                    b.append(origDst).append(" port unreachable");
                }
            }
            case 4 -> b.append(origDst).append(" unreachable - need to frag (mtu ").append(Bytes.getU16(p, off + 6)).append(')');
            case 13 -> b.append("host ").append(origDst).append(" unreachable - admin prohibited filter");
            default -> b.append(origDst).append(" unreachable - #").append(code);
        }
    }

    private static void icmp6(StringBuilder b, byte[] p, int off, int avail, int length) {
        if (avail < 4) {
            b.append("[|icmp6]");
            return;
        }
        int type = p[off] & 0xFF;
        b.append("ICMP6, ");
        switch (type) {
            case 128, 129 -> {
                b.append(type == 128 ? "echo request" : "echo reply");
                if (avail >= 8) {
                    b.append(", id ").append(Bytes.getU16(p, off + 4)).append(", seq ").append(Bytes.getU16(p, off + 6));
                }
            }
            case 1 -> b.append("destination unreachable");
            case 2 -> {
                b.append("packet too big");
                if (avail >= 8) b.append(", mtu ").append(Bytes.getInt(p, off + 4) & 0xFFFFFFFFL);
            }
            case 3 -> b.append("time exceeded in-transit");
            case 135 -> b.append("neighbor solicitation");
            case 136 -> b.append("neighbor advertisement");
            default -> b.append("type-#").append(type);
        }
        b.append(", length ").append(length);
    }
}
