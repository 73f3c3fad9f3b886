package io.threeway.socket;

import static io.threeway.socket.SocketOverSimulatorTest.io;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TCP Fast Open through the socket API (TCP_FASTOPEN on the server socket, TCP_FASTOPEN_CONNECT on the client),
 * over the 100 ms RTT of {@link SimPair}, with times measured in virtual time from the start of connect().
 */
class FastOpenSocketTest {
    static final IpAddress SERVER = IpAddress.parse(SimPair.SERVER_IP);
    static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: threeway\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    static final long MS = 1_000_000L;

    /** When each request reached the server application (virtual ns), in the order served. */
    record Served(List<Long> at) {}

    /** A server that reads one whole request per connection, notes when it had it, answers and closes. */
    static Served requestServer(SimPair p, ServerSocket ss, int connections) {
        Served served = new Served(new ArrayList<>());
        p.sim.spawn("server", io(() -> {
            for (int i = 0; i < connections; i++) {
                try (Socket s = ss.accept()) {
                    byte[] got = s.getInputStream().readNBytes(REQUEST.length);
                    served.at.add(p.sim.now());
                    assertArrayEquals(REQUEST, got, "the request arrived intact and once");
                    s.getOutputStream().write(RESPONSE);
                }
            }
            ss.close();
        }));
        return served;
    }

    /** What one client connection saw: virtual ns from the start of connect() to each step's return. */
    record Fetch(long start, long connectReturned, long writeReturned, long responseRead) {}

    /** connect (with TCP_FASTOPEN_CONNECT), write the request, read the response to the end; times each. */
    static Fetch fetch(SimPair p, int port) throws IOException {
        try (Socket s = p.client.socket()) {
            s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
            long start = p.sim.now();
            s.connect(SimPair.server(port), 10_000);
            long connected = p.sim.now() - start;
            s.getOutputStream().write(REQUEST);
            long written = p.sim.now() - start;
            assertArrayEquals(RESPONSE, s.getInputStream().readAllBytes());
            return new Fetch(start, connected, written, p.sim.now() - start);
        }
    }

    static ServerSocket fastOpenServer(SimPair p, int port, int qlen) throws IOException {
        p.serverStack.sysctls().set("net.ipv4.tcp_fastopen", "3"); // the server bit is off by default, as on Linux
        ServerSocket ss = p.server.serverSocket();
        ss.setOption(ThreewaySocketOptions.TCP_FASTOPEN, qlen); // before bind, as servers usually do
        ss.bind(new InetSocketAddress(IpAddress.ANY6.toInetAddress(), port), 64);
        return ss;
    }

    @Test
    void theSecondConnectionsRequestReachesTheServerHalfAnRttAfterConnect() throws Exception {
        try (SimPair p = new SimPair(71)) {
            Served served = requestServer(p, fastOpenServer(p, 80, 16), 2);
            List<Fetch> fetches = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                fetches.add(fetch(p, 80));
                assertTrue(p.clientStack.hasFastOpenCookie(SERVER), "the first connection's SYN-ACK brought a cookie");
                fetches.add(fetch(p, 80));
            }));
            p.runToCompletion();

            Fetch first = fetches.get(0);
            Fetch second = fetches.get(1);
            // No cookie yet: connect() is an ordinary one (its SYN asks for a cookie) and the request follows it.
            assertEquals(100 * MS, first.connectReturned(), "the first connect() takes the round trip");
            assertEquals(150 * MS, served.at().get(0) - first.start(), "first request at the server: 1.5 RTT");
            // With the cookie: connect() returns at once and the request rides in the SYN.
            assertEquals(0, second.connectReturned(), "connect() returns at once, nothing sent");
            assertEquals(50 * MS, served.at().get(1) - second.start(), "second request at the server: half an RTT");
            assertEquals(100 * MS, second.writeReturned(), "the first write returns once the handshake is done");
            System.out.printf("Fast Open socket: request at the server after %d ms, then %d ms; response read after %d ms, then %d ms%n",
                    (served.at().get(0) - first.start()) / MS, (served.at().get(1) - second.start()) / MS,
                    first.responseRead() / MS, second.responseRead() / MS);

            assertEquals(1, p.serverStack.counters().get(Counter.TCP_FAST_OPEN_COOKIE_REQD));
            assertEquals(1, p.serverStack.counters().get(Counter.TCP_FAST_OPEN_PASSIVE));
            assertEquals(1, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE));
            assertEquals(0, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE_FAIL));
            assertEquals(0, p.clientStack.internalErrors() + p.serverStack.internalErrors());
        }
    }

    @Test
    void aServerRestartedWithoutTcpFastOpenGetsTheRequestAfterTheHandshake() throws Exception {
        try (SimPair p = new SimPair(72)) {
            AtomicReference<Fetch> fallback = new AtomicReference<>();
            List<Long> servedAt = new ArrayList<>();
            p.sim.spawn("client-and-servers", io(() -> {
                ServerSocket first = fastOpenServer(p, 80, 16);
                Served withFastOpen = requestServer(p, first, 1);
                fetch(p, 80); // learns the cookie
                assertTrue(p.clientStack.hasFastOpenCookie(SERVER));
                first.close();
                // The same port, now without TCP_FASTOPEN: the SYN's data is ignored and acknowledged only later.
                ServerSocket plain = p.server.serverSocket();
                plain.setReuseAddress(true); // the first server's connection waits in TIME-WAIT on port 80
                plain.bind(new InetSocketAddress(IpAddress.ANY6.toInetAddress(), 80));
                assertEquals(0, plain.getOption(ThreewaySocketOptions.TCP_FASTOPEN));
                Served without = requestServer(p, plain, 1);
                fallback.set(fetch(p, 80));
                servedAt.addAll(withFastOpen.at());
                servedAt.addAll(without.at());
            }));
            p.runToCompletion();

            Fetch f = fallback.get();
            assertEquals(0, f.connectReturned(), "the client still had a cookie, so connect() deferred");
            assertEquals(150 * MS, servedAt.get(1) - f.start(), "the data was sent again after the handshake: 1.5 RTT");
            assertEquals(1, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE_FAIL));
            assertEquals(0, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE));
            assertEquals(0, p.serverStack.counters().get(Counter.TCP_FAST_OPEN_PASSIVE));
        }
    }

    @Test
    void aRefusedDeferredConnectFailsTheFirstWrite() throws Exception {
        try (SimPair p = new SimPair(73)) {
            requestServer(p, fastOpenServer(p, 80, 16), 1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] times = new long[2];
            p.sim.spawn("client", io(() -> {
                fetch(p, 80); // a cookie for the server's address
                try (Socket s = p.client.socket()) {
                    s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
                    long start = p.sim.now();
                    s.connect(SimPair.server(81)); // nothing listens on 81, but connect() cannot know yet
                    times[0] = p.sim.now() - start;
                    assertTrue(s.isConnected());
                    failure.set(assertThrows(ConnectException.class, () -> s.getOutputStream().write(REQUEST)));
                    times[1] = p.sim.now() - start;
                    assertThrows(SocketException.class, () -> s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, false),
                            "Invalid argument once connecting, as on Linux");
                }
            }));
            p.runToCompletion();
            assertEquals(0, times[0], "connect() returned at once");
            assertEquals("Connection refused", failure.get().getMessage());
            assertEquals(100 * MS, times[1], "the RST answers the SYN after one round trip");
        }
    }

    @Test
    void aReadBeforeAnyWriteConnectsWithoutData() throws Exception {
        byte[] greeting = "220 threeway ESMTP\r\n".getBytes(StandardCharsets.US_ASCII);
        try (SimPair p = new SimPair(74)) {
            ServerSocket ss = fastOpenServer(p, 25, 16);
            p.sim.spawn("server", io(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = ss.accept()) {
                        s.getOutputStream().write(greeting); // the server speaks first
                    }
                }
            }));
            List<Long> greeted = new ArrayList<>();
            List<Long> connectTook = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = p.client.socket()) {
                        s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
                        long start = p.sim.now();
                        s.connect(SimPair.server(25));
                        connectTook.add(p.sim.now() - start);
                        byte[] got = s.getInputStream().readNBytes(greeting.length); // read() sends the SYN if connect() did not
                        greeted.add(p.sim.now() - start);
                        assertArrayEquals(greeting, got);
                        assertNotEquals(0, s.getLocalPort());
                    }
                }
            }));
            p.runToCompletion();
            // SYN, SYN-ACK, the ACK that lets accept() return, then the greeting: 2 RTT, whether connect() (no
            // cookie yet) or read() (the connect deferred) sent the SYN.
            assertEquals(Arrays.asList(100 * MS, 0L), connectTook, "the second connect() had a cookie and deferred");
            assertEquals(Arrays.asList(200 * MS, 200 * MS), greeted);
            assertEquals(0, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE) + p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE_FAIL),
                    "no SYN carried data");
        }
    }

    @Test
    void aFlushBeforeAnyWriteSendsTheSyn() throws Exception {
        try (SimPair p = new SimPair(75)) {
            requestServer(p, fastOpenServer(p, 80, 16), 2);
            long[] flushedAt = new long[1];
            p.sim.spawn("client", io(() -> {
                fetch(p, 80);
                try (Socket s = p.client.socket()) {
                    s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
                    s.connect(SimPair.server(80));
                    assertEquals(0, s.getLocalPort(), "no SYN yet, so no port yet");
                    long activeOpens = p.clientStack.counters().get(Counter.ACTIVE_OPENS);
                    s.getOutputStream().flush();
                    flushedAt[0] = p.sim.now();
                    assertEquals(activeOpens + 1, p.clientStack.counters().get(Counter.ACTIVE_OPENS), "flush() sent the SYN");
                    assertNotEquals(0, s.getLocalPort());
                    s.getOutputStream().write(REQUEST);
                    assertArrayEquals(RESPONSE, s.getInputStream().readAllBytes());
                }
            }));
            p.runToCompletion();
            assertEquals(0, p.clientStack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE), "the request followed a SYN without data");
        }
    }

    @Test
    void optionsBehaveAsLinuxSetsockopt() throws Exception {
        try (SimPair p = new SimPair(76)) {
            p.sim.spawn("app", io(() -> {
                try (ServerSocket ss = p.server.serverSocket(); Socket s = p.client.socket()) {
                    assertTrue(ss.supportedOptions().contains(ThreewaySocketOptions.TCP_FASTOPEN));
                    assertFalse(ss.supportedOptions().contains(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT));
                    assertTrue(s.supportedOptions().contains(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT));
                    assertFalse(s.supportedOptions().contains(ThreewaySocketOptions.TCP_FASTOPEN));
                    assertEquals(0, ss.getOption(ThreewaySocketOptions.TCP_FASTOPEN));
                    assertThrows(IllegalArgumentException.class, () -> ss.setOption(ThreewaySocketOptions.TCP_FASTOPEN, -1));
                    p.serverStack.sysctls().set("net.core.somaxconn", "128");
                    ss.setOption(ThreewaySocketOptions.TCP_FASTOPEN, 1000);
                    assertEquals(128, ss.getOption(ThreewaySocketOptions.TCP_FASTOPEN), "capped at somaxconn");
                    ss.bind(new InetSocketAddress(IpAddress.ANY6.toInetAddress(), 80));
                    assertEquals(128, ((ThreewayServerSocket) ss).listener().fastOpenQueueLimit());
                    ss.setOption(ThreewaySocketOptions.TCP_FASTOPEN, 5); // on a listening socket, too
                    assertEquals(5, ((ThreewayServerSocket) ss).listener().fastOpenQueueLimit());

                    assertFalse(s.getOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT));
                    p.clientStack.sysctls().set("net.ipv4.tcp_fastopen", "0");
                    SocketException off = assertThrows(SocketException.class, () -> s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true));
                    assertEquals("Operation not supported", off.getMessage());
                    p.clientStack.sysctls().set("net.ipv4.tcp_fastopen", "1");
                    s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
                    assertTrue(s.getOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT));
                }
            }));
            p.runToCompletion();
        }
    }
}
