package io.threeway.lab.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The HTTP/1.1 framing (RFC 9112) the file's http-server and http-client speak: a head, then Content-Length bytes. */
final class HttpText {
    private HttpText() {}

    /** The longest head read. */
    private static final int MAX_HEAD = 16 * 1024;

    static byte[] request(int bodyLength, boolean keepAlive) {
        return message("POST / HTTP/1.1\r\nHost: lab\r\n", bodyLength, keepAlive);
    }

    static byte[] response(int bodyLength, boolean keepAlive) {
        return message("HTTP/1.1 200 OK\r\n", bodyLength, keepAlive);
    }

    private static byte[] message(String start, int bodyLength, boolean keepAlive) {
        byte[] head = (start + "Content-Length: " + bodyLength + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close")
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + bodyLength];
        System.arraycopy(head, 0, out, 0, head.length);
        return out;
    }

    /** Reads a head; null at a clean end of stream before it. */
    static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                if (head.isEmpty()) return null;
                throw new EOFException("connection closed inside an HTTP head");
            }
            if (head.length() >= MAX_HEAD) throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            head.append((char) c);
        }
        return head.toString();
    }

    /** Reads and discards the body the head announces; returns its length. */
    static int body(InputStream in, String head) throws IOException {
        int n = header(head, "content-length") == null ? 0 : Integer.parseInt(header(head, "content-length"));
        in.skipNBytes(n); // EOFException when the connection closes inside the body
        return n;
    }

    /** Whether the message asks to close the connection after it. */
    static boolean closes(String head) {
        return "close".equalsIgnoreCase(header(head, "connection"));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
