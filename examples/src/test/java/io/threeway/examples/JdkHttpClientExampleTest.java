package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.lang.ref.Reference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own {@code java.net.http.HttpClient}, unmodified, over Threeway's NIO: it has no socket factory, so it
 * reaches Threeway through {@code io.threeway.api.NetworkSelectorProvider}, installed for the examples' JVM
 * (see the pom). Built on a client host's thread, with that host's executor, its channels are that host's; its
 * own selector thread is taken into the simulation when it first selects. The tests wait for the response
 * future by running the simulation ({@code net.runUntil(f::isDone, ...)}): {@code send()}, which blocks the
 * calling thread on a {@code CompletableFuture} the simulator cannot see, is for real time. The client is kept
 * reachable while it works: an HttpClient nothing refers to shuts down when the garbage collector notices, at a
 * moment no simulation can repeat.
 */
@ThreewayTest(seed = 31, sealed = true)
class JdkHttpClientExampleTest {

    /** A client built on {@code host}'s thread, running on its executor; HTTP/1.1 only. */
    static HttpClient httpClient(Host host, SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(host.executor("jdk-http"));
        if (tls != null) b.sslContext(tls);
        return b.build();
    }

    /** GETs {@code url} from a thread of {@code client} and runs the network until the answer: "STATUS BODY-LENGTH". */
    static String get(Network net, Host client, SSLContext tls, String url) {
        CompletableFuture<HttpResponse<String>> response = new CompletableFuture<>();
        HttpClient[] keep = new HttpClient[1];
        client.spawn("client", () -> {
            HttpClient http = httpClient(client, tls);
            keep[0] = http;
            http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e != null) response.completeExceptionally(e);
                        else response.complete(r);
                    });
        });
        assertTrue(net.runUntil(response::isDone, Duration.ofMinutes(2)), "no response after two minutes of the network's time");
        // An HttpClient nothing refers to shuts down (closing its connections) whenever the garbage collector
        // notices: a moment no simulation can repeat. Keep it reachable while it works.
        Reference.reachabilityFence(keep[0]);
        try {
            HttpResponse<String> r = response.join();
            return r.statusCode() + " " + r.body().length();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            while (c.getCause() != null && c.getMessage() != null && !c.getMessage().contains("reset")) c = c.getCause();
            return c.getClass().getSimpleName() + ": " + c.getMessage();
        }
    }

    @Test
    void http11(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(20));
        Servers.http(net, server, 80);
        assertEquals("200 100000", get(net, client, null, "http://api.test/bytes/100000"));
        assertTrue(net.elapsed().toMillis() >= 40, "a handshake and a request of 20 ms each: " + net.elapsed());
        assertTrue(net.tcpdump().stream().anyMatch(l -> l.contains("198.18.0.1.") && l.contains("> 198.18.0.2.80: Flags [S]")),
                "the SYN left the client host for the server: " + net.tcpdump().getFirst());
    }

    @Test
    void https(Network net, Host client, @HostName("secure.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(40));
        SSLContext tls = Servers.tls(31);
        Servers.https(server, 443, tls, "over TLS 1.3 on Threeway's NIO");
        assertEquals("200 30", get(net, client, tls, "https://secure.test/"));
    }

    @Test
    void aResetMidResponseFailsTheRequest(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(10)).from(server).add(Faults.resetAfterBytes(30_000));
        Servers.http(net, server, 80);
        String r = get(net, client, null, "http://api.test/bytes/100000");
        assertEquals("SocketException: Connection reset", r, "the RST the fault sent, as the JDK reports it");
    }
}
