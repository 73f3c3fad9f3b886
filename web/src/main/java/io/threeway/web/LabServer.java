package io.threeway.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.threeway.lab.record.RecordLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The web lab's HTTP server: the page's files and its JSON API, on 127.0.0.1 only, with the JDK's
 * {@code com.sun.net.httpserver}. One scenario runs at a time (the machine's cores are the simulator's);
 * requests for the page and for views of finished runs are served meanwhile.
 */
public final class LabServer implements AutoCloseable {
    /** Threads answering requests. */
    private static final int THREADS = 4;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Api api;

    private LabServer(HttpServer server, ExecutorService executor, Api api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    /** Starts serving on 127.0.0.1:{@code port} (0 picks a free port). */
    public static LabServer start(int port) throws IOException {
        return start(port, RecordLimits.WEB, null);
    }

    /**
     * @param port   the port on 127.0.0.1, 0 for any free one
     * @param limits how large a recorded run may be
     * @param live   a running stack to offer at {@code /api/live} ({@code serve --ui}), or null
     */
    public static LabServer start(int port, RecordLimits limits, LiveRecorder live) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService ex = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "threeway-web");
            t.setDaemon(true);
            return t;
        });
        Api api = new Api(limits, live);
        s.createContext("/", x -> route(api, x));
        s.setExecutor(ex);
        s.start();
        return new LabServer(s, ex, api);
    }

    private static void route(Api api, HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (path.startsWith("/api/")) api.handle(x);
        else StaticAssets.serve(x);
    }

    /** The port it listens on. */
    public int port() { return server.getAddress().getPort(); }

    /** {@code http://127.0.0.1:PORT/}. */
    public String url() { return "http://127.0.0.1:" + port() + "/"; }

    /** The API (for tests). */
    Api api() { return api; }

    /** Stops accepting, lets requests in progress finish for up to a second, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
