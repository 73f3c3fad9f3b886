package io.threeway.conformance.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * packetdrill's user-defined symbols: {@code --define=NAME=VALUE} (or {@code -D NAME=VALUE}) makes every later word
 * {@code NAME} read as {@code VALUE}: a string for {@code "..."}, a command for {@code `...`}, an integer when the
 * value is one (decimal, {@code 0x} hex or {@code 0} octal, as strtol reads it), a word otherwise (lexer.l's word()).
 */
final class Defines {
    private Defines() {}

    /** The tokens with defined words replaced; definitions come from the leading {@code --define} options. */
    static List<Token> substitute(List<Token> tokens) {
        Map<String, String> defs = new HashMap<>();
        for (Token k : tokens) {
            if (k.kind() != Token.Kind.OPTION) break;
            if (k.text().startsWith("define=")) {
                String d = k.text().substring("define=".length());
                int eq = d.indexOf('=');
                defs.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? "" : d.substring(eq + 1));
            }
        }
        if (defs.isEmpty()) return tokens;
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token k : tokens) {
            String v = k.kind() == Token.Kind.WORD ? defs.get(k.text()) : null;
            out.add(v == null ? k : valueToken(v, k.pos()));
        }
        return out;
    }

    private static Token valueToken(String v, SourcePos pos) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) return new Token(Token.Kind.STRING, v.substring(1, v.length() - 1), 0, pos);
        if (v.length() >= 2 && v.startsWith("`") && v.endsWith("`")) return new Token(Token.Kind.COMMAND, v.substring(1, v.length() - 1), 0, pos);
        Long n = strtol(v);
        return n != null ? new Token(Token.Kind.INTEGER, v, n, pos) : new Token(Token.Kind.WORD, v, 0, pos);
    }

    /** strtol(v, &end, 0) when it reads the whole string, else null. */
    private static Long strtol(String v) {
        try {
            String s = v.startsWith("-") ? v.substring(1) : v;
            long sign = v.startsWith("-") ? -1 : 1;
            if (s.startsWith("0x") || s.startsWith("0X")) return sign * Long.parseLong(s.substring(2), 16);
            if (s.length() > 1 && s.startsWith("0")) return sign * Long.parseLong(s.substring(1), 8);
            return sign * Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
