package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * OkHttp 4, unmodified, against Threeway's HTTP server on {@code api.test}: a 100 ms path, and one fault per test.
 * OkHttp gets the client host's socket factory and, for asynchronous calls, a dispatcher on the network's executor;
 * it resolves {@code api.test} through {@link java.net.InetAddress} (Threeway's resolver: an IPv4 and an IPv6
 * address, which matters below: OkHttp tries both routes).
 */
@ThreewayTest(seed = 11, sealed = true)
class OkHttpExampleTest {

    static OkHttpClient okhttp(Network net, Host client) {
        return new OkHttpClient.Builder()
                .socketFactory(client.socketFactory())
                .dispatcher(new Dispatcher(net.executor("okhttp")))
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(3))
                .build();
    }

    static String get(OkHttpClient http, String url) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code() + " " + r.body().string().length();
        }
    }

    /** Runs {@code body} on a managed thread until it sets a result (or a minute passes), and returns it. */
    static <T> T onClientThread(Network net, Example<T> body) {
        AtomicReference<Object> out = new AtomicReference<>();
        net.spawn("client", () -> {
            try {
                out.set(body.run());
            } catch (Exception e) {
                out.set(e);
            }
        });
        assertTrue(net.runUntil(() -> out.get() != null, Duration.ofMinutes(1)), "no result after a minute");
        @SuppressWarnings("unchecked")
        T t = (T) out.get();
        return t;
    }

    interface Example<T> {
        T run() throws Exception;
    }

    @Test
    void synchronousGet(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> get(okhttp(net, client), "http://api.test/bytes/1000"));
        assertEquals("200 1000", r);
    }

    @Test
    void asynchronousGetThroughTheSimulatorsExecutor(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.http(net, server, 80);
        AtomicReference<String> result = new AtomicReference<>();
        OkHttpClient http = okhttp(net, client);
        for (int i = 1; i <= 3; i++) {
            String url = "http://api.test/bytes/" + i * 100;
            http.newCall(new Request.Builder().url(url).build()).enqueue(new Callback() {
                @Override
                public void onResponse(Call call, Response response) throws IOException {
                    try (response) {
                        result.accumulateAndGet(response.body().string().length() + "@" + net.elapsed().toMillis(),
                                (a, b) -> a == null ? b : a + " " + b);
                    }
                }

                @Override
                public void onFailure(Call call, IOException e) {
                    result.set("failed: " + e);
                }
            });
        }
        assertTrue(net.runUntil(() -> result.get() != null && result.get().split(" ").length == 3, Duration.ofMinutes(1)));
        // three calls at once on three dispatcher threads: three connections, each answered after two round trips
        assertEquals("100@200 200@200 300@200", result.get());
    }

    @Test
    void connectTimeoutAtTheConfiguredVirtualTime(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100)).add(Faults.dropSyns());
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> {
            try {
                return get(okhttp(net, client), "http://api.test/");
            } catch (IOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage() + " at " + net.elapsed();
            }
        });
        // OkHttp's connectTimeout, 2 s of virtual time: the SYN at 0 s and its retransmission at 1 s went unanswered
        assertEquals("SocketTimeoutException: Connect timed out at PT2S", r);
    }

    @Test
    void readTimeout(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.silent(server, 80);
        Object r = onClientThread(net, () -> {
            try {
                return get(okhttp(net, client), "http://api.test/");
            } catch (SocketTimeoutException e) {
                return e.getMessage() + " at " + net.elapsed();
            }
        });
        assertEquals("Read timed out at PT3.1S", r); // connected after one RTT, then 3 s without an answer
    }

    @Test
    void retryAfterAReset(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100)).from(server).add(Faults.resetAfterBytes(0));
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> {
            OkHttpClient http = okhttp(net, client);
            String first;
            try {
                first = get(http, "http://api.test/bytes/10");
            } catch (IOException e) {
                first = e.getMessage(); // OkHttp does not retry a request whose fresh connection was reset mid-response
            }
            return first + ", then " + get(http, "http://api.test/bytes/10"); // the application's own retry
        });
        assertEquals("Connection reset, then 200 10", r);
        assertEquals(1, client.counter("TcpEstabResets"));
        assertEquals(2, client.counter("TcpActiveOpens"));
    }

    @Test
    void aPooledConnectionFoundHalfOpen(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> {
            OkHttpClient http = okhttp(net, client);
            String first = get(http, "http://api.test/bytes/10");
            server.crash();    // the server vanishes: the pooled connection is half-open
            server.restart();  // and comes back knowing nothing of it
            Servers.http(net, server, 80);
            String second = get(http, "http://api.test/bytes/20"); // written on the stale connection: RST, retried
            return first + ", " + second;
        });
        assertEquals("200 10, 200 20", r);
        assertEquals(1, client.counter("TcpEstabResets"));
        assertEquals(2, client.counter("TcpActiveOpens"));
    }
}
