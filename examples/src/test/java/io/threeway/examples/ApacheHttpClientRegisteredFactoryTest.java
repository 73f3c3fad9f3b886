package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.api.Sealed;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What Apache HttpClient 5.4 does with a socket factory registered the way 5.0 to 5.3 take one: a
 * {@link ConnectionSocketFactory} under {@code "http"} in the connection manager's registry. In 5.4 the
 * {@code DefaultHttpClientConnectionOperator} built from such a registry makes its plain sockets with
 * {@code new Socket()} (its {@code PLAIN_SOCKET_FACTORY}, a {@code DetachedSocketFactory}) and keeps the registry
 * only to upgrade sockets to TLS: the registered factory is never called and the connection goes to the kernel.
 * That is the silent bypass issue 11 reports. A sealed run turns it into an immediate, named error; without a
 * seal, in this JVM's network namespace with no route, the kernel's own error shows where the packets went.
 * {@link ApacheHttpClientExampleTest} shows the 5.4 way that works (the factory as the operator's
 * {@code DetachedSocketFactory}).
 */
@SuppressWarnings("deprecation") // the 5.0-5.3 way of registering a factory, deprecated in 5.4, is the point here
class ApacheHttpClientRegisteredFactoryTest {

    /** A client whose connection manager has {@code factory} registered for plain HTTP, as in 5.0 to 5.3. */
    static CloseableHttpClient registeredTheOldWay(ConnectionSocketFactory factory) {
        PoolingHttpClientConnectionManager cm = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create().register("http", factory).build());
        return HttpClients.custom().setConnectionManager(cm).disableAutomaticRetries().build();
    }

    /** A factory over the host's sockets that counts how often HttpClient asks it for one. */
    static ConnectionSocketFactory counting(Host client, AtomicInteger calls) {
        return new ConnectionSocketFactory() {
            @Override
            public Socket createSocket(HttpContext context) throws IOException {
                calls.incrementAndGet();
                return client.socketFactory().createSocket();
            }

            @Override
            public Socket connectSocket(TimeValue connectTimeout, Socket socket, HttpHost host, InetSocketAddress remote,
                                        InetSocketAddress local, HttpContext context) throws IOException {
                calls.incrementAndGet();
                Socket s = socket != null ? socket : createSocket(context);
                s.connect(remote, connectTimeout == null ? 0 : connectTimeout.toMillisecondsIntBound());
                return s;
            }
        };
    }

    /** The GET every test here makes, with the exception's message as the result when it fails. */
    static String get(Network net, Host client, AtomicInteger calls) {
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (CloseableHttpClient http = registeredTheOldWay(counting(client, calls))) {
                return http.execute(new HttpGet("http://api.test/bytes/5"), resp -> "answered " + resp.getCode());
            } catch (IOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
        return String.valueOf(r);
    }

    @Nested
    @ThreewayTest(seed = 31, sealed = true)
    class Sealed54 {
        @Test
        void theRegisteredFactoryIsIgnoredAndTheSealedRunRefusesTheKernelSocket(Network net, Host client,
                                                                               @HostName("api.test") Host server) {
            Servers.http(net, server, 80);
            AtomicInteger calls = new AtomicInteger();
            String r = get(net, client, calls);
            assertTrue(r.startsWith("SocketException: sealed run: a socket was opened on the kernel's network stack"
                    + " from thread 'client'"), r);
            assertTrue(r.contains("Nothing was sent."), r);
            assertEquals(0, calls.get(), "HttpClient 5.4 never called the registered ConnectionSocketFactory");
            assertEquals(0, net.tcpdump().size(), "nothing reached Threeway's network either");
            assertEquals(0, server.counter("TcpPassiveOpens"));
        }
    }

    @Nested
    @ThreewayTest(seed = 32)
    class Unsealed54 {
        @Test
        void withoutASealTheConnectionGoesToTheKernel(Network net, Host client, @HostName("api.test") Host server) {
            String netns = System.getProperty("threeway.netns", "none");
            if ("true".equals(System.getenv("CI"))) assertEquals("isolated", netns, "CI runs the examples in a netns");
            assumeTrue(netns.equals("isolated"),
                    "not in a network namespace without routes: a kernel connect here could leave the machine");
            assertFalse(Sealed.active());
            Servers.http(net, server, 80);
            AtomicInteger calls = new AtomicInteger();
            String r = get(net, client, calls);
            // api.test resolved inside the network (198.18.0.2), then the kernel was asked to connect to it (connect(2) on
            // a kernel socket): in this namespace it has no route, so ENETUNREACH; anywhere else it would have left.
            assertEquals("SocketException: Network is unreachable", r);
            assertEquals(0, calls.get(), "the registered factory was not used");
            assertEquals(0, net.tcpdump().size(), "Threeway's network saw nothing");
        }
    }
}
