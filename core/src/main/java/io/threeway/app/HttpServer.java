package io.threeway.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * A small HTTP/1.1 server (RFC 9112) over any {@link ServerSocket}, one virtual thread per connection, with
 * persistent connections (keep-alive unless the client says {@code Connection: close} or speaks HTTP/1.0
 * without keep-alive). Its routes are fixed, for experiments:
 * <ul>
 *   <li>{@code GET /}: a one-line greeting;</li>
 *   <li>{@code GET /bytes/N}: N bytes of {@link Payload} ({@code application/octet-stream});</li>
 *   <li>{@code POST /sha256}: reads the body (Content-Length) and answers its SHA-256 in hex;</li>
 *   <li>{@code GET /status/N}: an empty response with status N;</li>
 * </ul>
 * anything else is 404. Request bodies must come with a Content-Length (chunked requests get 411).
 */
public final class HttpServer implements AutoCloseable {
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    private final ServerSocket server;
    private final Thread acceptor;
    private final String name;
    /** Makes the acceptor and connection threads; null for virtual threads. */
    private final ThreadFactory threads;

    private HttpServer(ServerSocket server, String name, ThreadFactory threads) {
        this.server = server;
        this.name = name;
        this.threads = threads;
        this.acceptor = threads != null ? threads.newThread(this::acceptLoop)
                : Thread.ofVirtual().name("http-accept-" + server.getLocalPort()).unstarted(this::acceptLoop);
    }

    /** Starts serving on {@code server}, sending {@code Server: name}; {@link #close()} closes it. */
    public static HttpServer start(ServerSocket server, String name) {
        return start(server, name, null);
    }

    /**
     * Starts serving on {@code server} with threads from {@code threads} (the acceptor and one per connection),
     * e.g. a simulated network's managed factory so that the server runs in virtual time; null for virtual threads.
     */
    public static HttpServer start(ServerSocket server, String name, ThreadFactory threads) {
        HttpServer s = new HttpServer(server, name, threads);
        s.acceptor.start();
        return s;
    }

    public int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            if (threads != null) threads.newThread(() -> serve(s)).start();
            else Thread.ofVirtual().name("http-" + s.getPort()).start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
             OutputStream out = new BufferedOutputStream(s.getOutputStream(), 65536)) {
            while (handleOne(in, out)) {
                out.flush();
            }
            out.flush();
        } catch (IOException e) {
            // the client went away mid-request or reset: nothing to answer
        }
    }

    /** Reads and answers one request; returns whether the connection stays open for another. */
    private boolean handleOne(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) return false;
        if (requestLine.isEmpty()) requestLine = readLine(in); // RFC 9112 §2.2: ignore one leading empty line
        if (requestLine == null) return false;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            respond(out, 400, "Bad Request", "text/plain", bytes("bad request line\n"), false);
            return false;
        }
        String method = parts[0];
        String target = parts[1];
        boolean http10 = parts[2].equals("HTTP/1.0");
        long contentLength = 0;
        boolean chunked = false;
        String connection = "";
        for (int i = 0; ; i++) {
            String h = readLine(in);
            if (h == null) return false;
            if (h.isEmpty()) break;
            if (i >= MAX_HEADERS) {
                respond(out, 431, "Request Header Fields Too Large", "text/plain", bytes("too many headers\n"), false);
                return false;
            }
            int colon = h.indexOf(':');
            if (colon <= 0) continue;
            String field = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (field) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                }
                case "transfer-encoding" -> chunked = !value.equalsIgnoreCase("identity");
                case "connection" -> connection = value.toLowerCase(Locale.ROOT);
                default -> { }
            }
        }
        boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        if (chunked) {
            respond(out, 411, "Length Required", "text/plain", bytes("send a Content-Length\n"), false);
            return false;
        }
        if (contentLength < 0) {
            respond(out, 400, "Bad Request", "text/plain", bytes("bad Content-Length\n"), false);
            return false;
        }
        if (method.equals("POST") && target.equals("/sha256")) {
            String hex = sha256(in, contentLength);
            if (hex == null) return false;
            respond(out, 200, "OK", "text/plain", bytes(hex + "\n"), keepAlive);
            return keepAlive;
        }
        if (contentLength > 0) in.skipNBytes(contentLength);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            respond(out, 405, "Method Not Allowed", "text/plain", bytes("GET, HEAD or POST /sha256\n"), keepAlive);
            return keepAlive;
        }
        boolean head = method.equals("HEAD");
        if (target.equals("/")) {
            byte[] body = bytes("Hello from Threeway, a user-space TCP/IP stack.\n");
            respond(out, 200, "OK", "text/plain", head ? null : body, keepAlive, body.length);
        } else if (target.startsWith("/bytes/")) {
            long n = parseCount(target.substring("/bytes/".length()));
            if (n < 0) {
                respond(out, 400, "Bad Request", "text/plain", bytes("/bytes/N takes a byte count\n"), keepAlive);
            } else {
                header(out, 200, "OK", "application/octet-stream", n, keepAlive);
                if (!head) streamPayload(out, n);
            }
        } else if (target.startsWith("/status/")) {
            long code = parseCount(target.substring("/status/".length()));
            if (code < 200 || code > 599) respond(out, 400, "Bad Request", "text/plain", bytes("status 200 to 599\n"), keepAlive);
            else respond(out, (int) code, "Status " + code, "text/plain", new byte[0], keepAlive);
        } else {
            respond(out, 404, "Not Found", "text/plain", bytes("no route for " + target + "\n"), keepAlive);
        }
        return keepAlive;
    }

    private static long parseCount(String s) {
        try {
            long n = Long.parseLong(s);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void streamPayload(OutputStream out, long n) throws IOException {
        byte[] chunk = new byte[Payload.PERIOD * 256]; // a whole number of periods: every chunk is the same
        Payload.fill(0, chunk, chunk.length);
        for (long sent = 0; sent < n; ) {
            int len = (int) Math.min(chunk.length, n - sent);
            out.write(chunk, 0, len);
            sent += len;
        }
    }

    private static String sha256(InputStream in, long length) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[65536];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) return null;
            md.update(buf, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private void respond(OutputStream out, int status, String reason, String type, byte[] body, boolean keepAlive) throws IOException {
        respond(out, status, reason, type, body, keepAlive, body.length);
    }

    private void respond(OutputStream out, int status, String reason, String type, byte[] body, boolean keepAlive,
                         long length) throws IOException {
        header(out, status, reason, type, length, keepAlive);
        if (body != null) out.write(body);
    }

    private void header(OutputStream out, int status, String reason, String type, long length, boolean keepAlive) throws IOException {
        String h = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Server: " + name + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A CRLF- (or LF-) terminated line without its terminator; null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
                return b.toString();
            }
            if (b.length() >= MAX_LINE) throw new IOException("header line too long");
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
