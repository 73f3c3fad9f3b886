package io.threeway.lab.scenarios;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough HTTP/1.1 framing (RFC 9112) for the lab's clients, proxies and servers: a head of lines ending
 * in an empty line, and a body of exactly Content-Length bytes. Every message says {@code Connection: close}.
 */
final class MiniHttp {
    private MiniHttp() {}

    private static final int MAX_HEAD = 16 * 1024;

    /** A message read whole: its head as sent, and its body. */
    record Message(String head, byte[] body) {
        /** The message as bytes on the wire. */
        byte[] bytes() {
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[h.length + body.length];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(body, 0, out, h.length, body.length);
            return out;
        }
    }

    /** A POST's head to {@code host} (its Host header: an address, IPv6's in brackets). */
    static String requestHead(String host, int contentLength) {
        return "POST /upload HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
    }

    static String responseHead(int contentLength) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
    }

    static void write(OutputStream out, String head) throws IOException {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one message: the head up to its empty line, then Content-Length bytes of body. */
    static Message read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed inside an HTTP head");
            if (head.length() >= MAX_HEAD) throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            head.append((char) c);
        }
        return new Message(head.toString(), in.readNBytes(contentLength(head.toString())));
    }

    private static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + line);
                }
            }
        }
        return 0;
    }
}
