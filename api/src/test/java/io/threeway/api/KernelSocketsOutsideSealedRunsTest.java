package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Once a sealed run has installed the JVM-wide guard, kernel sockets outside sealed runs still behave as the
 * JDK's own (they are, over its NIO channels), with no JVM option for them: this test's JVM has no
 * {@code --add-opens}. Everything here stays on loopback.
 */
class KernelSocketsOutsideSealedRunsTest {
    /** The loopback address every socket here uses. */
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void installTheGuard() {
        try (Network net = Network.simulated(1).seal()) {
            assertTrue(Sealed.active());
        }
        assertFalse(Sealed.active());
    }

    @Test
    void connectAcceptTransferHalfCloseAndTimeouts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            assertTrue(server.getLocalPort() > 0);
            assertEquals(LOOPBACK, server.getInetAddress());
            server.setSoTimeout(100);
            assertEquals(100, server.getSoTimeout());
            assertThrows(SocketTimeoutException.class, server::accept, "accept honours SO_TIMEOUT");
            try (Socket client = new Socket()) {
                client.setTcpNoDelay(true);
                client.setSoTimeout(150);
                client.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), 1000);
                try (Socket accepted = server.accept()) {
                    assertEquals(client.getLocalPort(), accepted.getPort());
                    assertEquals(client.getPort(), accepted.getLocalPort());
                    assertEquals(LOOPBACK, accepted.getInetAddress());
                    assertEquals(LOOPBACK, client.getLocalAddress());
                    assertTrue(client.getTcpNoDelay());
                    client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    client.shutdownOutput();
                    assertEquals("ping", new String(accepted.getInputStream().readAllBytes(), StandardCharsets.US_ASCII),
                            "data, then end of stream after the peer's shutdownOutput");
                    InputStream in = client.getInputStream();
                    assertThrows(SocketTimeoutException.class, in::read, "a read honours SO_TIMEOUT");
                    accepted.getOutputStream().write(9);
                    assertEquals(9, in.read(), "the socket stays usable after a read timeout");
                }
            }
        }
    }

    @Test
    void optionsConstructorsAndErrorsAreTheJdks() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            assertTrue(server.getReuseAddress());
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = server.accept()) {
                client.setSoLinger(true, 3);
                assertEquals(3, client.getSoLinger());
                client.setSoLinger(false, 0);
                assertEquals(-1, client.getSoLinger());
                client.setKeepAlive(true);
                assertTrue(client.getKeepAlive());
                client.setReceiveBufferSize(65536);
                assertTrue(client.getReceiveBufferSize() > 0);
                assertTrue(client.isConnected() && accepted.isConnected());
                assertNull(client.getChannel(), "a plain socket, as the JDK's own");
            }
            int closedPort = server.getLocalPort();
            server.close();
            assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, closedPort), "connection refused");
        }
    }

    @Test
    void aSocketMadeBeforeASealedRunIsRefusedDuringIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK); Socket early = new Socket()) {
            early.setSoTimeout(500); // the JDK creates a socket's kernel end at its first use: now, before the run
            try (Network net = Network.simulated(2).seal()) {
                SocketException e = assertThrows(SocketException.class,
                        () -> early.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), 1000));
                assertTrue(e.getMessage().startsWith("sealed run: a socket was connected on the kernel's network stack"),
                        e.getMessage());
                assertNotNull(net);
            }
        }
    }
}
