package io.threeway.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.math.BigInteger;

/**
 * Cuts a script into tokens the way packetdrill's flex scanner ({@code lexer.l}) does: the longest match wins,
 * and between matches of equal length the earlier rule (float, integer, hex, word). Whitespace, {@code //} and
 * {@code /* *}{@code /} comments separate tokens; backtick commands and {@code %{ }%} code blocks may span
 * lines. Keywords ({@code ack}, {@code win}, {@code mss}...) are words here; the parser reads them by context,
 * which accepts every script packetdrill accepts. A pure function of the text.
 */
final class Lexer {
    private final String file;
    private final String s;
    private int i;
    private int line = 1;
    private int lineStart;

    private Lexer(String file, String source) {
        this.file = file;
        this.s = source;
    }

    /** All tokens of {@code source}, ending with one {@link Token.Kind#EOF}. */
    static List<Token> tokens(String file, String source) {
        Lexer lx = new Lexer(file, source);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.kind() != Token.Kind.EOF);
        return out;
    }

    private SourcePos pos(int at) {
        return new SourcePos(file, line, at - lineStart + 1);
    }

    private ScriptException error(int at, String message) {
        return new ScriptException(pos(at), message);
    }

    private char at(int k) {
        return k < s.length() ? s.charAt(k) : 0;
    }

    /** Moves past {@code n} characters, counting lines. */
    private void advance(int n) {
        for (int k = 0; k < n; k++) {
            if (s.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
            i++;
        }
    }

    private Token next() {
        skipBlanksAndComments();
        if (i >= s.length()) return new Token(Token.Kind.EOF, "", 0, pos(i));
        int start = i;
        SourcePos p = pos(i);
        char c = s.charAt(i);
        if (c == '"') return delimited(Token.Kind.STRING, '"', p, "string");
        if (c == '`') return delimited(Token.Kind.COMMAND, '`', p, "`command`");
        if (c == '%' && at(i + 1) == '{') return code(p);
        if (c == '-' && at(i + 1) == '-' && isWordChar(at(i + 2))) return option(p);
        if (s.startsWith("...", i)) {
            advance(3);
            return new Token(Token.Kind.ELLIPSIS, "...", 0, p);
        }
        Token number = numberOrWord(p);
        if (number != null) return number;
        advance(1);
        return new Token(Token.Kind.CHAR, s.substring(start, i), 0, p);
    }

    private void skipBlanksAndComments() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                advance(1);
            } else if (c == '/' && at(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') advance(1);
            } else if (c == '/' && at(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) throw error(i, "unterminated /* comment");
                advance(end + 2 - i);
            } else {
                return;
            }
        }
    }

    /** A string or command: everything up to the closing delimiter; a backslash keeps the next character. */
    private Token delimited(Token.Kind kind, char close, SourcePos p, String what) {
        int start = i;
        int k = i + 1;
        while (k < s.length() && s.charAt(k) != close) k += s.charAt(k) == '\\' ? 2 : 1;
        if (k >= s.length()) throw error(start, "unterminated " + what);
        advance(k + 1 - i);
        return new Token(kind, s.substring(start + 1, k), 0, p);
    }

    /** {@code %{ ... }%}, with the spaces and tabs at both ends stripped (lexer.l's code()). */
    private Token code(SourcePos p) {
        int start = i;
        int end = s.indexOf("}%", i + 2);
        if (end < 0) throw error(start, "unterminated %{ block");
        advance(end + 2 - i);
        String body = s.substring(start + 2, end);
        int a = 0;
        int b = body.length();
        while (a < b && (body.charAt(a) == ' ' || body.charAt(a) == '\t')) a++;
        while (b > a && (body.charAt(b - 1) == ' ' || body.charAt(b - 1) == '\t')) b--;
        return new Token(Token.Kind.CODE, body.substring(a, b), 0, p);
    }

    /**
     * {@code --name}, or {@code --name=value} with the value as written up to whitespace (a quoted value may hold
     * spaces). The token's text is {@code name} or {@code name=value}.
     */
    private Token option(SourcePos p) {
        int k = i + 2;
        while (isWordChar(at(k))) k++;
        if (at(k) == '=') {
            k++;
            if (at(k) == '"') {
                int close = s.indexOf('"', k + 1);
                if (close < 0) throw error(k, "unterminated string");
                k = close + 1;
            }
            while (k < s.length() && !Character.isWhitespace(s.charAt(k))) k++;
        }
        String text = s.substring(i + 2, k);
        advance(k - i);
        return new Token(Token.Kind.OPTION, text, 0, p);
    }

    /** The longest of IPv4 address, float, integer, hex and word at the cursor, or null if none starts here. */
    private Token numberOrWord(SourcePos p) {
        boolean negative = s.charAt(i) == '-';
        int from = negative ? i + 1 : i;
        int ipv4 = negative ? 0 : ipv4Length(from);
        int flt = floatLength(from);
        int integer = digits(from);
        int hex = !negative && at(from) == '0' && (at(from + 1) == 'x') && isHexDigit(at(from + 2)) ? hexLength(from) : 0;
        int word = negative ? 0 : wordLength(from);
        if (negative && flt == 0 && integer == 0) return null;
        int best = Math.max(Math.max(ipv4, flt), Math.max(Math.max(integer, hex), word));
        if (best == 0) return null;
        int len = best + (negative ? 1 : 0);
        String text = s.substring(i, i + len);
        advance(len);
        if (ipv4 == best) return new Token(Token.Kind.IPV4, text, 0, p);
        if (flt == best) return new Token(Token.Kind.FLOAT, text, 0, p);
        if (integer == best) return new Token(Token.Kind.INTEGER, text, parse(text, 10), p);
        if (hex == best) return new Token(Token.Kind.HEX, text, parse(text.substring(2), 16), p);
        return new Token(Token.Kind.WORD, text, 0, p);
    }

    /**
     * The value of a number; one too large for 64 bits saturates (as atoll does), which every range check then
     * rejects, while the text stays whole for a hex blob such as a long Fast Open cookie written in digits.
     */
    private static long parse(String digits, int radix) {
        BigInteger v = new BigInteger(digits, radix);
        if (v.bitLength() < 64) return v.longValue();
        return v.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    private int digits(int k) {
        int n = 0;
        while (Character.isDigit(at(k + n)) && at(k + n) < 128) n++;
        return n;
    }

    private int floatLength(int k) {
        int whole = digits(k);
        if (at(k + whole) != '.') return 0;
        int fraction = digits(k + whole + 1);
        return fraction == 0 ? 0 : whole + 1 + fraction;
    }

    private int hexLength(int k) {
        int n = 2;
        while (isHexDigit(at(k + n))) n++;
        return n;
    }

    private int wordLength(int k) {
        int n = 0;
        while (isWordChar(at(k + n))) n++;
        return n;
    }

    private int ipv4Length(int k) {
        int n = 0;
        for (int part = 0; part < 4; part++) {
            int d = digits(k + n);
            if (d == 0) return 0;
            n += d;
            if (part < 3) {
                if (at(k + n) != '.') return 0;
                n++;
            }
        }
        return n;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
