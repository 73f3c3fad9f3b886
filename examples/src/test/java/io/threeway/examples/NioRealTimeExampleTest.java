package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import io.threeway.api.Host;
import io.threeway.api.Network;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The NIO examples in real time ({@link Network#realTime}): ordinary threads, the wall clock, and so the blocking
 * calls the simulator cannot see are fine here: the JDK's {@code HttpClient.send()} against the JDK's
 * {@code com.sun.net.httpserver}, both on Threeway through {@code NetworkSelectorProvider}; and Netty's echo. The
 * runs are sealed, in the examples' network namespace with no route.
 */
class NioRealTimeExampleTest {

    @Test
    void theJdksHttpClientSendsToTheJdksHttpServerWithBlockingCalls() throws Exception {
        try (Network net = Network.realTime(61).seal()) {
            Host client = net.host("client");
            Host server = net.host("www.test");
            net.link(client, server).rtt(Duration.ofMillis(4));
            // bound before the client's thread starts: in real time it could otherwise connect first
            HttpServer hs = JdkHttpServerExampleTest.start(server, 8080).get(30, TimeUnit.SECONDS);
            List<String> got = new ArrayList<>();
            client.spawn("client", () -> {
                HttpClient http = JdkHttpClientExampleTest.httpClient(client, null);
                for (int i = 0; i < 2; i++) {
                    // send() blocks this thread on a future: fine in real time
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://www.test:8080/hello"))
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                    synchronized (got) {
                        got.add(r.statusCode() + " " + r.body().trim());
                    }
                }
            });
            // not runUntilThreadsFinish: the executors' idle pool threads live on for their keep-alive
            assertTrue(net.runUntil(() -> {
                synchronized (got) {
                    return got.size() == 2;
                }
            }, Duration.ofMinutes(1)), "answers: " + got);
            assertEquals(List.of("200 hello #1 from 198.18.0.2", "200 hello #2 from 198.18.0.2"), got);
            assertEquals(1, net.tcpdump().stream().filter(l -> l.contains("Flags [S]")).count(),
                    "one connection, kept alive by the client's pool: " + net.tcpdump());
            hs.stop(0); // its dispatcher ends before the network closes
        }
    }

    @Test
    void nettysEchoInRealTime() {
        try (Network net = Network.realTime(62).seal()) {
            Host client = net.host("client");
            Host server = net.host("echo.test");
            net.link(client, server).rtt(Duration.ofMillis(2));
            NettyExampleTest.Events e = NettyExampleTest.echo(net, client, server, 64 * 1024);
            // in real time the two ends' threads see the end in either order
            assertEquals("client: all 65536 bytes echoed", e.list.getFirst(), "events: " + e.list);
            assertEquals(Set.of("client: inactive after 65536 bytes echoed", "server: inactive"),
                    Set.copyOf(e.list.subList(1, e.list.size())), "events: " + e.list);
            assertEquals(3, e.list.size(), "events: " + e.list);
        }
    }
}
