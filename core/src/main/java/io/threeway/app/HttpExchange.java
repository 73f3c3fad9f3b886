package io.threeway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One connection's requests and answers, in order (RFC 9112 §9.3), with the server's fixed routes: {@code GET /},
 * {@code GET /bytes/N}, {@code POST /sha256}, {@code GET /status/N}; anything else is 404 (405 for other methods).
 * Written over plain streams and a {@link ReadDeadline}, so the fuzz target runs it from memory.
 *
 * <p>Timeouts: waiting for a request, the idle timeout (the connection closes without a word, RFC 9112 §9.5);
 * from a request's first byte, the header timeout, then the body's; a request cut short by either gets {@code 408}.
 * A refused request gets its status with {@code Connection: close}, and the connection closes.
 */
final class HttpExchange {
    /** What ended the exchange. */
    enum End { CLIENT_CLOSED, IDLE_TIMEOUT, REQUEST_TIMEOUT, REJECTED, NOT_KEEP_ALIVE }

    private final ServerLimits limits;
    private final ReadDeadline deadline;
    private final HttpInput in;
    private final HttpResponses out;
    private final RequestParser parser;
    private final ConnectionSlots.Slot slot;

    HttpExchange(InputStream in, OutputStream out, ReadDeadline deadline, ServerLimits limits, String server,
                 ConnectionSlots.Slot slot) {
        this.limits = limits;
        this.deadline = deadline;
        this.in = new HttpInput(in, deadline);
        this.out = new HttpResponses(out, server);
        this.parser = new RequestParser(limits);
        this.slot = slot;
    }

    /** Serves requests until the connection should close; IOException when the client went away mid-answer. */
    End run() throws IOException {
        while (true) {
            deadline.start(limits.idleTimeout());
            if (slot != null) slot.idle(true);
            try {
                if (!in.awaitRequest()) return End.CLIENT_CLOSED;
            } catch (SocketTimeoutException e) {
                return End.IDLE_TIMEOUT;
            } finally {
                if (slot != null) slot.idle(false);
            }
            deadline.start(limits.headerTimeout());
            try {
                HttpRequest r = parser.read(in);
                if (r == null) return End.CLIENT_CLOSED;
                if (!answer(r)) return End.NOT_KEEP_ALIVE;
            } catch (HttpError e) {
                out.text(e.status, e.getMessage() + "\n", false, false);
                return End.REJECTED;
            } catch (SocketTimeoutException e) {
                out.text(408, "the request took too long\n", false, false);
                return End.REQUEST_TIMEOUT;
            }
        }
    }

    /** Answers one request; false when the connection closes after it. */
    private boolean answer(HttpRequest r) throws IOException, HttpError {
        boolean keepAlive = r.keepAlive();
        boolean head = r.method().equals("HEAD");
        if (r.hasBody() && r.expectContinue() && r.minorVersion() == 1) {
            if (r.contentLength() > limits.maxBody()) throw new HttpError(413, "body larger than " + limits.maxBody());
            out.continue100();
        }
        String path = r.path();
        if (r.method().equals("POST") && path.equals("/sha256")) {
            MessageDigest md = sha256();
            new HttpBody(in, deadline, limits).read(r, md::update);
            out.text(200, HexFormat.of().formatHex(md.digest()) + "\n", keepAlive, false);
            return keepAlive;
        }
        if (r.hasBody()) new HttpBody(in, deadline, limits).read(r, (b, off, len) -> { });
        if (!r.method().equals("GET") && !head) {
            out.text(405, "GET, HEAD or POST /sha256\n", keepAlive, false);
        } else if (path.equals("/")) {
            out.text(200, "Hello from Threeway, a user-space TCP/IP stack.\n", keepAlive, head);
        } else if (path.startsWith("/bytes/")) {
            long n = count(path.substring("/bytes/".length()));
            if (n < 0) out.text(400, "/bytes/N takes a byte count\n", keepAlive, head);
            else out.payload(n, keepAlive, head);
        } else if (path.startsWith("/status/")) {
            long code = count(path.substring("/status/".length()));
            if (code < 200 || code > 599) {
                out.text(400, "status 200 to 599\n", keepAlive, head);
            } else {
                // A status that refuses a request closes the connection, asked for or not (RFC 9110 §15.5.9: a 408
                // SHOULD say close); the fuzz target holds every refusal to that.
                boolean refusal = code == 408 || code == 413 || code == 414 || code == 417 || code == 431 || code == 501
                        || code == 505;
                out.text((int) code, "", keepAlive && !refusal, head);
                if (refusal) return false;
            }
        } else {
            out.text(404, "no route for " + r.target() + "\n", keepAlive, head);
        }
        return keepAlive;
    }

    /** A decimal count of at most 18 digits, or -1. */
    private static long count(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        }
        return Long.parseLong(s);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
