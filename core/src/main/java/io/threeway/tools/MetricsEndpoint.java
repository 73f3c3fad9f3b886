package io.threeway.tools;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.io.UncheckedIOException;

/**
 * A Prometheus scrape target: {@code GET /metrics} answers a host's counters and socket states as
 * {@link PrometheusFormatter} writes them, from a fresh {@link HostSnapshot} per scrape.
 *
 * <p>It listens on the JVM's own loopback, 127.0.0.1, never on a Threeway stack: a scrape over the stack
 * would be a TCP connection of the stack it measures, moving the very counters it reads (ActiveOpens,
 * CurrEstab, the TIME-WAIT gauge), and a stack on a TUN device is reached from the kernel's side only. Bound
 * to loopback alone, the counters are not offered to the network; put a Prometheus (or a proxy) on the same
 * machine.
 *
 * <p>Any local user can connect, so it serves every client on its own thread through a {@link LocalServer}: a
 * client that sends half a request, or nothing, holds only its own thread and only for {@link #TIMEOUT}; at most
 * {@link #MAX_CLIENTS} at once (more get {@code 503}); requests are read up to {@link #MAX_REQUEST} bytes. One
 * request per connection, answered with {@code Connection: close}.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** How long one client may take, request and answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Clients served at once. */
    static final int MAX_CLIENTS = 64;
    /** The largest request head read. */
    static final int MAX_REQUEST = 8192;

    private final ServerSocketChannel channel;
    private final LocalServer server;

    private MetricsEndpoint(ServerSocketChannel channel, LocalServer server) {
        this.channel = channel;
        this.server = server;
    }

    /**
     * Starts serving on 127.0.0.1:{@code port} (0 for any free port).
     *
     * @param snapshot takes the host's snapshot for one scrape; called on the client's thread, so it must
     *                 take whatever lock the stack's driver needs (e.g. {@code runtime.call(...)})
     * @throws BindException naming the address when the port is taken
     */
    public static MetricsEndpoint start(int port, Supplier<HostSnapshot> snapshot) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            ch.bind(address, 128);
        } catch (IOException e) {
            ch.close();
            BindException b = new BindException("cannot serve metrics on " + address.getAddress().getHostAddress() + ":"
                    + port + ": " + e.getMessage());
            b.initCause(e);
            throw b;
        }
        LocalServer server = LocalServer.start(ch, c -> answer(c, snapshot),
                c -> {
                    if (readHead(c) != null) reply(c, 503, "text/plain; charset=utf-8", "busy: too many clients\n", false);
                },
                MAX_CLIENTS, TIMEOUT, "threeway-metrics");
        return new MetricsEndpoint(ch, server);
    }

    private static void answer(SocketChannel c, Supplier<HostSnapshot> snapshot) throws IOException {
        String head = readHead(c);
        if (head == null) return;
        String[] line = head.substring(0, Math.max(0, head.indexOf("\r\n"))).split(" ");
        if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
            reply(c, 400, "text/plain; charset=utf-8", "bad request\n", false);
        } else if (!line[0].equals("GET") && !line[0].equals("HEAD")) {
            reply(c, 405, "text/plain; charset=utf-8", "GET /metrics\n", false);
        } else if (!line[1].equals("/metrics") && !line[1].startsWith("/metrics?")) {
            reply(c, 404, "text/plain; charset=utf-8", "the metrics are at /metrics\n", line[0].equals("HEAD"));
        } else {
            reply(c, 200, PrometheusFormatter.CONTENT_TYPE, PrometheusFormatter.format(snapshot.get()), line[0].equals("HEAD"));
        }
    }

    /** The request head up to its blank line (CRLF CRLF), or null if it ends first or grows too large. */
    private static String readHead(SocketChannel c) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
        while (in.hasRemaining() && c.read(in) >= 0) {
            String s = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            if (s.contains("\r\n\r\n") || s.contains("\n\n")) return s.replace("\r\n", "\n").replace("\n", "\r\n");
        }
        if (!in.hasRemaining()) reply(c, 431, "text/plain; charset=utf-8", "request too large\n", false);
        return null;
    }

    private static void reply(SocketChannel c, int status, String type, String body, boolean head) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String h = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(h.length() + (head ? 0 : b.length));
        out.put(h.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) out.put(b);
        out.flip();
        while (out.hasRemaining()) c.write(out);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            default -> "Service Unavailable";
        };
    }

    /** The port it listens on (the one chosen when started with 0). */
    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening channel does not fail in practice; nothing to add
        }
    }
}
