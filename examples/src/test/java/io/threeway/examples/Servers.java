package io.threeway.examples;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.app.HttpServer;
import io.threeway.app.ServerLimits;
import io.threeway.app.ServerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The servers the examples' clients talk to, all on Threeway hosts and the network's managed threads. */
final class Servers {
    private Servers() {}

    /** Threeway's own HTTP/1.1 server ({@code /}, {@code /bytes/N}, {@code /status/N}) on {@code host:port}. */
    static HttpServer http(Network net, Host host, int port) {
        try {
            return HttpServer.start(host.listen(port), "threeway-examples", ServerLimits.DEFAULT,
                        new ServerRuntime(() -> net.elapsed().toNanos(), net.threadFactory("http-" + host.name())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that accepts connections and reads requests but never answers: for read timeouts. */
    static void silent(Host host, int port) {
        host.spawn("silent-server", () -> {
            try (ServerSocket ss = host.listen(port)) {
                while (true) {
                    Socket s = ss.accept();
                    host.spawn("silent-conn", () -> {
                        try (s; InputStream in = s.getInputStream()) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    });
                }
            }
        });
    }

    /** The examples' TLS identity: a self-signed RSA key for secure.test, trusted as its own anchor. */
    static SSLContext tls(long seed) {
        char[] password = "threeway-examples".toCharArray();
        try (InputStream in = Servers.class.getResourceAsStream("secure-test.p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    /** The trust manager that trusts the examples' TLS identity (for OkHttp's sslSocketFactory). */
    static javax.net.ssl.X509TrustManager trust() {
        char[] password = "threeway-examples".toCharArray();
        try (InputStream in = Servers.class.getResourceAsStream("secure-test.p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    /**
     * An HTTPS server on {@code host:port}: each accepted Threeway socket is wrapped in JSSE's server-side
     * SSLSocket, reads one request and answers {@code 200} with {@code body}.
     */
    static void https(Host host, int port, SSLContext tls, String body) {
        host.spawn("https-accept", () -> {
            try (ServerSocket ss = host.listen(port)) {
                while (true) {
                    Socket plain = ss.accept();
                    host.spawn("https-conn", () -> {
                        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                                .createSocket(plain, null, plain.getPort(), true);
                        s.setUseClientMode(false);
                        try (s) {
                            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                                    s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                            String line;
                            while ((line = in.readLine()) != null && !line.isEmpty()) {
                                // the request's head; no body for GET
                            }
                            byte[] b = body.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.length
                                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                    });
                }
            }
        });
    }

    /** The tcpdump lines of a run, without the payload-dependent parts TLS randomizes (none: sizes are stable). */
    static List<String> trace(Network net) {
        return net.tcpdump();
    }
}
