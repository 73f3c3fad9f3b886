package io.threeway.socket;

import io.threeway.wire.FourTuple;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.StackObserver;
import io.threeway.host.Stack;
import io.threeway.sim.Rules;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** Plain java.net stream code over two Threeway stacks in the simulator, in virtual time. */
class SocketOverSimulatorTest {

    interface IoBody {
        void run() throws Exception;
    }

    static Runnable io(IoBody body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
    }

    /** An echo server: an accept loop on its own thread, one thread per connection copying input to output. */
    static void echoServer(SimPair p, ServerSocket ss, int connections) {
        p.sim.spawn("echo-accept", io(() -> {
            for (int i = 0; i < connections; i++) {
                Socket s = ss.accept();
                p.sim.spawn("echo-" + i, io(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                }));
            }
            ss.close();
        }));
    }

    @Test
    void echoWithPlainStreams() throws Exception {
        try (SimPair p = new SimPair(1)) {
            echoServer(p, p.server.serverSocket(7), 1);
            AtomicReference<String> reply = new AtomicReference<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socketFactory().createSocket(SimPair.SERVER_IP, 7)) {
                    assertTrue(s instanceof ThreewaySocket);
                    assertTrue(s.isConnected());
                    assertEquals(7, s.getPort());
                    assertEquals(SimPair.SERVER_IP, s.getInetAddress().getHostAddress());
                    assertEquals(SimPair.CLIENT_IP, s.getLocalAddress().getHostAddress());
                    assertTrue(s.getLocalPort() >= 32768, "ephemeral port " + s.getLocalPort());
                    OutputStream out = s.getOutputStream();
                    out.write("hello, threeway\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] buf = new byte[64];
                    int n = s.getInputStream().read(buf);
                    reply.set(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
            }));
            p.runToCompletion();
            assertEquals("hello, threeway\n", reply.get());
            assertEquals(0, p.clientStack.internalErrors() + p.serverStack.internalErrors());
        }
    }

    @Test
    void echoOverIpv6() throws Exception {
        try (SimPair p = new SimPair(2, "2001:db8::1", "2001:db8::2")) {
            echoServer(p, p.server.serverSocket(7), 1);
            AtomicReference<String> reply = new AtomicReference<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socket()) {
                    s.connect(new InetSocketAddress(java.net.InetAddress.ofLiteral("2001:db8::2"), 7));
                    s.getOutputStream().write("six".getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                    reply.set(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                    assertEquals("2001:db8:0:0:0:0:0:1", s.getLocalAddress().getHostAddress());
                }
            }));
            p.runToCompletion();
            assertEquals("six", reply.get());
        }
    }

    @Test
    void oneMegabyteArrivesIntactBySha256() throws Exception {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(42).nextBytes(data);
        try (SimPair p = new SimPair(3)) {
            ServerSocket ss = p.server.serverSocket(9000);
            AtomicReference<byte[]> serverDigest = new AtomicReference<>();
            p.sim.spawn("server", io(() -> {
                try (ss; Socket s = ss.accept()) {
                    MessageDigest md = sha256();
                    byte[] buf = new byte[8192];
                    InputStream in = s.getInputStream();
                    long total = 0;
                    for (int n; (n = in.read(buf)) != -1; ) {
                        md.update(buf, 0, n);
                        total += n;
                    }
                    assertEquals(data.length, total);
                    byte[] d = md.digest();
                    serverDigest.set(d);
                    s.getOutputStream().write(d);
                }
            }));
            AtomicReference<byte[]> echoedDigest = new AtomicReference<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socketFactory().createSocket(SimPair.SERVER_IP, 9000)) {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    echoedDigest.set(s.getInputStream().readAllBytes());
                }
            }));
            p.runToCompletion();
            byte[] expected = sha256().digest(data);
            assertArrayEquals(expected, serverDigest.get());
            assertArrayEquals(expected, echoedDigest.get());
        }
    }

    @Test
    void closedPortIsRefusedAfterOneRtt() {
        try (SimPair p = new SimPair(4)) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong failedAt = new AtomicLong();
            p.sim.spawn("client", () -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(81));
                } catch (IOException e) {
                    failure.set(e);
                    failedAt.set(p.sim.now());
                }
            });
            p.runToCompletion();
            assertInstanceOf(ConnectException.class, failure.get());
            assertEquals("Connection refused", failure.get().getMessage());
            assertEquals(SimPair.RTT, failedAt.get());
        }
    }

    @Test
    void connectTimeoutFiresAtTheVirtualDeadline() {
        try (SimPair p = new SimPair(5)) {
            p.sim.links().get(0).aToB().addRule(Rules.dropMatching(pk -> pk.isSyn()));
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong failedAt = new AtomicLong();
            AtomicReference<Socket> socket = new AtomicReference<>();
            p.sim.spawn("client", () -> {
                Socket s = null;
                try {
                    s = p.client.socket();
                    socket.set(s);
                    s.connect(SimPair.server(80), 2500);
                } catch (IOException e) {
                    failure.set(e);
                    failedAt.set(p.sim.now());
                }
            });
            p.runToCompletion();
            assertInstanceOf(SocketTimeoutException.class, failure.get());
            assertEquals("Connect timed out", failure.get().getMessage());
            assertEquals(2_500_000_000L, failedAt.get());
            assertTrue(socket.get().isClosed(), "a failed connect closes the socket");
            assertEquals(0, p.clientStack.connectionCount(), "the SYN-SENT connection is gone");
        }
    }

    @Test
    void blackholedSynsGiveConnectionTimedOutAfter131Seconds() {
        try (SimPair p = new SimPair(6)) {
            p.sim.links().get(0).aToB().addRule(Rules.dropMatching(pk -> true));
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong failedAt = new AtomicLong();
            p.sim.spawn("client", () -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));
                } catch (IOException e) {
                    failure.set(e);
                    failedAt.set(p.sim.now());
                }
            });
            p.runToCompletion();
            assertInstanceOf(ConnectException.class, failure.get());
            assertEquals("Connection timed out", failure.get().getMessage());
            assertEquals(131_000_000_000L, failedAt.get());
        }
    }

    @Test
    void soTimeoutBoundsARead() throws Exception {
        try (SimPair p = new SimPair(7)) {
            ServerSocket ss = p.server.serverSocket(80);
            p.sim.spawn("server", io(() -> {
                try (ss; Socket s = ss.accept()) {
                    assertEquals(-1, s.getInputStream().read());
                }
            }));
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong waited = new AtomicLong();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));
                    s.setSoTimeout(750);
                    assertEquals(750, s.getSoTimeout());
                    long start = p.sim.now();
                    try {
                        s.getInputStream().read();
                    } catch (SocketTimeoutException e) {
                        failure.set(e);
                        waited.set(p.sim.now() - start);
                    }
                    assertFalse(s.isClosed(), "a read timeout leaves the socket usable");
                }
            }));
            p.runToCompletion();
            assertEquals("Read timed out", failure.get().getMessage());
            assertEquals(750_000_000L, waited.get());
        }
    }

    @Test
    void acceptTimesOut() throws Exception {
        try (SimPair p = new SimPair(8)) {
            ServerSocket ss = p.server.serverSocket(80);
            ss.setSoTimeout(1000);
            AtomicReference<Exception> failure = new AtomicReference<>();
            p.sim.spawn("server", () -> {
                try (ss) {
                    ss.accept();
                } catch (IOException e) {
                    failure.set(e);
                }
            });
            p.runToCompletion();
            assertInstanceOf(SocketTimeoutException.class, failure.get());
            assertEquals("Accept timed out", failure.get().getMessage());
            assertEquals(1_000_000_000L, p.sim.now());
        }
    }

    @Test
    void peerAbortGivesBufferedDataThenConnectionReset() throws Exception {
        try (SimPair p = new SimPair(9)) {
            ServerSocket ss = p.server.serverSocket(80);
            p.sim.spawn("server", io(() -> {
                try (ss) {
                    Socket s = ss.accept();
                    s.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
                    s.setSoLinger(true, 0);
                    assertEquals(0, s.getSoLinger());
                    s.close(); // SO_LINGER 0: RST
                }
            }));
            List<String> events = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));
                    p.sim.scheduler().sleep(1_000_000_000L); // the data and the RST have both arrived
                    assertEquals(TcpState.CLOSED, ((ThreewaySocket) s).connection().state());
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[100];
                    int n = in.read(buf);
                    events.add(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    for (int i = 0; i < 2; i++) {
                        try {
                            in.read(buf);
                            events.add("read returned");
                        } catch (SocketException e) {
                            events.add(e.getMessage());
                        }
                    }
                }
            }));
            p.runToCompletion();
            assertEquals(List.of("last words", "Connection reset", "Connection reset"), events);
        }
    }

    @Test
    void writeAfterResetFailsWithResetThenBrokenPipe() throws Exception {
        try (SimPair p = new SimPair(10)) {
            ServerSocket ss = p.server.serverSocket(80);
            p.sim.spawn("server", io(() -> {
                try (ss) {
                    Socket s = ss.accept();
                    s.setSoLinger(true, 0);
                    s.close();
                }
            }));
            List<String> events = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));
                    p.sim.scheduler().sleep(1_000_000_000L);
                    for (int i = 0; i < 2; i++) {
                        try {
                            s.getOutputStream().write(1);
                            events.add("written");
                        } catch (SocketException e) {
                            events.add(e.getMessage());
                        }
                    }
                }
            }));
            p.runToCompletion();
            assertEquals(List.of("Connection reset", "Broken pipe"), events);
        }
    }

    @Test
    void secondBindIsAddressAlreadyInUse() throws Exception {
        try (SimPair p = new SimPair(11)) {
            try (ServerSocket first = p.server.serverSocket(8080)) {
                assertEquals(8080, first.getLocalPort());
                BindException e = assertThrows(BindException.class, () -> p.server.serverSocket(8080));
                assertEquals("Address already in use", e.getMessage());
            }
            p.server.serverSocket(8080).close(); // free again once the first is closed
        }
    }

    @Test
    void reuseAddressLetsARestartedServerBindOverTimeWait() throws Exception {
        try (SimPair p = new SimPair(18)) {
            ServerSocket ss = p.server.serverSocket(8080);
            p.sim.spawn("server", io(() -> {
                try (ss; Socket s = ss.accept()) {
                    s.getOutputStream().write(1); // and the server closes first: its side ends in TIME-WAIT
                }
            }));
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socketFactory().createSocket(SimPair.SERVER_IP, 8080)) {
                    s.getInputStream().readAllBytes();
                }
            }));
            p.runToCompletion();
            p.sim.runFor(1_000_000_000L);
            // The server's side closed first and is orphaned: a compact TIME-WAIT, in the socket table only.
            assertEquals(TcpState.TIME_WAIT, p.serverStack.sockets().getLast().state());
            assertEquals(1, p.serverStack.timeWaitCount());
            assertThrows(BindException.class, () -> p.server.serverSocket(8080));
            ServerSocket again = p.server.serverSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(8080));
            assertEquals(8080, again.getLocalPort());
            again.close();
        }
    }

    @Test
    void bindingAnAddressTheHostLacksFails() throws Exception {
        try (SimPair p = new SimPair(12)) {
            ServerSocket ss = p.server.serverSocket();
            SocketException e = assertThrows(SocketException.class,
                    () -> ss.bind(new InetSocketAddress(java.net.InetAddress.ofLiteral("203.0.113.9"), 80)));
            assertEquals("Cannot assign requested address", e.getMessage());
        }
    }

    @Test
    void halfCloseLetsThePeerReadEofAndStillAnswer() throws Exception {
        try (SimPair p = new SimPair(13)) {
            ServerSocket ss = p.server.serverSocket(80);
            p.sim.spawn("server", io(() -> {
                try (ss; Socket s = ss.accept()) {
                    byte[] request = s.getInputStream().readAllBytes(); // until the client's FIN
                    assertEquals(TcpState.CLOSE_WAIT, ((ThreewaySocket) s).connection().state());
                    s.getOutputStream().write(("got " + request.length + " bytes").getBytes(StandardCharsets.US_ASCII));
                }
            }));
            AtomicReference<String> answer = new AtomicReference<>();
            p.sim.spawn("client", io(() -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));
                    s.getOutputStream().write(new byte[3000]);
                    s.shutdownOutput();
                    assertTrue(s.isOutputShutdown());
                    SocketException e = assertThrows(SocketException.class, () -> s.getOutputStream());
                    assertEquals("Socket output is shutdown", e.getMessage());
                    answer.set(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                }
            }));
            p.runToCompletion();
            assertEquals("got 3000 bytes", answer.get());
        }
    }

    @Test
    void namesAreNotResolved() throws Exception {
        try (SimPair p = new SimPair(14)) {
            UnknownHostException e = assertThrows(UnknownHostException.class,
                    () -> p.client.socketFactory().createSocket("example.com", 80));
            assertTrue(e.getMessage().contains("literal"), e.getMessage());
            Socket s = p.client.socket();
            assertThrows(UnknownHostException.class, () -> s.connect(InetSocketAddress.createUnresolved("example.com", 80)));
        }
    }

    @Test
    void noRouteIsNoRouteToHost() throws Exception {
        try (SimPair p = new SimPair(19)) {
            Socket s = p.client.socket();
            NoRouteToHostException e = assertThrows(NoRouteToHostException.class,
                    () -> s.connect(new InetSocketAddress(java.net.InetAddress.ofLiteral("2001:db8::9"), 80)));
            assertEquals("Network is unreachable", e.getMessage());
            assertTrue(s.isClosed());
        }
    }

    @Test
    void streamsUsedAfterCloseSaySocketClosed() throws Exception {
        try (SimPair p = new SimPair(15)) {
            echoServer(p, p.server.serverSocket(7), 1);
            List<String> events = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                Socket s = p.client.socket();
                s.connect(SimPair.server(7));
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                s.close();
                assertTrue(s.isClosed());
                try {
                    in.read();
                } catch (SocketException e) {
                    events.add("read: " + e.getMessage());
                }
                try {
                    out.write(1);
                } catch (SocketException e) {
                    events.add("write: " + e.getMessage());
                }
                try {
                    s.getInputStream();
                } catch (SocketException e) {
                    events.add("getInputStream: " + e.getMessage());
                }
            }));
            p.runToCompletion();
            assertEquals(List.of("read: Socket closed", "write: Socket closed", "getInputStream: Socket is closed"), events);
        }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        try (SimPair p = new SimPair(16)) {
            ServerSocket ss = p.server.serverSocket(80);
            p.sim.spawn("server", io(() -> {
                try (ss; Socket s = ss.accept()) {
                    s.getInputStream().read();
                }
            }));
            AtomicReference<String> readerSaw = new AtomicReference<>();
            p.sim.spawn("client", io(() -> {
                Socket s = p.client.socket();
                s.connect(SimPair.server(80));
                p.sim.spawn("reader", () -> {
                    try {
                        s.getInputStream().read();
                    } catch (IOException e) {
                        readerSaw.set(e.getMessage() + " at " + p.sim.now());
                    }
                });
                p.sim.scheduler().sleep(2_000_000_000L);
                s.close();
            }));
            p.runToCompletion();
            assertEquals("Socket closed at 2100000000", readerSaw.get());
        }
    }

    @Test
    void optionsMapOntoTheConnection() throws Exception {
        try (SimPair p = new SimPair(17)) {
            ServerSocket ss = p.server.serverSocket();
            ss.setReuseAddress(true);
            ss.setReceiveBufferSize(10_000);
            ss.bind(new InetSocketAddress(80));
            assertTrue(ss.getReuseAddress());
            assertEquals(10_000, ss.getReceiveBufferSize(), "Linux doubles SO_RCVBUF; the JDK reads it halved");
            AtomicReference<Socket> accepted = new AtomicReference<>();
            p.sim.spawn("server", io(() -> accepted.set(ss.accept())));
            p.sim.spawn("client", io(() -> {
                Socket s = p.client.socket();
                s.setTcpNoDelay(true);
                s.setKeepAlive(true);
                s.setSendBufferSize(50_000);
                s.setReceiveBufferSize(1_000_000);
                s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 30);
                s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
                s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
                s.setOption(ThreewaySocketOptions.TCP_USER_TIMEOUT, 10_000);
                s.setOption(ThreewaySocketOptions.TCP_MAXSEG, 1000);
                s.setOption(ThreewaySocketOptions.TCP_QUICKACK, true);
                s.connect(SimPair.server(80));
                TcpConnection c = ((ThreewaySocket) s).connection();
                assertTrue(c.options().noDelay);
                assertTrue(c.options().keepAlive);
                assertEquals(50_000, s.getSendBufferSize());
                assertEquals(SocketSettings.RMEM_MAX, s.getReceiveBufferSize(), "clamped to rmem_max (then doubled by Linux, halved by the JDK)");
                assertEquals(30, s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
                assertEquals(5, s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
                assertEquals(3, s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
                assertEquals(10_000, s.getOption(ThreewaySocketOptions.TCP_USER_TIMEOUT));
                assertEquals(1000 - 12, s.getOption(ThreewaySocketOptions.TCP_MAXSEG), "the cap, less the timestamp option");
                assertEquals("cubic", s.getOption(ThreewaySocketOptions.TCP_CONGESTION), "Linux's usual default");
                s.setOption(ThreewaySocketOptions.TCP_CONGESTION, "reno");
                assertEquals("reno", s.getOption(ThreewaySocketOptions.TCP_CONGESTION));
                SocketException e = assertThrows(SocketException.class,
                        () -> s.setOption(ThreewaySocketOptions.TCP_CONGESTION, "bbr"));
                assertEquals("No such file or directory", e.getMessage());
                assertEquals(-1, s.getSoLinger());
                assertTrue(s.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));
                assertEquals("keepalive", c.info(0).timer());
                assertEquals(p.sim.now() + 30_000_000_000L, c.info(0).timerDeadline());
                s.close();
            }));
            p.runToCompletion();
            TcpConnection serverSide = ((ThreewaySocket) accepted.get()).connection();
            assertEquals(20_000, serverSide.options().rcvBuf, "accepted sockets inherit the listener's options");
            assertEquals(10_000, accepted.get().getReceiveBufferSize());
            accepted.get().close();
            ss.close();
        }
    }

    /** The same scenario twice gives the same (virtual time, event) records, transitions and application steps alike. */
    @Test
    void runsAreDeterministic() {
        List<String> first = scenarioTrace(99);
        List<String> second = scenarioTrace(99);
        assertTrue(first.size() > 20, first.toString());
        assertEquals(first, second);
    }

    private static List<String> scenarioTrace(long seed) {
        List<String> trace = new ArrayList<>();
        try (SimPair p = new SimPair(seed)) {
            p.sim.links().get(0).aToB().addRule(Rules.dropNth(5, pk -> pk.tcpPayloadLength() > 0));
            StackObserver obs = new StackObserver() {
                @Override
                public void transition(Stack st, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause, long now) {
                    trace.add(now + " " + st.name() + " " + tuple + " " + from + "->" + to + " " + cause);
                }
            };
            p.clientStack.addObserver(obs);
            p.serverStack.addObserver(obs);
            try {
                echoServer(p, p.server.serverSocket(7), 3);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < 3; i++) {
                int id = i;
                p.sim.spawn("client-" + i, io(() -> {
                    try (Socket s = p.client.socket()) {
                        s.connect(SimPair.server(7));
                        trace.add(p.sim.now() + " client-" + id + " connected from " + s.getLocalPort());
                        byte[] msg = new byte[20_000 * (id + 1)];
                        new SplittableRandom(id).nextBytes(msg);
                        s.getOutputStream().write(msg);
                        s.shutdownOutput();
                        ByteArrayOutputStream got = new ByteArrayOutputStream();
                        s.getInputStream().transferTo(got);
                        assertArrayEquals(msg, got.toByteArray());
                        trace.add(p.sim.now() + " client-" + id + " got " + got.size());
                    }
                }));
            }
            p.runToCompletion();
        }
        return trace;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
