package io.threeway.socket;

import static io.threeway.socket.SocketOverSimulatorTest.io;
import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSSE layered over Threeway sockets in the simulator: the handshake and the records travel through the
 * simulated stacks, and JSSE's blocking reads park in virtual time like any other application code.
 */
class TlsOverSimulatorTest {
    private static final char[] PASSWORD = "threeway".toCharArray();
    private static SSLContext context;

    /** A self-signed EC key for 198.18.0.2, made by the JDK's keytool in a temporary PKCS12 store. */
    @BeforeAll
    static void makeKey(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=threeway-test", "-ext", "san=ip:" + SimPair.SERVER_IP, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), output);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks); // the self-signed certificate is its own trust anchor
        context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void tlsOverThreewaySockets(String protocol) throws Exception {
        byte[] payload = new byte[200_000];
        new SplittableRandom(7).nextBytes(payload);
        SSLSocketFactory tls = context.getSocketFactory();
        try (SimPair p = new SimPair(21)) {
            ServerSocket ss = p.server.serverSocket(443);
            AtomicReference<String> serverSaw = new AtomicReference<>();
            p.sim.spawn("tls-server", io(() -> {
                try (ss; Socket plain = ss.accept();
                     SSLSocket s = (SSLSocket) tls.createSocket(plain, null, true)) {
                    s.setUseClientMode(false);
                    s.setEnabledProtocols(new String[] {protocol});
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] got = new byte[in.readInt()];
                    in.readFully(got);
                    assertArrayEquals(payload, got);
                    serverSaw.set(s.getSession().getProtocol() + " " + got.length);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeUTF("thanks for " + got.length + " bytes");
                    out.flush();
                }
            }));
            AtomicReference<String> clientSaw = new AtomicReference<>();
            p.sim.spawn("tls-client", io(() -> {
                Socket plain = p.client.socketFactory().createSocket(SimPair.SERVER_IP, 443);
                try (SSLSocket s = (SSLSocket) tls.createSocket(plain, SimPair.SERVER_IP, 443, true)) {
                    s.setEnabledProtocols(new String[] {protocol});
                    s.startHandshake();
                    clientSaw.set(s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(payload.length);
                    out.write(payload);
                    out.flush();
                    assertEquals("thanks for " + payload.length + " bytes", new DataInputStream(s.getInputStream()).readUTF());
                }
                assertTrue(plain.isClosed(), "autoClose closes the Threeway socket under the TLS one");
            }));
            p.runToCompletion();
            assertEquals(protocol + " " + payload.length, serverSaw.get());
            assertTrue(clientSaw.get().startsWith(protocol + " TLS_"), clientSaw.get());
            assertEquals(0, p.clientStack.internalErrors() + p.serverStack.internalErrors());
        }
    }
}
