package io.threeway.trace;

import java.util.Set;
import java.util.Locale;

/**
 * tcpdump's one-line summary of HTTP segments (its txtproto_print in non-verbose mode): {@code : HTTP}, and
 * when the payload starts with a request line (a known method, any case) or a status line (a three-digit
 * second token), {@code : HTTP: } and that first line.
 */
final class Http {
    private Http() {}

    private static final Set<String> METHODS = Set.of("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE",
            "CONNECT", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH");
    private static final int MAX_TOKEN = 128;

    static void appendSummary(StringBuilder b, byte[] p, int off, int len) {
        b.append(": HTTP");
        int end = off + len;
        int firstEnd = tokenEnd(p, off, end);
        if (firstEnd < 0) return;
        boolean show = METHODS.contains(ascii(p, off, firstEnd).toUpperCase(Locale.ROOT));
        if (!show) {
            int second = firstEnd + 1;
            int secondEnd = tokenEnd(p, second, end);
            show = secondEnd == second + 3 && digit(p[second]) && digit(p[second + 1]) && digit(p[second + 2]);
        }
        if (!show) return;
        int eol = off;
        while (eol < end && p[eol] != '\r' && p[eol] != '\n') eol++;
        b.append(": ");
        for (int i = off; i < eol; i++) {
            int c = p[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) b.append((char) c);
            else b.append('.');
        }
    }

    /** End of a space-terminated token starting at {@code from}, or -1 if there is none. */
    private static int tokenEnd(byte[] p, int from, int end) {
        int i = from;
        while (i < end && i - from <= MAX_TOKEN) {
            int c = p[i] & 0xFF;
            if (c == ' ') return i > from ? i : -1;
            if (c < 0x21 || c > 0x7E) return -1;
            i++;
        }
        return -1;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String ascii(byte[] p, int from, int to) {
        StringBuilder s = new StringBuilder(to - from);
        for (int i = from; i < to; i++) s.append((char) (p[i] & 0xFF));
        return s.toString();
    }
}
