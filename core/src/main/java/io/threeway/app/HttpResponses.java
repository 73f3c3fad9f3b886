package io.threeway.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses straight to the connection's stream. The head goes out in one write with the body (or, for
 * {@code /bytes/N}, with the body's first chunk): written apart, the body's last short segment would wait behind
 * the head's under Nagle's algorithm for the client's delayed ACK, the write-write-read stall. No buffer is held
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
        out.write(withHead(head(status, "text/plain", b.length, keepAlive), b, head ? 0 : b.length));
        out.flush();
    }

    /** A {@code 100 Continue} interim response (RFC 9110 §15.2.1). */
    void continue100() throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** {@code n} bytes of {@link Payload}. */
    void payload(long n, boolean keepAlive, boolean head) throws IOException {
        byte[] h = head(200, "application/octet-stream", n, keepAlive);
        long sent = head ? n : Math.min(n, PAYLOAD_CHUNK.length - h.length);
        out.write(withHead(h, PAYLOAD_CHUNK, (int) sent));
        while (sent < n) {
            int off = (int) (sent % Payload.PERIOD);  // the chunk repeats the payload's period from any period start
            int len = (int) Math.min(PAYLOAD_CHUNK.length - off, n - sent);
            out.write(PAYLOAD_CHUNK, off, len);
            sent += len;
        }
        out.flush();
    }

    /** The head followed by the first {@code len} bytes of {@code body}, as one array for one write. */
    private static byte[] withHead(byte[] head, byte[] body, int len) {
        byte[] all = new byte[head.length + len];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, len);
        return all;
    }

    private byte[] head(int status, String type, long length, boolean keepAlive) {
        String h = "HTTP/1.1 " + status + " " + HttpError.reason(status) + "\r\n"
                + "Server: " + server + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        return h.getBytes(StandardCharsets.ISO_8859_1);
    }
}
