package io.threeway.conformance.run;

/** The shell's {@code $((...))} over integers: + - * / % with the usual precedence, unary minus, parentheses. */
final class Arithmetic {
    private final String s;
    private int i;

    private Arithmetic(String s) {
        this.s = s;
    }

    /** The value, or null when the text is not such an expression (or divides by zero). */
    static Long eval(String text) {
        try {
            Arithmetic a = new Arithmetic(text);
            long v = a.sum();
            a.blanks();
            return a.i == a.s.length() ? v : null;
        } catch (ArithmeticException | NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private void blanks() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean accept(char c) {
        blanks();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private long sum() {
        long v = product();
        while (true) {
            if (accept('+')) v = Math.addExact(v, product());
            else if (accept('-')) v = Math.subtractExact(v, product());
            else return v;
        }
    }

    private long product() {
        long v = unary();
        while (true) {
            if (accept('*')) v = Math.multiplyExact(v, unary());
            else if (accept('/')) v = v / unary();
            else if (accept('%')) v = v % unary();
            else return v;
        }
    }

    private long unary() {
        if (accept('-')) return -unary();
        if (accept('+')) return unary();
        if (accept('(')) {
            long v = sum();
            if (!accept(')')) throw new NumberFormatException("missing )");
            return v;
        }
        blanks();
        int start = i;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            i += 2;
            while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) i++;
            return Long.parseLong(s.substring(start + 2, i), 16);
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        return Long.parseLong(s.substring(start, i));
    }
}
