package io.threeway.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;

/**
 * A Prometheus scrape target: {@code GET /metrics} answers a host's counters and socket states as
 * {@link PrometheusFormatter} writes them, from a fresh {@link HostSnapshot} per scrape.
 *
 * <p>It listens on the JVM's own loopback, 127.0.0.1, never on a Threeway stack: a scrape over the stack
 * would be a TCP connection of the stack it measures, moving the very counters it reads (ActiveOpens,
 * CurrEstab, the TIME-WAIT gauge), and a stack on a TUN device is reached from the kernel's side only. Bound
 * to loopback alone, the counters are not offered to the network; put a Prometheus (or a proxy) on the same
 * machine.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on 127.0.0.1:{@code port} (0 for any free port).
     *
     * @param snapshot takes the host's snapshot for one scrape; called on the endpoint's thread, so it must
     *                 take whatever lock the stack's driver needs (e.g. {@code runtime.call(...)})
     */
    public static MetricsEndpoint start(int port, Supplier<HostSnapshot> snapshot) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    reply(exchange, 405, "text/plain; charset=utf-8", "GET /metrics\n");
                } else if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    reply(exchange, 404, "text/plain; charset=utf-8", "the metrics are at /metrics\n");
                } else {
                    reply(exchange, 200, PrometheusFormatter.CONTENT_TYPE, PrometheusFormatter.format(snapshot.get()));
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "threeway-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new MetricsEndpoint(server);
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The port it listens on (the one chosen when started with 0). */
    public int port() { return server.getAddress().getPort(); }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
