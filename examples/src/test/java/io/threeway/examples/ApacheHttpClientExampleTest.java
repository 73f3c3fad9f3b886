package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5.4 (classic), unmodified. In 5.4 the connection operator makes its sockets through a
 * {@code DetachedSocketFactory}; the client host's factory goes there.
 */
@ThreewayTest(seed = 12, sealed = true)
class ApacheHttpClientExampleTest {

    static CloseableHttpClient httpclient(Host client) {
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(
                proxy -> client.socketFactory().createSocket(), DefaultSchemePortResolver.INSTANCE,
                SystemDefaultDnsResolver.INSTANCE, RegistryBuilder.<TlsSocketStrategy>create().build());
        PoolingHttpClientConnectionManager cm = new PoolingHttpClientConnectionManager(operator,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.NEG_ONE_MILLISECOND, null);
        cm.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(2)).setSocketTimeout(Timeout.ofSeconds(3)).build());
        return HttpClients.custom().setConnectionManager(cm).build();
    }

    static <T> T onClientThread(Network net, OkHttpExampleTest.Example<T> body) {
        return OkHttpExampleTest.onClientThread(net, body);
    }

    @Test
    void getAndReuseTheConnection(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> {
            try (CloseableHttpClient http = httpclient(client)) {
                String a = http.execute(new HttpGet("http://api.test/bytes/5"), resp -> resp.getCode() + " " + EntityUtils.toString(resp.getEntity()).length());
                String b = http.execute(new HttpGet("http://api.test/bytes/7"), resp -> resp.getCode() + " " + EntityUtils.toString(resp.getEntity()).length());
                return a + ", " + b + " at " + net.elapsed();
            }
        });
        assertEquals("200 5, 200 7 at PT0.3S", r); // handshake, then one round trip per request on one connection
        assertEquals(1, client.counter("TcpActiveOpens"));
    }

    @Test
    void readTimeout(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.silent(server, 80);
        AtomicReference<String> seen = new AtomicReference<>();
        Object r = onClientThread(net, () -> {
            try (CloseableHttpClient http = httpclient(client)) {
                return http.execute(new HttpGet("http://api.test/"), resp -> "answered " + resp.getCode());
            } catch (SocketTimeoutException e) {
                return e.getMessage() + " at " + net.elapsed();
            }
        });
        assertEquals("Read timed out at PT3.1S", r);
        assertNull(seen.get());
    }

    @Test
    void retryAfterAReset(Network net, Host client, @HostName("api.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100)).from(server).add(Faults.resetAfterBytes(0));
        Servers.http(net, server, 80);
        Object r = onClientThread(net, () -> {
            try (CloseableHttpClient http = httpclient(client)) {
                return http.execute(new HttpGet("http://api.test/bytes/3"), resp -> resp.getCode() + " " + EntityUtils.toString(resp.getEntity()).length());
            }
        });
        assertEquals("200 3", r); // GET is idempotent: the default retry strategy tried again on a new connection
        assertEquals(1, client.counter("TcpEstabResets"));
        assertEquals(2, client.counter("TcpActiveOpens"));
    }
}
