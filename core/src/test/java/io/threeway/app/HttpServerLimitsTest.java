package io.threeway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP and echo servers against slow and greedy clients on the kernel's loopback (127.0.0.1 only): slowloris,
 * idle keep-alive, a trickled body, and more clients than the connection limit. Timeouts are short here; the
 * defaults are in {@link ServerLimits#DEFAULT}.
 */
class HttpServerLimitsTest {
    static final Duration IDLE = Duration.ofMillis(400);
    static final Duration HEADER = Duration.ofMillis(500);
    static final Duration BODY = Duration.ofMillis(500);
    static final ServerLimits SHORT = ServerLimits.DEFAULT.withTimeouts(IDLE, HEADER, BODY);

    static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Slowloris: 2,000 clients each send part of a header and stall; all get 408 and are closed. */
    @Test
    void slowlorisClientsAreAnswered408AndLetGo() throws Exception {
        try (ServerSocket ss = listen(); HttpServer http = HttpServer.start(ss, "t", SHORT.withMaxConnections(4096),
                ServerRuntime.system())) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2000; i++) {
                    Socket s = connect(http.port());
                    send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                    clients.add(s);
                }
                for (Socket s : clients) assertTrue(readAll(s).startsWith("HTTP/1.1 408 Request Timeout\r\n"));
            } finally {
                for (Socket s : clients) s.close();
            }
            waitFor(() -> http.connections() == 0);
            assertEquals(2000, http.stats().timedOut(), http.stats().toString());
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAWord() throws Exception {
        try (ServerSocket ss = listen(); HttpServer http = HttpServer.start(ss, "t", SHORT, ServerRuntime.system());
             Socket s = connect(http.port())) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            long start = System.nanoTime();
            String all = readAll(s); // the answer, then EOF once the idle timeout passes
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(all.startsWith("HTTP/1.1 200 OK") && all.indexOf("HTTP/1.1", 5) < 0, all);
            assertTrue(ms >= IDLE.toMillis() - 50 && ms < 5_000, ms + " ms");
        }
    }

    /** A POST whose body trickles in below the minimum rate gets 408, however large it announced itself. */
    @Test
    void aTrickledBodyTimesOut() throws Exception {
        try (ServerSocket ss = listen(); HttpServer http = HttpServer.start(ss, "t", SHORT, ServerRuntime.system());
             Socket s = connect(http.port())) {
            send(s, "POST /sha256 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
            send(s, "a");
            assertTrue(readAll(s).startsWith("HTTP/1.1 408 "));
        }
    }

    /** At the limit, an idle connection makes room; with every connection busy, the newcomer gets 503. */
    @Test
    void theConnectionLimitClosesTheIdleOrRefuses() throws Exception {
        ServerLimits two = ServerLimits.DEFAULT.withMaxConnections(2);
        try (ServerSocket ss = listen(); HttpServer http = HttpServer.start(ss, "t", two, ServerRuntime.system());
             Socket idle = connect(http.port())) {
            waitFor(() -> http.connections() == 1 && http.idleConnections() == 1);
            Socket busy = connect(http.port());
            send(busy, "GET / HTTP/1.1\r\nHost: x\r\n"); // inside a request: not idle
            waitFor(() -> http.connections() == 2 && http.idleConnections() == 1);
            try (Socket third = connect(http.port())) {
                send(third, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertTrue(readAll(third).startsWith("HTTP/1.1 200 OK"));
            }
            assertEquals(-1, idle.getInputStream().read(), "the idle connection was closed to make room");
            assertEquals(1, http.stats().evicted());
            waitFor(() -> http.connections() == 1);
            try (Socket other = connect(http.port())) {
                send(other, "GET / HTTP/1.1\r\nHost: x\r\n");
                // Both served connections are inside a request before the newcomer arrives: none may be displaced.
                waitFor(() -> http.connections() == 2 && http.idleConnections() == 0);
                try (Socket refused = connect(http.port())) {
                    assertTrue(readAll(refused).startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
                }
            }
            assertEquals(1, http.stats().refused());
            busy.close();
        }
    }

    @Test
    void echoClosesASilentConnectionAndEchoesWithASmallBuffer() throws Exception {
        try (ServerSocket ss = listen(); EchoServer echo = EchoServer.start(ss, SHORT, ServerRuntime.system());
             Socket s = connect(echo.port())) {
            byte[] data = new byte[100_000];
            new java.util.Random(1).nextBytes(data);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    send(s, new String(data, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = s.getInputStream().readNBytes(data.length);
            writer.join();
            assertEquals(java.util.Arrays.hashCode(data), java.util.Arrays.hashCode(back));
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed after the idle timeout");
            waitFor(() -> echo.stats().timedOut() == 1);
        }
    }

    /**
     * Clients that ask for a large answer, or echo a flood, and never read: each server write blocks on a full
     * window, and after the send timeout the connection is closed under it (nginx's send_timeout), freeing its slot.
     */
    @Test
    void aClientThatStopsReadingIsClosedAfterTheSendTimeout() throws Exception {
        ServerLimits limits = SHORT.withSendTimeout(Duration.ofMillis(600));
        try (ServerSocket hs = listen(); HttpServer http = HttpServer.start(hs, "t", limits, ServerRuntime.system());
             ServerSocket es = listen(); EchoServer echo = EchoServer.start(es, limits, ServerRuntime.system());
             Socket h = connect(http.port()); Socket e = connect(echo.port())) {
            send(h, "GET /bytes/1000000000 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread flood = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[65536];
                try {
                    while (true) e.getOutputStream().write(chunk); // until the echo server gives up on us
                } catch (IOException gone) {
                    // closed under us: what the test waits for
                }
            });
            waitFor(() -> http.connections() == 1 && echo.connections() == 1); // accepted: counted from here
            long start = System.nanoTime();
            waitFor(() -> http.connections() == 0 && echo.connections() == 0);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500, ms + " ms: not before the send timeout");
            assertEquals(1, http.stats().timedOut(), http.stats().toString());
            assertEquals(1, echo.stats().timedOut(), echo.stats().toString());
            e.close();
            flood.join(10_000);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) Thread.sleep(20);
        assertTrue(condition.getAsBoolean(), "condition not reached in 10 s");
    }
}
