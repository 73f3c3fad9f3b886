package io.threeway.app;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * One HTTP/1.1 GET, as {@code curl} makes it, over a socket from any factory (a Threeway stack's or the
 * kernel's), with the times curl's {@code -w} reports, each measured from the start of the fetch:
 * <ul>
 *   <li>{@code time_namelookup}: the host resolved (a literal address here: no DNS is ever asked);</li>
 *   <li>{@code time_connect}: the TCP handshake done (connect() returned);</li>
 *   <li>{@code time_appconnect}: a TLS handshake done: 0 for plain HTTP, as curl prints it;</li>
 *   <li>{@code time_pretransfer}: the request about to be sent;</li>
 *   <li>{@code time_starttransfer}: the first byte of the response read;</li>
 *   <li>{@code time_total}: the body read to its end.</li>
 * </ul>
 * The body goes to an {@link OutputStream}; its length comes from Content-Length, chunked transfer coding,
 * or the end of the connection.
 */
public final class HttpFetch {
    private HttpFetch() {}

    /** What one fetch did; times in seconds, as curl prints them. */
    public record Result(int responseCode, long sizeDownload, double timeNamelookup, double timeConnect,
                         double timeAppconnect, double timePretransfer, double timeStarttransfer, double timeTotal,
                         int numConnects, InetAddress remoteAddress, int remotePort, int localPort) {
        /** Bytes per second over the whole fetch. */
        public long speedDownload() {
            return timeTotal > 0 ? (long) (sizeDownload / timeTotal) : 0;
        }
    }

    /**
     * GETs {@code url} ({@code http://ADDRESS[:PORT]/PATH}, ADDRESS a literal IPv4 or bracketed IPv6 address)
     * on a socket from {@code sockets}, writing the body to {@code body}. {@code connectTimeoutMs} 0 waits as
     * long as TCP tries.
     */
    public static Result get(URI url, Supplier<Socket> sockets, OutputStream body, int connectTimeoutMs) throws IOException {
        if (!"http".equalsIgnoreCase(url.getScheme())) throw new IllegalArgumentException("only http:// URLs: " + url);
        String host = url.getHost();
        if (host == null) throw new IllegalArgumentException("no host in " + url);
        long start = System.nanoTime();
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host + ": give a literal address (no name resolution)");
        }
        double namelookup = seconds(start);
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        try (Socket s = sockets.get()) {
            s.connect(new InetSocketAddress(address, port), connectTimeoutMs);
            double connect = seconds(start);
            String hostHeader = (address instanceof Inet6Address ? "[" + literal + "]" : literal)
                    + (url.getPort() < 0 ? "" : ":" + port);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: threeway-curl\r\n"
                    + "Accept: */*\r\nConnection: close\r\n\r\n";
            double pretransfer = seconds(start);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
            int first = in.read();
            if (first < 0) throw new IOException("Empty reply from server");
            double starttransfer = seconds(start);
            String statusLine = (char) first + readLine(in);
            String[] st = statusLine.split(" ", 3);
            if (st.length < 2 || !st[0].startsWith("HTTP/")) throw new IOException("not an HTTP response: " + statusLine);
            int code = Integer.parseInt(st[1]);
            long contentLength = -1;
            boolean chunked = false;
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String field = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (field.equals("content-length")) contentLength = Long.parseLong(value);
                if (field.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
            }
            long size = chunked ? copyChunked(in, body) : copy(in, body, contentLength);
            return new Result(code, size, namelookup, connect, 0, pretransfer, starttransfer, seconds(start), 1,
                    address, port, s.getLocalPort());
        }
    }

    private static long copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        while (length < 0 || total < length) {
            int n = in.read(buf, 0, length < 0 ? buf.length : (int) Math.min(buf.length, length - total));
            if (n < 0) {
                if (length >= 0) throw new IOException("transfer closed with " + (length - total) + " bytes remaining to read");
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static long copyChunked(InputStream in, OutputStream out) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) throw new IOException("chunked body ended early");
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while ((sizeLine = readLine(in)) != null && !sizeLine.isEmpty()) { } // trailers
                return total;
            }
            total += copy(in, out, size);
            readLine(in);
        }
    }

    /** The longest response line read: a longer one is an error, not an unbounded buffer. */
    private static final int MAX_LINE = 16384;

    /** A CRLF- (or LF-) terminated line without its terminator; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
                return b.toString();
            }
            if (b.length() >= MAX_LINE) throw new IOException("response line longer than " + MAX_LINE + " bytes");
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
