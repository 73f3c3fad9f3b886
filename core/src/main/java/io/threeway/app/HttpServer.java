package io.threeway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A small HTTP/1.1 server (RFC 9112) over any {@link ServerSocket}, a thread per connection, with persistent
 * connections; its routes are fixed, for experiments ({@link HttpExchange}: {@code /}, {@code /bytes/N},
 * {@code POST /sha256}, {@code /status/N}). Request bodies come with a Content-Length or chunked.
 *
 * <p>Hardened for hostile clients, within {@link ServerLimits}: requests are parsed strictly
 * ({@link RequestParser}: smuggling through duplicate lengths, odd versions and oversized lines and headers get
 * 400, 505, 414 and 431), idle, header and body timeouts close slow clients (slowloris), a body's size is
 * limited (413), and the number of connections is bounded, the connection idle longest giving way to a new one
 * ({@link ConnectionSlots}; 503 when none is idle). An idle connection holds no buffer, only its thread.
 * Timeouts run on {@link ServerRuntime}'s clock through {@code SO_TIMEOUT}; threads come from its factory.
 */
public final class HttpServer implements AutoCloseable {
    private final ServerSocket server;
    private final String name;
    private final ServerLimits limits;
    private final ServerRuntime runtime;
    private final ServerStats stats = new ServerStats();
    private final ConnectionSlots slots;

    private HttpServer(ServerSocket server, String name, ServerLimits limits, ServerRuntime runtime) {
        this.server = server;
        this.name = name;
        this.limits = limits;
        this.runtime = runtime;
        this.slots = new ConnectionSlots(limits.maxConnections(), stats);
    }

    /** Starts serving on {@code server} with the default limits, on virtual threads and the JVM's clock. */
    public static HttpServer start(ServerSocket server, String name) {
        return start(server, name, ServerLimits.DEFAULT, ServerRuntime.system());
    }

    /** Starts serving on {@code server}, sending {@code Server: name}; {@link #close()} closes it. */
    public static HttpServer start(ServerSocket server, String name, ServerLimits limits, ServerRuntime runtime) {
        HttpServer s = new HttpServer(server, name, limits, runtime);
        runtime.threads().newThread(() -> Acceptor.run(server, s::admit, s.stats, s::closeStalledWriters,
                limits.acceptTickMillis())).start();
        return s;
    }

    public int port() { return server.getLocalPort(); }

    /** Closes the connections whose write has been blocked longer than the send timeout. */
    private void closeStalledWriters() {
        slots.closeStalledWriters(runtime.clock().getAsLong(), limits.sendTimeout().toNanos());
    }

    /** What the server did so far. */
    public ServerStats stats() { return stats; }

    /** Connections being served now. */
    public int connections() { return slots.taken(); }

    /** Of those, the ones between requests with nothing received yet (the ones the limit may close). */
    public int idleConnections() { return slots.idle(); }

    /**
     * Serves one connection's worth of request bytes from {@code requests}, with no timeouts, writing the answers
     * to {@code responses} (for the fuzz target and tests): the same parsing and answers as over a socket.
     *
     * @throws IOException when the bytes end inside a request (the client "went away"), or from {@code responses}
     */
    public static void replay(InputStream requests, OutputStream responses, ServerLimits limits) throws IOException {
        new HttpExchange(requests, responses, ReadDeadline.NONE, limits, "replay", null).run();
    }

    private void admit(Socket s) {
        ConnectionSlots.Slot slot = slots.admit(s);
        if (slot == null) {
            stats.refused.incrementAndGet();
            refuse(s);
            return;
        }
        stats.accepted.incrementAndGet();
        Acceptor.startOrClose(runtime, s, slot, stats, () -> serve(s, slot));
    }

    /** At the limit with nobody idle: a {@code 503} and close, without reading the request. */
    private void refuse(Socket s) {
        try (s; OutputStream out = s.getOutputStream()) {
            out.write(("HTTP/1.1 503 Service Unavailable\r\nServer: " + name + "\r\nRetry-After: 1\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private void serve(Socket s, ConnectionSlots.Slot slot) {
        try (s) {
            ReadDeadline deadline = new ReadDeadline(s, runtime.clock());
            OutputStream out = new WatchedOutput(s.getOutputStream(), slot, runtime.clock());
            HttpExchange.End end = new HttpExchange(s.getInputStream(), out, deadline, limits, name, slot).run();
            switch (end) {
                case IDLE_TIMEOUT, REQUEST_TIMEOUT -> stats.timedOut.incrementAndGet();
                case REJECTED -> stats.rejected.incrementAndGet();
                default -> { }
            }
        } catch (IOException e) {
            // the client went away, reset, or its connection was closed to make room
        } finally {
            slot.release();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
