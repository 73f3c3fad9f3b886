package io.threeway.cli;

import io.threeway.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The common pcap-filter(7) expressions, as tcpdump takes them after its options: protocols ({@code ip},
 * {@code ip6}, {@code tcp}, {@code udp}, {@code icmp}), {@code [src|dst] host ADDR}, {@code [src|dst] net
 * ADDR/LEN}, {@code [tcp|udp] [src|dst] port N}, the TCP flags byte compared ({@code tcp[tcpflags] & tcp-syn != 0},
 * {@code tcp[13] & (tcp-syn|tcp-ack) == tcp-syn}; as in pcap-filter, for IPv4 packets only), joined with {@code and}/{@code &&}, {@code or}/{@code ||},
 * {@code not}/{@code !} and parentheses. Anything else is refused with the word where parsing stopped.
 */
final class PacketFilter {
    private final List<String> tokens;
    private int pos;

    private PacketFilter(List<String> tokens) {
        this.tokens = tokens;
    }

    /** The filter of {@code words} (all packets when empty); IllegalArgumentException naming the problem. */
    static Predicate<PacketFields> parse(List<String> words) {
        List<String> tokens = tokenize(String.join(" ", words));
        if (tokens.isEmpty()) return p -> true;
        PacketFilter f = new PacketFilter(tokens);
        Predicate<PacketFields> e = f.or();
        if (f.pos < tokens.size()) throw f.error("unexpected '" + tokens.get(f.pos) + "'");
        return e;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("&|=!<>".indexOf(c) >= 0) {
                int j = i + 1;
                if (j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == c)) j++;
                out.add(s.substring(i, j));
                i = j;
            } else if ("()[]".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "&|=!<>()[]".indexOf(s.charAt(j)) < 0) j++;
                out.add(s.substring(i, j).toLowerCase(Locale.ROOT));
                i = j;
            }
        }
        return out;
    }

    private Predicate<PacketFields> or() {
        Predicate<PacketFields> e = and();
        while (accept("or") || accept("||")) e = e.or(and());
        return e;
    }

    private Predicate<PacketFields> and() {
        Predicate<PacketFields> e = not();
        while (accept("and") || accept("&&")) e = e.and(not());
        return e;
    }

    private Predicate<PacketFields> not() {
        if (accept("not") || accept("!")) return not().negate();
        return primary();
    }

    private Predicate<PacketFields> primary() {
        if (accept("(")) {
            Predicate<PacketFields> e = or();
            expect(")");
            return e;
        }
        if (peek("tcp") && peek(1, "[")) return comparison();
        String proto = null;
        for (String p : List.of("ip6", "ip", "tcp", "udp", "icmp6", "icmp")) if (accept(p)) { proto = p; break; }
        String dir = accept("src") ? "src" : accept("dst") ? "dst" : null;
        if (accept("host")) return both(protocol(proto), address(dir, next("an address"), false));
        if (accept("net")) return both(protocol(proto), address(dir, next("a network"), true));
        if (accept("port")) return both(protocol(proto), port(dir, number(next("a port"))));
        if (dir != null) return both(protocol(proto), address(dir, next("an address"), false)); // "src 1.2.3.4"
        if (proto != null) return protocol(proto);
        throw error(pos < tokens.size() ? "'" + tokens.get(pos) + "' is not a filter primitive" : "the expression ends too soon");
    }

    private static Predicate<PacketFields> both(Predicate<PacketFields> a, Predicate<PacketFields> b) {
        return a == null ? b : a.and(b);
    }

    private static Predicate<PacketFields> protocol(String proto) {
        if (proto == null) return null;
        return switch (proto) {
            case "ip" -> p -> p.version() == 4;
            case "ip6" -> p -> p.version() == 6;
            case "tcp" -> p -> p.protocol() == PacketFields.TCP;
            case "udp" -> p -> p.protocol() == PacketFields.UDP;
            case "icmp6" -> p -> p.version() == 6 && p.protocol() == PacketFields.ICMPV6;
            default -> p -> p.version() == 4 && p.protocol() == PacketFields.ICMP; // pcap-filter's icmp is IPv4's
        };
    }

    private Predicate<PacketFields> address(String dir, String text, boolean net) {
        int slash = text.indexOf('/');
        IpAddress a;
        int bits;
        try {
            a = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
            bits = slash < 0 ? (a.v6() ? 128 : 32) : Integer.parseInt(text.substring(slash + 1));
        } catch (RuntimeException e) {
            throw error("'" + text + "' is not an address");
        }
        if (slash >= 0 && !net) throw error("'" + text + "': a host is one address; use net for a prefix");
        Predicate<IpAddress> match = x -> x != null && x.v6() == a.v6() && samePrefix(a, x, bits);
        if ("src".equals(dir)) return p -> match.test(p.src());
        if ("dst".equals(dir)) return p -> match.test(p.dst());
        return p -> match.test(p.src()) || match.test(p.dst());
    }

    private static boolean samePrefix(IpAddress x, IpAddress y, int n) {
        if (!x.v6()) {
            long mask = n == 0 ? 0 : (0xFFFFFFFFL << (32 - n)) & 0xFFFFFFFFL;
            return (x.v4Bits() & mask) == (y.v4Bits() & mask);
        }
        long hiMask = n >= 64 ? -1L : n == 0 ? 0 : -1L << (64 - n);
        long loMask = n <= 64 ? 0 : n == 128 ? -1L : -1L << (128 - n);
        return (x.hi() & hiMask) == (y.hi() & hiMask) && (x.lo() & loMask) == (y.lo() & loMask);
    }

    private static Predicate<PacketFields> port(String dir, long port) {
        if ("src".equals(dir)) return p -> p.srcPort() == port;
        if ("dst".equals(dir)) return p -> p.dstPort() == port;
        return p -> p.srcPort() == port || p.dstPort() == port;
    }

    /** {@code tcp[tcpflags] & MASK OP VALUE}: the arithmetic of the flags byte, compared. */
    private Predicate<PacketFields> comparison() {
        ToLongFunction<PacketFields> left = arithmetic();
        String op = next("a comparison (==, !=, >, <, >=, <=)");
        ToLongFunction<PacketFields> right = arithmetic();
        // pcap-filter: "tcp[...]" indexes the TCP header of IPv4 packets only (BPF's offsets assume IPv4)
        Predicate<PacketFields> tcp = p -> p.tcpFlags() >= 0 && p.version() == 4;
        return switch (op) {
            case "=", "==" -> tcp.and(p -> left.applyAsLong(p) == right.applyAsLong(p));
            case "!=" -> tcp.and(p -> left.applyAsLong(p) != right.applyAsLong(p));
            case ">" -> tcp.and(p -> left.applyAsLong(p) > right.applyAsLong(p));
            case "<" -> tcp.and(p -> left.applyAsLong(p) < right.applyAsLong(p));
            case ">=" -> tcp.and(p -> left.applyAsLong(p) >= right.applyAsLong(p));
            case "<=" -> tcp.and(p -> left.applyAsLong(p) <= right.applyAsLong(p));
            default -> throw error("'" + op + "' is not a comparison");
        };
    }

    private ToLongFunction<PacketFields> arithmetic() {
        ToLongFunction<PacketFields> e = operand();
        while (peek("&") || peek("|")) {
            boolean and = next("").equals("&");
            ToLongFunction<PacketFields> l = e;
            ToLongFunction<PacketFields> r = operand();
            e = and ? p -> l.applyAsLong(p) & r.applyAsLong(p) : p -> l.applyAsLong(p) | r.applyAsLong(p);
        }
        return e;
    }

    private ToLongFunction<PacketFields> operand() {
        if (accept("(")) {
            ToLongFunction<PacketFields> e = arithmetic();
            expect(")");
            return e;
        }
        if (accept("tcp")) {
            expect("[");
            String index = next("tcpflags or 13");
            if (!index.equals("tcpflags") && !index.equals("13")) throw error("only tcp[tcpflags] (tcp[13]) is offered");
            expect("]");
            return p -> Math.max(0, p.tcpFlags());
        }
        String word = next("a number or a flag");
        long v = switch (word) {
            case "tcp-fin" -> 0x01;
            case "tcp-syn" -> 0x02;
            case "tcp-rst" -> 0x04;
            case "tcp-push" -> 0x08;
            case "tcp-ack" -> 0x10;
            case "tcp-urg" -> 0x20;
            case "tcp-ece" -> 0x40;
            case "tcp-cwr" -> 0x80;
            default -> number(word);
        };
        return p -> v;
    }

    private long number(String word) {
        try {
            return word.startsWith("0x") ? Long.parseLong(word.substring(2), 16) : Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw error("'" + word + "' is not a number");
        }
    }

    private boolean peek(String t) { return peek(0, t); }

    private boolean peek(int ahead, String t) {
        return pos + ahead < tokens.size() && tokens.get(pos + ahead).equals(t);
    }

    private boolean accept(String t) {
        if (!peek(t)) return false;
        pos++;
        return true;
    }

    private void expect(String t) {
        if (!accept(t)) throw error("expected '" + t + "'" + (pos < tokens.size() ? ", got '" + tokens.get(pos) + "'" : ""));
    }

    private String next(String what) {
        if (pos >= tokens.size()) throw error("expected " + what + " at the end");
        return tokens.get(pos++);
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException("filter expression '" + String.join(" ", tokens) + "': " + why);
    }
}
