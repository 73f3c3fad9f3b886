package io.threeway.conformance.python;

import java.util.List;
import java.util.IllegalFormatException;
import java.util.Locale;

/** Python's printf-style {@code 'fmt' % values}: %d %i %u %s %r %x %X %o %f %% with widths and flags. */
final class PyFormat {
    private PyFormat() {}

    static String format(String fmt, Object values, int line) {
        List<?> args = values instanceof List<?> l ? l : List.of(values == null ? "None" : values);
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int k = i + 1;
            while (k < fmt.length() && "-+ #0123456789.".indexOf(fmt.charAt(k)) >= 0) k++;
            if (k >= fmt.length()) throw new PyError(line, "ValueError: incomplete format");
            char conv = fmt.charAt(k);
            String flags = fmt.substring(i + 1, k);
            if (flags.matches(".*\\d{5,}.*")) throw new PyUnsupported("line " + line + ": a field width of 10000 or more");
            i = k;
            if (conv == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) throw new PyError(line, "TypeError: not enough arguments for format string");
            try {
                out.append(one(conv, flags, args.get(next++), line));
            } catch (IllegalFormatException e) {
                throw new PyUnsupported("line " + line + ": the format %" + flags + conv);
            }
        }
        if (next < args.size()) throw new PyError(line, "TypeError: not all arguments converted during string formatting");
        return out.toString();
    }

    private static String one(char conv, String flags, Object v, int line) {
        switch (conv) {
            case 'd', 'i', 'u', 'x', 'X', 'o' -> {
                Long n = PyValues.asLong(v);
                if (n == null && v instanceof Double d) n = (long) (double) d;
                if (n == null) throw new PyError(line, "TypeError: %" + conv + " format: a number is required, not " + PyValues.typeName(v));
                char jc = conv == 'i' || conv == 'u' ? 'd' : conv;
                return String.format(Locale.ROOT, "%" + flags + jc, n);
            }
            case 'f', 'e', 'g' -> {
                Double d = PyValues.asDouble(v);
                if (d == null) throw new PyError(line, "TypeError: must be real number, not " + PyValues.typeName(v));
                return String.format(Locale.ROOT, "%" + flags + conv, d);
            }
            case 's', 'r' -> {
                String s = conv == 'r' && v instanceof String str ? "'" + str + "'" : PyValues.str(v);
                return flags.isEmpty() ? s : String.format(Locale.ROOT, "%" + flags + "s", s);
            }
            default -> throw new PyUnsupported("line " + line + ": the format %" + conv);
        }
    }
}
