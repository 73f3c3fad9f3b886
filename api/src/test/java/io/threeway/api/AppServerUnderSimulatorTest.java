package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.app.HttpServer;
import io.threeway.app.ServerLimits;
import io.threeway.app.ServerRuntime;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The project's own HTTP server, which starts its own threads, runs in virtual time with the network's factory. */
class AppServerUnderSimulatorTest {

    @Test
    void httpServerRunsOnManagedThreads() {
        try (Network net = Network.simulated(31)) {
            Host client = net.host("client");
            Host server = net.host("www.test");
            net.link(client, server).rtt(Duration.ofMillis(60));
            String[] response = new String[1];
            net.spawn("client", () -> {
                HttpServer http = HttpServer.start(server.listen(80), "threeway-test", ServerLimits.DEFAULT,
                        new ServerRuntime(() -> net.elapsed().toNanos(), net.threadFactory("http")));
                try (http; Socket s = client.connect("www.test", 80)) {
                    s.getOutputStream().write("GET /bytes/5 HTTP/1.1\r\nHost: www.test\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    s.getInputStream().transferTo(got);
                    response[0] = got.toString(StandardCharsets.ISO_8859_1);
                }
            });
            net.runUntilThreadsFinish(Duration.ofMinutes(1));
            assertTrue(response[0].startsWith("HTTP/1.1 200 OK\r\n"), response[0]);
            assertTrue(response[0].endsWith("\r\n\r\n" + response[0].substring(response[0].length() - 5)));
        }
    }
}
