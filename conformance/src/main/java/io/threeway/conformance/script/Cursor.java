package io.threeway.conformance.script;

/**
 * Scans one line of a script, left to right, knowing its position for error messages. Whitespace between
 * tokens is skipped by the {@code peek}/{@code take} methods; the line has no comment left in it.
 */
final class Cursor {
    private final String file;
    private final int line;
    private final String text;
    private int i;

    Cursor(String file, int line, String text) {
        this.file = file;
        this.line = line;
        this.text = text;
    }

    String text() { return text; }

    SourcePos pos() {
        skipSpace();
        return new SourcePos(file, line, i + 1);
    }

    ScriptException error(String message) {
        return new ScriptException(pos(), message);
    }

    void skipSpace() {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    }

    boolean atEnd() {
        skipSpace();
        return i >= text.length();
    }

    /** The next character after whitespace, or 0 at the end. */
    char peek() {
        skipSpace();
        return i < text.length() ? text.charAt(i) : 0;
    }

    /** The character at the cursor without skipping whitespace, or 0. */
    char peekRaw() {
        return i < text.length() ? text.charAt(i) : 0;
    }

    boolean lookingAt(String s) {
        skipSpace();
        return text.startsWith(s, i);
    }

    /** Consumes {@code s} if it comes next. */
    boolean accept(String s) {
        if (!lookingAt(s)) return false;
        i += s.length();
        return true;
    }

    void expect(String s) {
        if (!accept(s)) throw error("expected '" + s + "'" + found());
    }

    String found() {
        skipSpace();
        if (i >= text.length()) return " at the end of the line";
        int end = i;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - i < 20) end++;
        return ", found '" + text.substring(i, end) + "'";
    }

    /** An identifier: letters, digits and underscores, starting with a letter or underscore. */
    String identifier() {
        skipSpace();
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
        if (start == i || Character.isDigit(text.charAt(start))) {
            i = start;
            throw error("expected a name" + found());
        }
        return text.substring(start, i);
    }

    boolean atIdentifier() {
        char c = peek();
        return Character.isLetter(c) || c == '_';
    }

    boolean atNumber() {
        char c = peek();
        return Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)));
    }

    /** A non-negative integer, decimal or {@code 0x} hex. */
    long integer() {
        skipSpace();
        int start = i;
        if (text.startsWith("0x", i) || text.startsWith("0X", i)) {
            i += 2;
            while (i < text.length() && Character.digit(text.charAt(i), 16) >= 0) i++;
            if (i == start + 2) throw error("expected hex digits");
            try {
                return Long.parseUnsignedLong(text.substring(start + 2, i), 16);
            } catch (NumberFormatException e) { // more than 64 bits (found by the packetdrill fuzz target)
                i = start;
                throw error("number out of range");
            }
        }
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        if (start == i) throw error("expected a number" + found());
        try {
            return Long.parseLong(text.substring(start, i));
        } catch (NumberFormatException e) {
            i = start;
            throw error("number out of range");
        }
    }

    /** Seconds as written ({@code 1}, {@code 0.25}, {@code .1}), returned in microseconds. */
    long seconds() {
        skipSpace();
        int start = i;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            if (text.startsWith("...", i)) break;
            i++;
        }
        String s = text.substring(start, i);
        if (s.isEmpty() || s.equals(".")) {
            i = start;
            throw error("expected a time in seconds" + found());
        }
        try {
            return new java.math.BigDecimal(s).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            i = start;
            throw error("bad time '" + s + "'");
        }
    }

    /** Characters up to (not including) whitespace or one of {@code stops}. */
    String word(String stops) {
        skipSpace();
        int start = i;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && stops.indexOf(text.charAt(i)) < 0) i++;
        return text.substring(start, i);
    }

    /** Everything up to {@code close} (which is consumed), or an error naming what is missing. */
    String until(char close) {
        int end = text.indexOf(close, i);
        if (end < 0) throw error("missing '" + close + "'");
        String s = text.substring(i, end);
        i = end + 1;
        return s;
    }

    /** The rest of the line, trimmed; the cursor moves to the end. */
    String rest() {
        String s = text.substring(Math.min(i, text.length())).trim();
        i = text.length();
        return s;
    }
}
