package io.threeway.conformance.script;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Packet lines (parser.y's {@code packet_spec}): a direction, an optional tunnel prefix and IP fields, then a
 * TCP segment, a UDP datagram or an ICMP message. FreeBSD's packetdrill additions are read too: {@code ...(len)}
 * for any sequence number, {@code (tos 0x20, ttl 64)} IP fields, {@code md5 valid}, and a {@code /udp(a > b)}
 * encapsulation suffix.
 */
final class PacketParser {
    private static final Set<String> ECN_WORDS = Set.of("noecn", "ect0", "ect1", "ce", "ect01");
    private static final Set<String> TUNNEL_WORDS = Set.of("ipv4", "ipv6", "gre", "GREv0", "mpls");

    private PacketParser() {}

    /** A packet event; the direction character is next. */
    static Event packet(Tokens t, SourcePos pos, EventTime time, String text) {
        boolean inbound = t.next().is('<');
        StringBuilder tunnel = new StringBuilder();
        IpInfo ip = IpInfo.NONE;
        while (true) {
            if (t.at('(') || t.at('[')) ip = ipInfo(t);
            else if (t.at(Token.Kind.WORD) && TUNNEL_WORDS.contains(t.peek().text())) tunnel.append(tunnelPrefix(t)).append(": ");
            else if (t.atWord("encap")) tunnel.append(encap(t)).append(' ');
            else break;
        }
        if (t.atWord("icmp")) return icmp(t, pos, time, text, inbound, ip, encapsulation(tunnel));
        Integer[] ports = ports(t);
        if (t.atWord("udp")) {
            t.next();
            t.expect('(');
            int len = (int) t.integer("the UDP payload length");
            t.expect(')');
            return new Event.Udp(pos, time, text, inbound, ip, encapsulation(tunnel), ports[0], ports[1], len);
        }
        TcpSpec tcp = tcp(t, inbound, ports, tunnel);
        if (inbound && tcp.options() == null) throw new ScriptException(pos, "<...> for TCP options only on an outbound packet");
        if ("ect01".equals(ip.ecn()) && inbound) throw new ScriptException(pos, "[ect01] only on an outbound packet");
        return new Event.Packet(pos, time, text, inbound, ip, encapsulation(tunnel), tcp);
    }

    private static String encapsulation(StringBuilder b) {
        return b.isEmpty() ? null : b.toString().trim();
    }

    /** {@code ipv4 a > b:}, {@code gre ...:}, {@code mpls (...):}: kept as written, up to its closing colon. */
    private static String tunnelPrefix(Tokens t) {
        Token prev = t.next();
        StringBuilder b = new StringBuilder(prev.text());
        while (true) {
            if (t.atEnd()) throw t.error("expected ':' to end the " + b + " header");
            Token k = t.next();
            if (k.is(':') && !adjacent(k, t.peek())) return b.toString();
            b.append(adjacent(prev, k) ? "" : " ").append(k.text());
            prev = k;
        }
    }

    /** {@code encap psp spi N}: PSP transport encapsulation. */
    private static String encap(Tokens t) {
        t.next();
        t.expectWord("psp");
        t.expectWord("spi");
        return "encap psp spi " + t.integer("a PSP SPI");
    }

    /** Whether {@code b} follows {@code a} with no space between them (on one line). */
    private static boolean adjacent(Token a, Token b) {
        return a.pos().line() == b.pos().line() && b.pos().column() == a.pos().column() + a.text().length();
    }

    /** {@code [ect0]}, {@code (tos 0x20, ttl 64)}, {@code [flowlabel 0x1]}. */
    private static IpInfo ipInfo(Tokens t) {
        char close = t.next().is('(') ? ')' : ']';
        String ecn = null;
        Long tos = null;
        Long flow = null;
        Long ttl = null;
        do {
            Token w = t.expect(Token.Kind.WORD, "an IP field (ect0, ect1, ce, noecn, ect01, tos, flowlabel, ttl)");
            String name = w.text();
            if (ECN_WORDS.contains(name)) ecn = name;
            else if (name.equals("tos") || name.equals("class")) tos = t.integer("a TOS value");
            else if (name.equals("flowlabel")) flow = t.integer("a flow label");
            else if (name.equals("ttl") || name.equals("hlim")) ttl = t.integer("a TTL");
            else throw new ScriptException(w.pos(), "unknown IP field '" + name + "'");
        } while (t.accept(','));
        t.expect(close);
        return new IpInfo(ecn, tos, flow, ttl);
    }

    /** {@code 8080 > 9000} before the flags, or nulls. */
    private static Integer[] ports(Tokens t) {
        if (t.at(Token.Kind.INTEGER) && t.peek(1).is('>')) {
            int src = (int) t.next().value();
            t.next();
            int dst = (int) t.integer("a destination port");
            return new Integer[] {src, dst};
        }
        return new Integer[] {null, null};
    }

    private static TcpSpec tcp(Tokens t, boolean inbound, Integer[] ports, StringBuilder tunnel) {
        String flags = flags(t);
        boolean anySeq = false;
        long start = 0;
        long end;
        SourcePos seqPos = t.peek().pos();
        if (t.at(Token.Kind.ELLIPSIS)) {
            if (inbound) throw t.error("'...' as a sequence number only on an outbound packet, which it lets have any");
            t.next();
            anySeq = true;
        } else {
            start = u32(t, "a sequence number");
            t.expect(':');
        }
        end = anySeq ? 0 : u32(t, "the end sequence number");
        t.expect('(');
        long len = t.integer("the payload length");
        t.expect(')');
        if (anySeq) end = start + len;
        if (len < 0 || len > 0xFFFF) throw new ScriptException(seqPos, "TCP payload size out of range");
        if (end != ((start + len) & 0xFFFFFFFFL)) {
            throw new ScriptException(seqPos, "sequence range " + start + ":" + end + " does not hold " + len + " bytes");
        }
        Long ack = null;
        Integer win = null;
        Integer urg = null;
        List<TcpOption> options = List.of();
        while (true) {
            if (t.acceptWord("ack")) ack = u32(t, "an ACK number");
            else if (t.acceptWord("win")) win = (int) u16(t, "a window");
            else if (t.acceptWord("urg")) urg = (int) u16(t, "an urgent pointer");
            else if (t.accept('<')) options = TcpOptions.list(t);
            else if (t.at('/') && t.peek(1).isWord("udp")) tunnel.append(udpSuffix(t));
            else break;
        }
        return new TcpSpec(flags, anySeq, start, end, (int) len, ack, win, urg, options, ports[0], ports[1]);
    }

    /** FreeBSD's {@code /udp(1 > 9811)}: the segment travels in UDP (RFC 8085 tunnelling). */
    private static String udpSuffix(Tokens t) {
        t.next();
        t.next();
        t.expect('(');
        StringBuilder b = new StringBuilder("udp(");
        while (!t.at(')')) {
            if (t.atEnd()) throw t.error("expected ')'");
            b.append(t.next().text()).append(' ');
        }
        t.next();
        return b.toString().trim() + ")";
    }

    /** parser.y's {@code flags}: a word of flag letters with an optional '.', a '.', '-' (none), or ACE digits. */
    private static String flags(Tokens t) {
        Token first = t.peek();
        String flags;
        if (t.accept('-')) {
            flags = "";
        } else if (t.accept('.')) {
            flags = ".";
        } else if (t.at(Token.Kind.FLOAT) && t.peek().text().startsWith(".")) {
            flags = t.next().text();
        } else if (t.at(Token.Kind.WORD)) {
            flags = t.next().text();
            if (t.at(Token.Kind.FLOAT) && t.peek().text().startsWith(".") && adjacent(t.previous(), t.peek())) flags += t.next().text();
            else if (t.accept('.')) flags += ".";
        } else {
            throw t.error("expected TCP flags");
        }
        checkFlags(flags, first);
        return flags;
    }

    /** tcp_packet.c's is_tcp_flags_spec_valid: known letters, and no ECN letter beside an ACE digit. */
    private static void checkFlags(String flags, Token at) {
        boolean ecn = false;
        boolean ace = false;
        for (int k = 0; k < flags.length(); k++) {
            char f = flags.charAt(k);
            SourcePos p = new SourcePos(at.pos().file(), at.pos().line(), at.pos().column() + k);
            if (TcpSpec.FLAG_LETTERS.indexOf(f) < 0) {
                throw new ScriptException(p, "unknown TCP flag '" + f + "' in '" + flags + "' (flags are " + TcpSpec.FLAG_LETTERS + ")");
            }
            boolean isEcn = "EWA".indexOf(f) >= 0;
            boolean isAce = Character.isDigit(f);
            if ((isEcn && ace) || (isAce && (ecn || ace))) throw new ScriptException(p, "conflicting TCP flag '" + f + "' in '" + flags + "'");
            ecn |= isEcn;
            ace |= isAce;
        }
    }

    private static long u32(Tokens t, String what) {
        Token k = t.peek();
        long v = t.integer(what);
        if (v < 0 || v > 0xFFFFFFFFL) throw new ScriptException(k.pos(), what + " out of range: " + v);
        return v;
    }

    private static long u16(Tokens t, String what) {
        Token k = t.peek();
        long v = t.integer(what);
        if (v < 0 || v > 0xFFFF) throw new ScriptException(k.pos(), what + " out of range: " + v);
        return v;
    }

    /** {@code icmp TYPE [CODE] [mtu N] [id N] [[seq] | [udp(N)] | [raw(N)]]}. */
    private static Event icmp(Tokens t, SourcePos pos, EventTime time, String text, boolean inbound, IpInfo ip, String tunnel) {
        t.next();
        String type = t.expect(Token.Kind.WORD, "an ICMP type").text();
        String code = null;
        if (t.at(Token.Kind.WORD) && !t.atWord("mtu") && !t.atWord("id")) code = t.next().text();
        Integer mtu = t.acceptWord("mtu") ? (int) t.integer("an MTU") : null;
        Integer id = t.acceptWord("id") ? (int) t.integer("an echo id") : null;
        Event.Icmp.Echoed echoed = null;
        if (t.accept('[')) {
            if (t.atWord("udp") || t.atWord("raw")) {
                String proto = t.next().text();
                t.expect('(');
                int len = (int) t.integer("a payload length");
                t.expect(')');
                echoed = new Event.Icmp.Echoed(proto, 0, len);
            } else {
                long start = u32(t, "a sequence number");
                t.expect(':');
                long end = u32(t, "the end sequence number");
                t.expect('(');
                int len = (int) t.integer("the payload length");
                t.expect(')');
                if (end != ((start + len) & 0xFFFFFFFFL)) throw new ScriptException(pos, "inconsistent sequence numbers in the ICMP's quoted segment");
                echoed = new Event.Icmp.Echoed("tcp", start, len);
            }
            t.expect(']');
        }
        return new Event.Icmp(pos, time, text, inbound, ip, tunnel, type, code, mtu, id, echoed);
    }

    /** A hex blob (a Fast Open cookie, an MD5 digest): a word or integer of an even number of hex digits. */
    static byte[] hex(Token k) {
        try {
            return HexFormat.of().parseHex(k.text());
        } catch (IllegalArgumentException e) {
            throw new ScriptException(k.pos(), "bad hex bytes '" + k.text() + "' (an even number of hex digits)");
        }
    }
}
