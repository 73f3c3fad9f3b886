package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Threeway's NIO in real time over TUN, both ways against the kernel (issue 14): a selector client on the stack
 * against Python's asyncio echo server (an epoll event loop) in the namespace, over IPv4 and IPv6, with partial
 * writes and a refused connect reported by {@code finishConnect}; and kernel clients (Python's sockets, several
 * at once, each half-closing) against a selector echo server on the stack.
 */
@Timeout(180)
class NioOverTunTest {

    static final String ASYNCIO_ECHO = String.join("\n",
            "import asyncio",
            "async def echo(r, w):",
            "    while True:",
            "        d = await r.read(65536)",
            "        if not d: break",
            "        w.write(d)",
            "        await w.drain()",
            "    w.close()",
            "async def main():",
            "    s = await asyncio.start_server(echo, None, 7008)", // None: every address of both families
            "    async with s: await s.serve_forever()",
            "asyncio.run(main())");

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @ParameterizedTest(name = "a selector client on the stack against asyncio over {0}")
    @ValueSource(strings = {NetNs.KERNEL_V4, NetNs.KERNEL_V6})
    void aSelectorClientOnTheStackAgainstAsyncioInTheKernel(String kernel) throws Exception {
        try (TunLab lab = TunLab.start()) {
            lab.ns.start("python3", "-c", ASYNCIO_ECHO);
            StackClientTest.waitForListener(lab.ns, 7008);
            SelectorProvider nio = lab.host.sockets().selectorProvider();
            byte[] data = random(256 * 1024, 7);
            int[] partial = new int[1];
            byte[] back = echoThroughSelector(nio, new InetSocketAddress(InetAddress.ofLiteral(kernel), 7008), data, partial);
            assertEquals(sha256(data), sha256(back), "256 KiB echoed by asyncio");
            assertTrue(partial[0] > 0, "a 256 KiB buffer into a 32 KiB send buffer is written in parts");

            try (SocketChannel refused = nio.openSocketChannel(); Selector sel = nio.openSelector()) {
                refused.configureBlocking(false);
                assertFalse(refused.connect(new InetSocketAddress(InetAddress.ofLiteral(kernel), 7999)));
                refused.register(sel, SelectionKey.OP_CONNECT);
                assertEquals(1, sel.select(10_000), "the kernel's RST makes the connect selectable");
                ConnectException e = assertThrows(ConnectException.class, refused::finishConnect);
                assertEquals("Connection refused", e.getMessage());
                assertFalse(refused.isOpen(), "a failed finishConnect closes the channel, as the JDK's does");
            }
        }
    }

    /** Connects without blocking, writes {@code data} as the selector allows and reads the echo to the end. */
    static byte[] echoThroughSelector(SelectorProvider nio, InetSocketAddress to, byte[] data, int[] partial)
            throws IOException {
        try (Selector sel = nio.openSelector(); SocketChannel c = nio.openSocketChannel()) {
            c.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
            c.configureBlocking(false);
            SelectionKey key = c.register(sel, c.connect(to) ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            ByteBuffer out = ByteBuffer.wrap(data);
            ByteBuffer in = ByteBuffer.allocate(data.length);
            while (in.hasRemaining()) {
                assertTrue(sel.select(10_000) > 0, "nothing happened for 10 s with " + in.position() + " bytes back");
                sel.selectedKeys().clear();
                if (key.isConnectable() && c.finishConnect()) key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                if (key.isValid() && key.isWritable() && out.hasRemaining()) {
                    int want = out.remaining();
                    if (c.write(out) < want) partial[0]++;
                    if (!out.hasRemaining()) {
                        c.shutdownOutput(); // asyncio sees its end of stream after the last byte
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isValid() && key.isReadable() && c.read(in) < 0) break;
            }
            assertEquals(-1, readAfterTheEcho(c, sel), "asyncio closes after the client's FIN");
            return in.array();
        }
    }

    private static int readAfterTheEcho(SocketChannel c, Selector sel) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            int n = c.read(one);
            if (n != 0) return n;
            assertTrue(sel.select(10_000) > 0, "no end of stream within 10 s");
            sel.selectedKeys().clear();
        }
    }

    static final String KERNEL_CLIENTS = String.join("\n",
            "import hashlib, random, socket, sys, threading",
            "host, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
            "out = [None] * n",
            "def client(i):",
            "    data = random.Random(i).randbytes(size)",
            "    s = socket.create_connection((host, 7009), timeout=30)",
            "    def send():",
            "        s.sendall(data); s.shutdown(socket.SHUT_WR)",
            "    t = threading.Thread(target=send); t.start()",
            "    got = bytearray()",
            "    while True:",
            "        d = s.recv(65536)",
            "        if not d: break",
            "        got += d",
            "    t.join(); s.close()",
            "    out[i] = 'ok' if bytes(got) == data else 'mismatch %d of %d' % (len(got), size)",
            "ts = [threading.Thread(target=client, args=(i,)) for i in range(n)]",
            "[t.start() for t in ts]; [t.join() for t in ts]",
            "print(' '.join(out))");

    @Test
    void kernelClientsAgainstASelectorEchoServerOnTheStack() throws Exception {
        try (TunLab lab = TunLab.start()) {
            SelectorProvider nio = lab.host.sockets().selectorProvider();
            int clients = 4;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<String> served = new ArrayList<>();
            try (ServerSocketChannel ss = nio.openServerSocketChannel()) {
                ss.bind(new InetSocketAddress(7009));
                Thread server = Thread.ofPlatform().name("nio-echo").start(() -> {
                    try {
                        selectorEchoServer(ss, clients, served);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                NetNs.Result r = lab.ns.execResult(120, "python3", "-c", KERNEL_CLIENTS, NetNs.STACK_V4,
                        Integer.toString(clients), Integer.toString(300_000));
                server.join(30_000);
                assertNull(failure.get(), () -> "the server failed: " + failure.get());
                assertEquals(0, r.status(), r.output());
                assertEquals("ok ok ok ok", r.output().strip());
                assertEquals(clients, served.size(), served::toString);
                for (String s : served) assertTrue(s.endsWith("300000 bytes, then end of stream"), s);
            }
        }
    }

    /**
     * Accepts {@code connections} on one selector and echoes each (holding what a partial write left, with
     * OP_WRITE) until its end of stream, then closes it once everything is written.
     */
    static void selectorEchoServer(ServerSocketChannel ss, int connections, List<String> served) throws IOException {
        SelectorProvider nio = ss.provider();
        try (Selector sel = nio.openSelector()) {
            ss.configureBlocking(false);
            ss.register(sel, SelectionKey.OP_ACCEPT);
            int accepted = 0;
            while (accepted < connections || served.size() < accepted) {
                assertTrue(sel.select(30_000) > 0, "the echo server saw nothing for 30 s");
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isAcceptable()) {
                        SocketChannel c = ss.accept();
                        if (c == null) continue;
                        c.configureBlocking(false);
                        c.register(sel, SelectionKey.OP_READ, new Echo(ByteBuffer.allocate(16 * 1024)));
                        accepted++;
                    } else {
                        ((Echo) key.attachment()).step(key, served);
                    }
                }
            }
        }
    }

    /** One echoed connection: its buffer, the bytes echoed, and whether its peer has finished sending. */
    static final class Echo {
        final ByteBuffer buf;
        long bytes;
        boolean eof;

        Echo(ByteBuffer buf) {
            this.buf = buf;
        }

        void step(SelectionKey key, List<String> served) throws IOException {
            SocketChannel c = (SocketChannel) key.channel();
            if (!eof && key.isReadable() && c.read(buf) < 0) eof = true;
            buf.flip();
            bytes += c.write(buf);
            buf.compact();
            boolean pending = buf.position() > 0;
            if (eof && !pending) {
                served.add(c.getRemoteAddress() + ": " + bytes + " bytes, then end of stream");
                c.close();
                return;
            }
            key.interestOps((pending ? SelectionKey.OP_WRITE : 0) | (eof || !buf.hasRemaining() ? 0 : SelectionKey.OP_READ));
        }
    }
}
