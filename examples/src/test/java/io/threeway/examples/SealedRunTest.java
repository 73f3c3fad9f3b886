package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.api.Sealed;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.Test;

/**
 * Libraries that bypass the socket factory, in a sealed run: each fails at once with the sealed run's message and
 * sends nothing. These tests run inside a network namespace with no route (see examples/netns-jvm/bin/java), so even a leak the
 * guard missed could reach nothing.
 */
@ThreewayTest(seed = 13, sealed = true)
class SealedRunTest {

    @Test
    void theTestsRunWhereALeakCannotReachAnyNetwork(Network net) throws Exception {
        String netns = System.getProperty("threeway.netns", "none");
        if ("true".equals(System.getenv("CI"))) assertEquals("isolated", netns, "CI runs the examples in a netns");
        if (netns.equals("isolated")) {
            // no interface up and no route: even loopback is down in this namespace
            Process ip = new ProcessBuilder("ip", "-o", "route", "show", "table", "all").redirectErrorStream(true).start();
            String routes = new String(ip.getInputStream().readAllBytes()).trim();
            ip.waitFor();
            assertEquals("", routes, "routes in the examples' namespace");
        }
        assertTrue(Sealed.active(), "sealed while " + net + " is open");
        assertTrue(Sealed.nioGuarded(), "the NIO guard is set by the examples' surefire configuration");
    }

    @Test
    void apacheHttpClientWithoutTheFactoryIsRefused(Network net, Host client, @HostName("api.test") Host server) {
        Servers.http(net, server, 80);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (CloseableHttpClient http = HttpClients.createDefault()) { // makes its own kernel sockets
                return http.execute(new HttpGet("http://api.test/"), resp -> "answered " + resp.getCode());
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertTrue(String.valueOf(r).startsWith("sealed run: a socket was opened on the kernel's network stack from thread 'client'"), String.valueOf(r));
        assertEquals(0, net.tcpdump().size(), "nothing was sent");
        assertNotNull(client);
    }

    @Test
    void theJdksHttpClientOnAThreadOutsideTheNetworkIsRefused(Network net, Host client, @HostName("api.test") Host server) throws Exception {
        Servers.http(net, server, 80);
        AtomicReference<String> r = new AtomicReference<>();
        // a thread of no network and no host: NetworkSelectorProvider would give it the kernel's channels
        Thread outside = Thread.ofPlatform().name("outside").start(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            try {
                r.set(http.send(HttpRequest.newBuilder(URI.create("http://198.18.0.2/")).build(), HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException | InterruptedException e) {
                Throwable t = e;
                while (t.getCause() != null && !String.valueOf(t.getMessage()).startsWith("sealed run")) t = t.getCause();
                r.set(t.getMessage());
            }
        });
        outside.join(30_000);
        assertTrue(String.valueOf(r.get()).startsWith("sealed run: a socket channel was opened on the kernel's network stack from thread 'outside'"), r.get());
        assertEquals(0, net.tcpdump().size());
        assertNotNull(client);
    }

    @Test
    void aNetworkThreadOfNoHostIsToldWhichThreadsGetChannels(Network net, @HostName("api.test") Host server) {
        Servers.http(net, server, 80);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            HttpClient http = HttpClient.newBuilder().executor(net.executor("jdk-http")).build();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://198.18.0.2/")).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                Throwable t = e;
                while (t.getCause() != null && !String.valueOf(t.getMessage()).startsWith("a socket channel")) t = t.getCause();
                return t.getMessage();
            }
        });
        assertTrue(String.valueOf(r).startsWith("a socket channel was opened on thread 'client' of Network[simulated, seed 13"), String.valueOf(r));
        assertTrue(String.valueOf(r).contains("which belongs to no host"), String.valueOf(r));
        assertEquals(0, net.tcpdump().size());
    }

    @Test
    void urlConnectionIsRefused(Network net, Host client, @HostName("api.test") Host server) {
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try {
                return new String(URI.create("http://api.test/").toURL().openStream().readAllBytes());
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertTrue(String.valueOf(r).startsWith("sealed run: a socket was opened"), String.valueOf(r));
        assertNotNull(client);
        assertNotNull(server);
    }
}
