package io.threeway.tools;

import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filter words ss takes after its options: {@code state STATE} (repeatable; also the groups {@code all},
 * {@code connected}, {@code synchronized}, {@code bucket}, {@code big}), {@code dst ADDR} and {@code src ADDR},
 * where ADDR is an address, an address with a prefix length ({@code 10.0.2.0/24}), either with {@code :PORT},
 * or {@code *}; and {@code dport}/{@code sport} comparisons are left out.
 *
 * @param states the states asked for with {@code state}, or null when none was named (ss's default then applies)
 */
public record SsFilter(Set<TcpState> states, Endpoint dst, Endpoint src) {

    /** No filter words. */
    public static final SsFilter NONE = new SsFilter(null, null, null);

    /** An address with an optional prefix length and port (0: any). */
    public record Endpoint(IpAddress address, int prefix, int port) {
        boolean matches(IpAddress a, int p) {
            if (port != 0 && port != p) return false;
            if (address == null) return true;
            if (address.v6() != a.v6()) return false;
            int bits = address.v6() ? 128 : 32;
            int n = prefix < 0 ? bits : prefix;
            return prefixEquals(address, a, n, bits);
        }

        private static boolean prefixEquals(IpAddress x, IpAddress y, int n, int bits) {
            if (bits == 32) {
                long mask = n == 0 ? 0 : (0xFFFFFFFFL << (32 - n)) & 0xFFFFFFFFL;
                return (x.v4Bits() & mask) == (y.v4Bits() & mask);
            }
            long hiMask = n >= 64 ? -1L : n == 0 ? 0 : -1L << (64 - n);
            long loMask = n <= 64 ? 0 : n == 128 ? -1L : -1L << (128 - n);
            return (x.hi() & hiMask) == (y.hi() & hiMask) && (x.lo() & loMask) == (y.lo() & loMask);
        }
    }

    /** Parses ss's filter words; throws IllegalArgumentException with a one-line reason. */
    public static SsFilter parse(List<String> words) {
        Set<TcpState> states = null;
        Endpoint dst = null;
        Endpoint src = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toLowerCase(Locale.ROOT);
            if (!w.equals("state") && !w.equals("dst") && !w.equals("src") && !w.equals("exclude")) {
                throw new IllegalArgumentException("unknown filter '" + words.get(i)
                        + "' (use: state STATE, dst ADDR[/PREFIX][:PORT], src ADDR[/PREFIX][:PORT])");
            }
            if (i + 1 >= words.size()) throw new IllegalArgumentException("'" + w + "' needs a value");
            String v = words.get(++i);
            switch (w) {
                case "state" -> {
                    if (states == null) states = EnumSet.noneOf(TcpState.class);
                    states.addAll(states(v));
                }
                case "exclude" -> {
                    if (states == null) states = EnumSet.allOf(TcpState.class);
                    states.removeAll(states(v));
                }
                case "dst" -> dst = endpoint(v);
                default -> src = endpoint(v);
            }
        }
        return new SsFilter(states, dst, src);
    }

    /** The states one word of {@code state} names, as ss reads it. */
    static Set<TcpState> states(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "all" -> EnumSet.allOf(TcpState.class);
            case "connected" -> EnumSet.complementOf(EnumSet.of(TcpState.LISTEN, TcpState.CLOSED));
            case "synchronized" -> EnumSet.complementOf(EnumSet.of(TcpState.LISTEN, TcpState.CLOSED, TcpState.SYN_SENT));
            case "bucket" -> EnumSet.of(TcpState.SYN_RECEIVED, TcpState.TIME_WAIT);
            case "big" -> EnumSet.complementOf(EnumSet.of(TcpState.SYN_RECEIVED, TcpState.TIME_WAIT));
            case "established" -> EnumSet.of(TcpState.ESTABLISHED);
            case "syn-sent" -> EnumSet.of(TcpState.SYN_SENT);
            case "syn-recv" -> EnumSet.of(TcpState.SYN_RECEIVED);
            case "fin-wait-1" -> EnumSet.of(TcpState.FIN_WAIT_1);
            case "fin-wait-2" -> EnumSet.of(TcpState.FIN_WAIT_2);
            case "time-wait" -> EnumSet.of(TcpState.TIME_WAIT);
            case "closed" -> EnumSet.of(TcpState.CLOSED);
            case "close-wait" -> EnumSet.of(TcpState.CLOSE_WAIT);
            case "last-ack" -> EnumSet.of(TcpState.LAST_ACK);
            case "listening", "listen" -> EnumSet.of(TcpState.LISTEN);
            case "closing" -> EnumSet.of(TcpState.CLOSING);
            default -> throw new IllegalArgumentException("unknown state '" + word + "' (established, syn-sent, "
                    + "syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack, listening, closing, "
                    + "all, connected, synchronized, bucket, big)");
        };
    }

    private static Endpoint endpoint(String v) {
        String addr = v;
        int port = 0;
        if (v.startsWith("[")) { // [2001:db8::1]:80
            int close = v.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("bad address '" + v + "'");
            addr = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (rest.startsWith(":")) port = port(rest.substring(1), v);
        } else if (v.indexOf(':') == v.lastIndexOf(':') && v.indexOf(':') >= 0) { // IPv4 with a port
            port = port(v.substring(v.indexOf(':') + 1), v);
            addr = v.substring(0, v.indexOf(':'));
        }
        if (addr.equals("*") || addr.isEmpty()) return new Endpoint(null, -1, port);
        int prefix = -1;
        int slash = addr.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(addr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + v + "'");
            }
            addr = addr.substring(0, slash);
        }
        IpAddress a;
        try {
            a = IpAddress.parse(addr);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address");
        }
        if (prefix > (a.v6() ? 128 : 32) || prefix < -1) throw new IllegalArgumentException("bad prefix length in '" + v + "'");
        return new Endpoint(a, prefix, port);
    }

    private static int port(String p, String whole) {
        if (p.equals("*")) return 0;
        try {
            int n = Integer.parseInt(p);
            if (n >= 0 && n <= 65535) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("bad port in '" + whole + "'");
    }

    /** Whether {@code e} passes, with {@code defaults} as the states when none was named. */
    boolean matches(SocketEntry e, Set<TcpState> defaults) {
        Set<TcpState> s = states == null ? defaults : states;
        if (!s.contains(e.state())) return false;
        if (dst != null && !dst.matches(e.peerAddress(), e.peerPort())) return false;
        return src == null || src.matches(e.localAddress(), e.localPort());
    }
}
