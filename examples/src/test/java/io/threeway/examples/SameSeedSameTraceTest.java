package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Each example's run, twice with the same seed: the same packets at the same times, line for line. */
class SameSeedSameTraceTest {

    /** Runs {@code example} on a fresh sealed network with {@code seed}; returns its tcpdump lines. */
    private static List<String> trace(long seed, Function<Network, Object> example) {
        try (Network net = Network.simulated(seed).seal()) {
            example.apply(net);
            return net.tcpdump();
        }
    }

    private static void twice(long seed, Function<Network, Object> example) {
        List<String> a = trace(seed, example);
        List<String> b = trace(seed, example);
        assertTrue(a.size() > 5, "a trace with packets: " + a);
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            assertEquals(a.get(i), b.get(i), "packet " + (i + 1) + " of " + a.size() + " and " + b.size());
        }
        assertEquals(a.size(), b.size(), () -> "packets in each run; the longer one ends with "
                + (a.size() > b.size() ? a : b).subList(Math.min(a.size(), b.size()), Math.max(a.size(), b.size())));
    }

    @Test
    void okhttpWithAPooledConnectionFoundHalfOpen() {
        twice(21, net -> {
            Host client = net.host("client");
            Host server = net.host("api.test");
            net.link(client, server).rtt(Duration.ofMillis(100)).loss(0.05);
            Servers.http(net, server, 80);
            return OkHttpExampleTest.onClientThread(net, () -> {
                OkHttpClient http = OkHttpExampleTest.okhttp(net, client);
                String first = OkHttpExampleTest.get(http, "http://api.test/bytes/50000");
                server.crash();
                server.restart();
                Servers.http(net, server, 80);
                return first + OkHttpExampleTest.get(http, "http://api.test/bytes/20");
            });
        });
    }

    @Test
    void apacheHttpClientRetryAfterAReset() {
        twice(22, net -> {
            Host client = net.host("client");
            Host server = net.host("api.test");
            net.link(client, server).rtt(Duration.ofMillis(30)).from(server).add(Faults.resetAfterBytes(0));
            Servers.http(net, server, 80);
            return OkHttpExampleTest.onClientThread(net, () -> {
                try (var http = ApacheHttpClientExampleTest.httpclient(client)) {
                    return http.execute(new org.apache.hc.client5.http.classic.methods.HttpGet("http://api.test/bytes/3"), r -> r.getCode());
                }
            });
        });
    }

    @Test
    void httpsThroughJsse() {
        twice(23, net -> {
            Host client = net.host("client");
            Host server = net.host("secure.test");
            net.link(client, server).rtt(Duration.ofMillis(40));
            var tls = Servers.tls(23);
            Servers.https(server, 443, tls, "same");
            return OkHttpExampleTest.onClientThread(net, () -> {
                try (var resp = HttpsExampleTest.https(net, client, tls).newCall(new okhttp3.Request.Builder().url("https://secure.test/").build()).execute()) {
                    return resp.body().string();
                }
            });
        });
    }

    @Test
    void jedisWithAReadTimeout() {
        twice(24, net -> {
            Host client = net.host("client");
            Host server = net.host("cache.test");
            net.link(client, server).rtt(Duration.ofMillis(4));
            RespServer.start(server, 6379);
            return OkHttpExampleTest.onClientThread(net, () -> {
                try (Jedis jedis = JedisExampleTest.jedis(client)) {
                    jedis.set("k", "v");
                    try {
                        return jedis.get("slow:k");
                    } catch (RuntimeException e) {
                        return e.getClass().getSimpleName();
                    }
                }
            });
        });
    }

    @Test
    void theJdksHttpClientOverNio() {
        twice(26, net -> {
            Host client = net.host("client");
            Host server = net.host("api.test");
            net.link(client, server).rtt(Duration.ofMillis(30)).loss(0.05);
            Servers.http(net, server, 80);
            return JdkHttpClientExampleTest.get(net, client, null, "http://api.test/bytes/200000");
        });
    }

    @Test
    void theJdksHttpClientOverTlsOverNio() {
        twice(27, net -> {
            Host client = net.host("client");
            Host server = net.host("secure.test");
            net.link(client, server).rtt(Duration.ofMillis(40));
            var tls = Servers.tls(27);
            Servers.https(server, 443, tls, "same");
            return JdkHttpClientExampleTest.get(net, client, tls, "https://secure.test/");
        });
    }

    @Test
    void theJdksHttpServerOverNio() {
        twice(28, net -> {
            Host client = net.host("client");
            Host server = net.host("www.test");
            net.link(client, server).rtt(Duration.ofMillis(10)).loss(0.05);
            JdkHttpServerExampleTest.start(server, 8080);
            return OkHttpExampleTest.onClientThread(net, () -> {
                try (java.net.Socket s = client.connect("www.test", 8080)) {
                    return JdkHttpServerExampleTest.get(s, "www.test", "/hello") + JdkHttpServerExampleTest.get(s, "www.test", "/hello");
                }
            });
        });
    }

    @Test
    void postgresJdbcQuery() {
        twice(25, net -> {
            Host client = net.host("client");
            Host db = net.host("db.test");
            net.link(client, db).rtt(Duration.ofMillis(2)).loss(0.1);
            PgBackend.start(db, 5432);
            return OkHttpExampleTest.onClientThread(net, () -> {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://db.test:5432/app", PostgresJdbcExampleTest.props(2));
                     ResultSet rs = c.createStatement().executeQuery("SELECT 7")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
        });
    }
}
