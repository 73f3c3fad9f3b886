package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * NIO code run both ways: each test body runs on the kernel's own provider over loopback, and on Threeway's,
 * in the simulator and in real time, with the same assertions, so Threeway's channels and selector behave as the
 * JDK's on Linux: selection and wakeups, partial writes, end of stream, refused connections, scatter and gather,
 * the socket adaptors, cancelled keys, closes and interrupts.
 */
@Timeout(120)
class NioBothWaysTest {
    static final List<String> KINDS = NioWorld.KINDS;

    /** A server channel bound to an ephemeral port of the server. */
    static ServerSocketChannel listen(NioWorld w) throws IOException {
        ServerSocketChannel ss = w.server().openServerSocketChannel();
        ss.bind(new InetSocketAddress(w.serverIp(), 0));
        return ss;
    }

    /** A client channel connected (in blocking mode) to the server's {@code port}. */
    static SocketChannel connect(NioWorld w, int port) throws IOException {
        SocketChannel c = w.client().openSocketChannel();
        try {
            c.connect(w.server(port));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static int port(ServerSocketChannel ss) throws IOException {
        return ((InetSocketAddress) ss.getLocalAddress()).getPort();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void anEchoServerOnOneSelectorAndANonBlockingClientWithPartialWrites(String kind) throws Exception {
        byte[] data = random(1 << 20, 1);
        AtomicInteger partialWrites = new AtomicInteger();
        AtomicReference<byte[]> echoed = new AtomicReference<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            w.spawn("echo", () -> selectorEchoServer(w, ss, 1));
            w.spawn("client", () -> {
                try (Selector sel = w.client().openSelector(); SocketChannel c = w.client().openSocketChannel()) {
                    c.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
                    c.configureBlocking(false);
                    assertFalse(c.connect(w.server(port)), "a non-blocking connect is pending");
                    assertTrue(c.isConnectionPending());
                    SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT);
                    ByteBuffer out = ByteBuffer.wrap(data);
                    ByteBuffer in = ByteBuffer.allocateDirect(data.length);
                    while (in.hasRemaining()) {
                        sel.select();
                        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                            SelectionKey key = it.next();
                            it.remove();
                            if (key.isConnectable()) {
                                assertTrue(c.finishConnect());
                                k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                            }
                            if (key.isValid() && key.isWritable()) {
                                int want = out.remaining();
                                int n = c.write(out);
                                if (n < want) partialWrites.incrementAndGet();
                                if (!out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                            }
                            if (key.isValid() && key.isReadable()) assertNotEquals(-1, c.read(in));
                        }
                    }
                    in.flip();
                    byte[] got = new byte[in.remaining()];
                    in.get(got);
                    echoed.set(got);
                }
            });
            w.runAll();
        }
        assertEquals(sha(data), sha(echoed.get()));
        assertTrue(partialWrites.get() > 0, "a 1 MB write into a 32 KB send buffer is taken in parts");
    }

    /** Accepts {@code connections} on a selector and echoes each until its end of stream. */
    static void selectorEchoServer(NioWorld w, ServerSocketChannel ss, int connections) throws Exception {
        Selector sel = w.server().openSelector();
        ss.configureBlocking(false);
        ss.register(sel, SelectionKey.OP_ACCEPT);
        selectorEchoServer(ss, connections, sel);
    }

    /** The echo server's loop on {@code sel}, where {@code ss} is registered for OP_ACCEPT; closes {@code sel}. */
    static void selectorEchoServer(ServerSocketChannel ss, int connections, Selector sel) throws Exception {
        try (sel) {
            int open = 0;
            int accepted = 0;
            while (accepted < connections || open > 0) {
                sel.select();
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isAcceptable()) {
                        SocketChannel c = ss.accept();
                        if (c == null) continue;
                        c.configureBlocking(false);
                        c.register(sel, SelectionKey.OP_READ, ByteBuffer.allocate(8192));
                        accepted++;
                        open++;
                    } else if (key.isReadable()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        ByteBuffer buf = (ByteBuffer) key.attachment();
                        if (c.read(buf) < 0) {
                            c.close();
                            open--;
                            continue;
                        }
                        buf.flip();
                        c.write(buf);
                        if (buf.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_WRITE);
                        }
                        buf.compact();
                    } else if (key.isWritable()) {
                        ByteBuffer buf = (ByteBuffer) key.attachment();
                        buf.flip();
                        ((SocketChannel) key.channel()).write(buf);
                        if (!buf.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
                        buf.compact();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void wakeupEndsABlockedSelectAndOneBeforeMakesTheNextReturnAtOnce(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); Selector sel = w.client().openSelector()) {
            w.spawn("selector", () -> {
                seen.add("select " + sel.select());
                sel.wakeup();
                seen.add("after wakeup " + sel.selectNow() + " " + sel.select(1)); // selectNow consumes it
                sel.wakeup();
                seen.add("select with wakeup pending " + sel.select());
            });
            w.spawn("waker", () -> {
                w.sleep(50);
                sel.wakeup();
            });
            w.runAll();
        }
        assertEquals(List.of("select 0", "after wakeup 0 0", "select with wakeup pending 0"), seen);
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void endOfStreamIsReadableAndReadsMinusOneAfterTheData(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            w.spawn("server", () -> {
                try (SocketChannel c = ss.accept()) {
                    c.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
                    c.shutdownOutput();
                    ByteBuffer b = ByteBuffer.allocate(16);
                    seen.add("server read " + c.read(b)); // the client's end of stream
                }
            });
            w.spawn("client", () -> {
                try (Selector sel = w.client().openSelector(); SocketChannel c = connect(w, port)) {
                    c.configureBlocking(false);
                    c.register(sel, SelectionKey.OP_READ);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    ByteBuffer b = ByteBuffer.allocate(2);
                    int n;
                    do {
                        sel.select();
                        sel.selectedKeys().clear();
                        b.clear();
                        n = c.read(b);
                        got.write(b.array(), 0, Math.max(n, 0));
                    } while (n >= 0);
                    seen.add("client got " + got + ", then " + n + ", again " + c.read(ByteBuffer.allocate(1)));
                    c.shutdownOutput();
                }
            });
            w.runAll();
        }
        assertEquals(List.of("client got bye, then -1, again -1", "server read -1"), seen.stream().sorted().toList());
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void aRefusedConnectFailsInFinishConnectAndClosesTheChannel(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind)) {
            int closedPort;
            try (ServerSocketChannel ss = listen(w)) {
                closedPort = port(ss);
            }
            w.spawn("client", () -> {
                try (Selector sel = w.client().openSelector()) {
                    SocketChannel c = w.client().openSocketChannel();
                    c.configureBlocking(false);
                    boolean now = c.connect(w.server(closedPort));
                    c.register(sel, SelectionKey.OP_CONNECT);
                    seen.add("connect " + now + ", selected " + sel.select() + " connectable "
                            + sel.selectedKeys().iterator().next().isConnectable());
                    ConnectException e = assertThrows(ConnectException.class, c::finishConnect);
                    seen.add(e.getMessage() + ", open " + c.isOpen());
                    SocketChannel b = w.client().openSocketChannel();
                    ConnectException e2 = assertThrows(ConnectException.class, () -> b.connect(w.server(closedPort)));
                    seen.add("blocking: " + e2.getMessage() + ", open " + b.isOpen());
                }
            });
            w.runAll();
        }
        assertEquals(List.of("connect false, selected 1 connectable true", "Connection refused, open false",
                "blocking: Connection refused, open false"), seen);
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void scatterAndGather(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            w.spawn("server", () -> {
                try (SocketChannel c = ss.accept()) {
                    ByteBuffer head = ByteBuffer.allocate(4);
                    ByteBuffer body = ByteBuffer.allocateDirect(11);
                    long n = 0;
                    while (body.hasRemaining()) n += c.read(new ByteBuffer[] {head, body});
                    body.flip();
                    byte[] b = new byte[body.remaining()];
                    body.get(b);
                    seen.add(n + " " + new String(head.array(), StandardCharsets.US_ASCII) + "|" + new String(b, StandardCharsets.US_ASCII));
                }
            });
            w.spawn("client", () -> {
                try (SocketChannel c = connect(w, port)) {
                    ByteBuffer[] parts = {ByteBuffer.wrap("HEAD".getBytes(StandardCharsets.US_ASCII)), ByteBuffer.allocateDirect(0),
                        ByteBuffer.allocateDirect(11).put("hello world".getBytes(StandardCharsets.US_ASCII)).flip()};
                    seen.add("wrote " + c.write(parts));
                }
            });
            w.runAll();
        }
        assertEquals(List.of("15 HEAD|hello world", "wrote 15"), seen.stream().sorted().toList());
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void theSocketAdaptorsLeadBackToTheirChannels(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            ServerSocket adaptor = ss.socket();
            assertSame(ss, adaptor.getChannel());
            assertEquals(port, adaptor.getLocalPort());
            w.spawn("server", () -> {
                try (Socket s = adaptor.accept()) {
                    SocketChannel accepted = s.getChannel();
                    assertNotNull(accepted);
                    assertSame(s, accepted.socket());
                    s.getOutputStream().write(s.getInputStream().readNBytes(4));
                }
            });
            w.spawn("client", () -> {
                try (SocketChannel c = w.client().openSocketChannel()) {
                    Socket s = c.socket();
                    assertSame(c, s.getChannel());
                    assertFalse(s.isConnected());
                    s.connect(w.server(port), 5000);
                    assertTrue(s.isConnected() && c.isConnected());
                    assertEquals(port, s.getPort());
                    s.setTcpNoDelay(true);
                    assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
                    s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    seen.add(new String(in.readNBytes(4), StandardCharsets.US_ASCII));
                    c.configureBlocking(false);
                    assertThrows(IllegalBlockingModeException.class, () -> in.read());
                    s.close();
                    assertFalse(c.isOpen());
                    assertThrows(SocketException.class, s::getInputStream);
                }
            });
            w.runAll();
        }
        assertEquals(List.of("ping"), seen);
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void optionsReadBackAsLinuxReportsThem(String kind) throws Exception {
        try (NioWorld w = NioWorld.of(kind); SocketChannel c = w.client().openSocketChannel();
             ServerSocketChannel ss = w.server().openServerSocketChannel()) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
            c.setOption(StandardSocketOptions.SO_LINGER, 5);
            assertEquals(List.of(true, true, 65536, 65536, 5), List.of(c.getOption(StandardSocketOptions.TCP_NODELAY),
                    c.getOption(StandardSocketOptions.SO_KEEPALIVE), c.getOption(StandardSocketOptions.SO_RCVBUF),
                    c.getOption(StandardSocketOptions.SO_SNDBUF), c.getOption(StandardSocketOptions.SO_LINGER)));
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertTrue(ss.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(c.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
            assertEquals(30, c.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            assertThrows(UnsupportedOperationException.class, () -> ss.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            assertThrows(UnsupportedOperationException.class, () -> c.getOption(StandardSocketOptions.SO_BROADCAST));
        }
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void cancelledKeysLeaveAtTheNextSelectionAndTheChannelRegistersAgain(String kind) throws Exception {
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w); Selector sel = w.server().openSelector()) {
            ss.configureBlocking(false);
            SelectionKey k = ss.register(sel, SelectionKey.OP_ACCEPT);
            k.cancel();
            assertFalse(k.isValid());
            assertEquals(1, sel.keys().size(), "deregistered only at the next selection");
            assertThrows(java.nio.channels.CancelledKeyException.class, () -> ss.register(sel, SelectionKey.OP_ACCEPT));
            assertEquals(0, sel.selectNow());
            assertEquals(0, sel.keys().size());
            SelectionKey again = ss.register(sel, SelectionKey.OP_ACCEPT);
            assertNotSame(k, again);
            assertSame(again, ss.keyFor(sel));
            assertThrows(UnsupportedOperationException.class, () -> sel.selectedKeys().add(again));
            assertThrows(IllegalArgumentException.class, () -> again.interestOps(SelectionKey.OP_READ));
            ss.close();
            assertFalse(again.isValid(), "closing the channel cancels its keys");
        }
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void aReadAfterThePeersResetFailsAndClosedChannelsSayClosed(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            w.spawn("server", () -> {
                SocketChannel c = ss.accept();
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                c.read(ByteBuffer.allocate(1));
                c.close(); // SO_LINGER 0: an RST
            });
            w.spawn("client", () -> {
                SocketChannel c = connect(w, port);
                c.write(ByteBuffer.wrap(new byte[] {1}));
                IOException e = assertThrows(IOException.class, () -> c.read(ByteBuffer.allocate(10)));
                seen.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                c.close();
                assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
                assertThrows(ClosedChannelException.class, () -> c.write(ByteBuffer.allocate(1)));
                assertThrows(NotYetConnectedException.class, () -> w.client().openSocketChannel().read(ByteBuffer.allocate(1)));
            });
            w.runAll();
        }
        assertEquals(List.of("SocketException: Connection reset"), seen);
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void aCloseByAnotherThreadEndsABlockedReadAndAnInterruptClosesTheChannel(String kind) throws Exception {
        List<String> seen = new ArrayList<>();
        try (NioWorld w = NioWorld.of(kind); ServerSocketChannel ss = listen(w)) {
            int port = port(ss);
            w.spawn("server", () -> {
                List<SocketChannel> held = new ArrayList<>();
                for (int i = 0; i < 2; i++) held.add(ss.accept());
                w.sleep(500);
                for (SocketChannel c : held) c.close();
            });
            w.spawn("client", () -> {
                SocketChannel a = connect(w, port);
                SocketChannel b = connect(w, port);
                Thread reader = Thread.currentThread();
                w.spawn("closer", () -> {
                    w.sleep(100);
                    a.close();
                    w.sleep(100);
                    reader.interrupt();
                });
                IOException e = assertThrows(IOException.class, () -> a.read(ByteBuffer.allocate(1)));
                seen.add(e.getClass().getSimpleName());
                IOException e2 = assertThrows(IOException.class, () -> b.read(ByteBuffer.allocate(1)));
                seen.add(e2.getClass().getSimpleName() + ", open " + b.isOpen() + ", interrupted " + Thread.interrupted());
            });
            w.runAll();
        }
        assertEquals(List.of(AsynchronousCloseException.class.getSimpleName(),
                ClosedByInterruptException.class.getSimpleName() + ", open false, interrupted true"), seen);
    }
}
