package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own {@code com.sun.net.httpserver.HttpServer}, unmodified, served through Threeway: made on a server
 * host's thread, its server channel and selector are that host's (through {@code NetworkSelectorProvider}), its
 * dispatcher thread is taken into the simulation when it first selects, and its handlers run on the host's
 * executor. Threeway's own sockets fetch from it, twice on one kept-alive connection.
 */
@ThreewayTest(seed = 41, sealed = true)
class JdkHttpServerExampleTest {

    /**
     * Starts a JDK HttpServer on {@code host:port} whose {@code /hello} answers with the request's count; the future
     * gives the server once it is started.
     */
    static CompletableFuture<HttpServer> start(Host host, int port) {
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        host.spawn("httpserver-start", () -> {
            HttpServer hs = HttpServer.create(new InetSocketAddress(port), 0);
            hs.setExecutor(host.executor("httpserver"));
            int[] count = {0};
            hs.createContext("/hello", exchange -> {
                byte[] body = ("hello #" + ++count[0] + " from " + exchange.getLocalAddress().getAddress().getHostAddress()
                        + "\n").getBytes(StandardCharsets.US_ASCII);
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            hs.start(); // the dispatcher runs until the server stops or the network closes
            started.complete(hs);
        });
        return started;
    }

    /** One GET on {@code s}; returns "STATUS BODY" (the body as text). */
    static String get(Socket s, String host, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "Content-length:", 0, 15)) length = Integer.parseInt(h.substring(15).trim());
        }
        return status.split(" ")[1] + " " + new String(in.readNBytes(length), StandardCharsets.US_ASCII).trim();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("end of stream in the response's head");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void servedThroughThreewayAndFetchedByAThreewayClient(Network net, Host client, @HostName("www.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(10));
        start(server, 8080);
        List<String> got = new ArrayList<>();
        client.spawn("fetch", () -> {
            try (Socket s = client.connect("www.test", 8080)) {
                got.add(get(s, "www.test", "/hello"));
                got.add(get(s, "www.test", "/hello"));
                got.add(get(s, "www.test", "/nothing-here"));
            }
        });
        assertTrue(net.runUntil(() -> got.size() == 3, Duration.ofMinutes(1)), "answers: " + got);
        assertEquals(List.of("200 hello #1 from 198.18.0.2", "200 hello #2 from 198.18.0.2", "404 <h1>404 Not Found</h1>No context found for request"), got);
        long syns = net.tcpdump().stream().filter(l -> l.contains("Flags [S]")).count();
        assertEquals(1, syns, "one connection, kept alive for the three requests");
        assertTrue(net.elapsed().toMillis() >= 40, "a handshake and three requests of 10 ms: " + net.elapsed());
    }
}
