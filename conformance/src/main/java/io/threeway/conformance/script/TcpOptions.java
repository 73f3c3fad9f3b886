package io.threeway.conformance.script;

import java.util.ArrayList;
import java.util.List;

/**
 * The TCP option list of a packet line, after its {@code <} (parser.y's {@code tcp_option}): {@code nop},
 * {@code eol}, {@code mss N}, {@code wscale N}, {@code sackOK}, {@code sack L:R ...}, {@code TS val N ecr N},
 * {@code FO [cookie]}, {@code FOEXP [cookie]}, {@code md5 DIGEST}, and AccECN's {@code ECN e0b N ceb N e1b N};
 * or {@code ...} for "don't check".
 */
final class TcpOptions {
    private TcpOptions() {}

    /** The list up to and including {@code >}: null for {@code <...>}. */
    static List<TcpOption> list(Tokens t) {
        if (t.at(Token.Kind.ELLIPSIS)) {
            t.next();
            t.expect('>');
            return null;
        }
        List<TcpOption> out = new ArrayList<>();
        if (t.accept('>')) return out;
        do {
            out.add(option(t));
        } while (t.accept(','));
        t.expect('>');
        return List.copyOf(out);
    }

    private static TcpOption option(Tokens t) {
        Token name = t.expect(Token.Kind.WORD, "a TCP option");
        return switch (name.text()) {
            case "nop" -> new TcpOption.Nop();
            case "eol" -> new TcpOption.Eol();
            case "mss" -> new TcpOption.Mss((int) bounded(t, "mss value", 0xFFFF));
            case "wscale" -> new TcpOption.WindowScale((int) bounded(t, "window scale shift count", 0xFF));
            case "sackOK" -> new TcpOption.SackPermitted();
            case "sack" -> sack(t);
            case "TS" -> {
                t.expectWord("val");
                long val = bounded(t, "ts val", 0xFFFFFFFFL);
                t.expectWord("ecr");
                yield new TcpOption.Timestamp(val, bounded(t, "ecr val", 0xFFFFFFFFL));
            }
            case "FO", "FOEXP" -> {
                byte[] cookie = t.at(',') || t.at('>') ? new byte[0] : PacketParser.hex(blob(t));
                yield new TcpOption.FastOpen(cookie, name.text().equals("FOEXP"));
            }
            case "md5" -> {
                if (t.atWord("valid") || t.atWord("invalid")) yield new TcpOption.Md5(null, t.next().text());
                Token k = blob(t);
                byte[] digest = PacketParser.hex(k);
                if (digest.length != 16) throw new ScriptException(k.pos(), "an MD5 signature has 16 bytes, found " + digest.length);
                yield new TcpOption.Md5(digest, null);
            }
            case "ECN" -> accEcn(t, name);
            default -> throw new ScriptException(name.pos(), "unknown TCP option '" + name.text() + "'");
        };
    }

    /** parser.y's {@code hex_blob}: a word or an integer, as written. */
    private static Token blob(Tokens t) {
        if (t.at(Token.Kind.WORD) || t.at(Token.Kind.INTEGER)) return t.next();
        throw t.error("expected hex bytes");
    }

    private static long bounded(Tokens t, String what, long max) {
        Token k = t.peek();
        if (!t.at(Token.Kind.INTEGER)) throw t.error("expected the " + what);
        long v = t.next().value();
        if (v < 0 || v > max) throw new ScriptException(k.pos(), what + " out of range: " + v);
        return v;
    }

    private static TcpOption sack(Tokens t) {
        List<long[]> blocks = new ArrayList<>();
        while (t.at(Token.Kind.INTEGER)) {
            long left = bounded(t, "SACK left edge", 0xFFFFFFFFL);
            t.expect(':');
            blocks.add(new long[] {left, bounded(t, "SACK right edge", 0xFFFFFFFFL)});
        }
        return new TcpOption.Sack(List.copyOf(blocks));
    }

    /** {@code ECN e0b N [ceb N [e1b N]]} or starting with {@code e1b}: AccECN's counters, 24 bits each. */
    private static TcpOption accEcn(Tokens t, Token name) {
        List<String> order = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        while (t.atWord("e0b") || t.atWord("ceb") || t.atWord("e1b")) {
            order.add(t.next().text());
            values.add(bounded(t, "AccECN field value", 0xFFFFFFL));
        }
        if (order.isEmpty() || order.get(0).equals("ceb")) throw new ScriptException(name.pos(), "AccECN's option starts with e0b or e1b");
        return new TcpOption.AccEcn(List.copyOf(order), List.copyOf(values));
    }
}
