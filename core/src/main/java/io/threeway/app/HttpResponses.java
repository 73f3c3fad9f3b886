package io.threeway.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses straight to the connection's stream: the head as one array, then the body. No buffer is held
 * between responses; {@code /bytes/N} streams from one read-only chunk shared by every connection.
 */
final class HttpResponses {
    /** A whole number of {@link Payload} periods (64,256 bytes), so every chunk of a response is the same. */
    private static final byte[] PAYLOAD_CHUNK = new byte[Payload.PERIOD * 256];

    static {
        Payload.fill(0, PAYLOAD_CHUNK, PAYLOAD_CHUNK.length);
    }

    private final OutputStream out;
    private final String server;

    HttpResponses(OutputStream out, String server) {
        this.out = out;
        this.server = server;
    }

    /** A complete response with a text body (none for HEAD). */
    void text(int status, String body, boolean keepAlive, boolean head) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        head(status, "text/plain", b.length, keepAlive);
        if (!head) out.write(b);
        out.flush();
    }

    /** A {@code 100 Continue} interim response (RFC 9110 §15.2.1). */
    void continue100() throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** {@code n} bytes of {@link Payload}. */
    void payload(long n, boolean keepAlive, boolean head) throws IOException {
        head(200, "application/octet-stream", n, keepAlive);
        if (!head) {
            for (long sent = 0; sent < n; ) {
                int len = (int) Math.min(PAYLOAD_CHUNK.length, n - sent);
                out.write(PAYLOAD_CHUNK, 0, len);
                sent += len;
            }
        }
        out.flush();
    }

    private void head(int status, String type, long length, boolean keepAlive) throws IOException {
        String h = "HTTP/1.1 " + status + " " + HttpError.reason(status) + "\r\n"
                + "Server: " + server + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
    }
}
