package io.threeway.app;

import java.io.IOException;
import java.util.Locale;
import java.io.EOFException;

/**
 * Reads a request's head strictly as RFC 9112 writes it, within a server's {@link ServerLimits}:
 * <ul>
 *   <li>§2.2: up to a few empty lines before the request line are skipped; a bare CR is an error;</li>
 *   <li>§3: {@code method SP request-target SP HTTP-version}, single spaces, the method a token, the target
 *       visible ASCII in origin form, absolute form or {@code *}; {@code 414} beyond the line limit;
 *       {@code HTTP/1.0} and {@code HTTP/1.1} only ({@code 505} for another well-formed version);</li>
 *   <li>§5: field names are tokens with no space before the colon; obsolete line folding is refused; values carry
 *       no control characters; {@code 431} beyond the header's size or field count;</li>
 *   <li>§6.3, against request smuggling: one Content-Length of digits only (a repeated or listed one, even with
 *       equal values, is refused); Transfer-Encoding only {@code chunked} and not with Content-Length, and not in
 *       HTTP/1.0 ({@code 400}); another transfer coding is {@code 501};</li>
 *   <li>§3.2: an HTTP/1.1 request has exactly one Host.</li>
 * </ul>
 */
final class RequestParser {
    private static final int MAX_LEADING_EMPTY_LINES = 4;
    /** 19 digits always fit in a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private final ServerLimits limits;

    RequestParser(ServerLimits limits) {
        this.limits = limits;
    }

    /** The next request's head; null when the stream ends before a request starts. */
    HttpRequest read(HttpInput in) throws IOException, HttpError {
        String line = in.readLine(limits.maxRequestLine(), 414);
        for (int i = 0; line != null && line.isEmpty() && i < MAX_LEADING_EMPTY_LINES; i++) {
            line = in.readLine(limits.maxRequestLine(), 414);
        }
        if (line == null) return null;
        if (line.isEmpty()) throw new HttpError(400, "no request line");
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) throw new HttpError(400, "a request line is METHOD SP TARGET SP VERSION");
        if (!isToken(parts[0])) throw new HttpError(400, "bad method");
        checkTarget(parts[0], parts[1]);
        int minor = version(parts[2]);
        Fields f = fields(in, minor);
        boolean keepAlive = minor == 1 ? !hasOption(f.connection, "close") : hasOption(f.connection, "keep-alive");
        return new HttpRequest(parts[0], parts[1], minor, f.contentLength, f.chunked, keepAlive, f.expectContinue);
    }

    private static void checkTarget(String method, String target) throws HttpError {
        if (target.isEmpty()) throw new HttpError(400, "empty request target");
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) throw new HttpError(400, "request target with a control or non-ASCII byte");
        }
        boolean origin = target.charAt(0) == '/';
        boolean absolute = target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8);
        boolean asterisk = target.equals("*") && method.equals("OPTIONS");
        if (!origin && !absolute && !asterisk) throw new HttpError(400, "request target not in origin or absolute form");
    }

    /** RFC 9112 §2.3: {@code HTTP/DIGIT.DIGIT}; 1.0 and 1.1 served. */
    private static int version(String v) throws HttpError {
        if (v.length() != 8 || !v.startsWith("HTTP/") || !isDigit(v.charAt(5)) || v.charAt(6) != '.' || !isDigit(v.charAt(7))) {
            throw new HttpError(400, "bad HTTP version");
        }
        if (v.charAt(5) != '1' || (v.charAt(7) != '0' && v.charAt(7) != '1')) {
            throw new HttpError(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        return v.charAt(7) - '0';
    }

    /** What the header fields say about framing and the connection. */
    private static final class Fields {
        long contentLength = -1;
        boolean chunked;
        String transferEncoding;
        String connection = "";
        int hosts;
        boolean expectContinue;
    }

    private Fields fields(HttpInput in, int minor) throws IOException, HttpError {
        Fields f = new Fields();
        int bytes = 0;
        for (int count = 0; ; count++) {
            String line = in.readLine(limits.maxHeaderBytes() - bytes, 431);
            if (line == null) throw new EOFException("the stream ended inside the header");
            if (line.isEmpty()) break;
            bytes += line.length() + 2;
            if (count >= limits.maxHeaderFields()) throw new HttpError(431, "more than " + limits.maxHeaderFields() + " fields");
            field(line, f);
        }
        if (f.transferEncoding != null) {
            if (f.contentLength >= 0) throw new HttpError(400, "both Transfer-Encoding and Content-Length");
            if (minor == 0) throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
            if (!f.transferEncoding.equalsIgnoreCase("chunked")) {
                if (f.transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                    throw new HttpError(501, "transfer codings other than chunked are not implemented");
                }
                throw new HttpError(400, "chunked is not the final transfer coding");
            }
            f.chunked = true;
        }
        if (minor == 1 && f.hosts != 1) throw new HttpError(400, f.hosts == 0 ? "no Host" : "more than one Host");
        return f;
    }

    private static void field(String line, Fields f) throws HttpError {
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new HttpError(400, "obsolete line folding");
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) throw new HttpError(400, "bad field name");
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) throw new HttpError(400, "control character in a field value");
        }
        switch (line.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "content-length" -> {
                if (f.contentLength >= 0) throw new HttpError(400, "more than one Content-Length");
                f.contentLength = contentLength(value);
            }
            case "transfer-encoding" -> {
                if (f.transferEncoding != null) throw new HttpError(400, "more than one Transfer-Encoding line");
                f.transferEncoding = value;
            }
            case "connection" -> f.connection = f.connection + "," + value.toLowerCase(Locale.ROOT);
            case "host" -> f.hosts++;
            case "expect" -> {
                if (!value.equalsIgnoreCase("100-continue")) throw new HttpError(417, "only 100-continue is expected");
                f.expectContinue = true;
            }
            default -> { }
        }
    }

    /** RFC 9110 §8.6: {@code 1*DIGIT}; no sign, no space, no list. */
    private static long contentLength(String v) throws HttpError {
        if (v.isEmpty() || v.length() > MAX_LENGTH_DIGITS) throw new HttpError(v.isEmpty() ? 400 : 413, "bad Content-Length");
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!isDigit(c)) throw new HttpError(400, "Content-Length is digits only");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Whether the Connection field's comma-separated options (RFC 9110 §7.6.1) include {@code option}. */
    private static boolean hasOption(String list, String option) {
        for (String o : list.split(",")) {
            if (o.strip().equals(option)) return true;
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 §5.6.2: {@code token = 1*tchar}. */
    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
