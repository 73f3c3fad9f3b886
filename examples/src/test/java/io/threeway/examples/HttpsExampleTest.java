package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * HTTPS through JSSE: OkHttp layers the JDK's TLS over the client host's Threeway sockets, and the server wraps
 * each accepted Threeway socket in JSSE's server-side SSLSocket. TLS 1.3 costs one round trip after TCP's.
 */
@ThreewayTest(seed = 16, sealed = true)
class HttpsExampleTest {

    static OkHttpClient https(Network net, Host client, SSLContext tls) {
        return new OkHttpClient.Builder()
                .socketFactory(client.socketFactory())
                .sslSocketFactory(tls.getSocketFactory(), Servers.trust())
                .dispatcher(new okhttp3.Dispatcher(net.executor("okhttp")))
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Test
    void httpsGet(Network net, Host client, @HostName("secure.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        SSLContext tls = Servers.tls(16);
        Servers.https(server, 443, tls, "secret");
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (Response resp = https(net, client, tls).newCall(new Request.Builder().url("https://secure.test/").build()).execute()) {
                return resp.code() + " " + resp.body().string() + " " + resp.handshake().tlsVersion() + " at " + net.elapsed();
            }
        });
        // TCP's handshake (1 RTT), TLS 1.3's (1 RTT), the request (1 RTT), and 140 ms more: the same for every run
        assertEquals("200 secret TLS_1_3 at PT0.44S", r);
    }

    @Test
    void aServerThatNeverSpeaksTlsEndsInAHandshakeReadTimeout(Network net, Host client, @HostName("secure.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(100));
        Servers.silent(server, 443);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (Response resp = https(net, client, Servers.tls(16)).newCall(new Request.Builder().url("https://secure.test/").build()).execute()) {
                return "answered " + resp.code();
            } catch (SocketTimeoutException e) {
                return e.getMessage() + " at " + net.elapsed();
            }
        });
        assertEquals("Read timed out at PT3.1S", r);
    }
}
