package io.threeway.bench.sockets;

import io.threeway.bench.BenchSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The NIO workloads, written once against {@code java.nio.channels} and run on a {@link NioSide}: one selector
 * thread for the server and one for the client, non-blocking channels, the same calls on Threeway's provider and
 * on the kernel's. This is the shape of Netty's and the JDK HttpClient's I/O loops.
 */
public final class NioWorkloads {
    private NioWorkloads() {}

    /** Bytes per write, and the size of each connection's echo buffer. */
    static final int CHUNK = 64 * 1024;
    /** How many bytes the echo client keeps in flight (sent, not yet echoed back). */
    static final int IN_FLIGHT = 256 * 1024;
    /** How long a select waits before the loop looks at the stop flag. */
    private static final long SELECT_MILLIS = 100;

    /**
     * Bytes echoed back per second over one connection: the client writes 64 KiB chunks while less than
     * {@value #IN_FLIGHT} bytes are out and reads the echo; the server's selector echoes whatever arrives,
     * waiting for OP_WRITE when a write is partial.
     */
    public static double echoThroughput(NioSide side, BenchSettings s) throws Exception {
        LongAdder echoed = new LongAdder();
        return run(side, s, echoed, 1, true, (sel, server, stop) -> echoClient(side, sel, server, echoed, stop));
    }

    /**
     * Connections per second: the client keeps {@code concurrent} non-blocking connects going on its selector,
     * each read until the server's FIN and closed, then replaced; the server's selector accepts every pending
     * connection and closes it at once (the server closes first, so TIME-WAIT is on its side).
     */
    public static double connectionRate(NioSide side, int concurrent, BenchSettings s) throws Exception {
        LongAdder completed = new LongAdder();
        return run(side, s, completed, Workloads.MIN_CONNECTIONS, false,
                (sel, server, stop) -> connectClient(side, sel, server, concurrent, completed, stop));
    }

    /** What the client thread does on its selector until {@code stop}. */
    @FunctionalInterface
    private interface ClientLoop {
        void run(Selector sel, InetSocketAddress server, AtomicBoolean stop) throws IOException;
    }

    /**
     * Starts the server thread (echoing, or accepting and closing at once) and the client
     * thread, measures {@code counter} (over at least {@code minimum} counts, see {@link Workloads#measure}), then
     * stops both.
     */
    private static double run(NioSide side, BenchSettings s, LongAdder counter, long minimum, boolean echo,
                              ClientLoop client)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        List<Thread> threads = new ArrayList<>();
        try {
            threads.add(start(side, "bench-nio-server", failure, bound, () -> server(side, echo, bound, stop)));
            threads.add(start(side, "bench-nio-client", failure, bound, () -> {
                InetSocketAddress address = bound.get(10, TimeUnit.SECONDS);
                try (Selector sel = side.client().openSelector()) {
                    client.run(sel, address, stop);
                    if (!stop.get()) throw new IOException("the client's loop ended early");
                } catch (IOException e) {
                    if (!stop.get()) throw e;
                }
            }));
            return Workloads.measure(s, counter::sum, failure, minimum);
        } finally {
            stop.set(true);
            for (Thread t : threads) t.join(10_000);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(NioSide side, String name, AtomicReference<Throwable> failure,
                                CompletableFuture<InetSocketAddress> bound, Body body) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                side.enterThread();
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                bound.completeExceptionally(e);
            }
        });
    }

    /** The server's selector loop: accepts, and echoes or closes each connection, until {@code stop}. */
    private static void server(NioSide side, boolean echo, CompletableFuture<InetSocketAddress> bound, AtomicBoolean stop)
            throws IOException {
        try (ServerSocketChannel ss = side.server().openServerSocketChannel(); Selector sel = side.server().openSelector()) {
            ss.bind(side.serverBindAddress(), 4096);
            ss.configureBlocking(false);
            ss.register(sel, SelectionKey.OP_ACCEPT);
            bound.complete((InetSocketAddress) ss.getLocalAddress());
            while (!stop.get()) {
                sel.select(SELECT_MILLIS);
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) accept(ss, sel, echo);
                    else echo(key);
                }
            }
            for (SelectionKey k : sel.keys()) k.channel().close();
        }
    }

    /** Accepts every pending connection: registered for reading with a buffer to echo, or closed at once. */
    private static void accept(ServerSocketChannel ss, Selector sel, boolean echo) throws IOException {
        SocketChannel c;
        while ((c = ss.accept()) != null) {
            if (!echo) {
                c.close(); // the client reads its end of stream
                continue;
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(sel, SelectionKey.OP_READ, ByteBuffer.allocateDirect(CHUNK));
        }
    }

    /** One echo step: reads what fits, writes what it holds, and waits for OP_WRITE while any is left. */
    private static void echo(SelectionKey key) throws IOException {
        SocketChannel c = (SocketChannel) key.channel();
        ByteBuffer buf = (ByteBuffer) key.attachment();
        if (key.isReadable() && c.read(buf) < 0) {
            c.close();
            return;
        }
        buf.flip();
        c.write(buf);
        key.interestOps(buf.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        buf.compact();
    }

    /** The echo client: one connection, writes while fewer than {@value #IN_FLIGHT} bytes are out, counts echoes. */
    private static void echoClient(NioSide side, Selector sel, InetSocketAddress server, LongAdder echoed,
                                   AtomicBoolean stop) throws IOException {
        try (SocketChannel c = side.client().openSocketChannel()) {
            c.connect(server); // blocking: the loop below is about the data
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = c.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
            ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
            long sent = 0;
            long received = 0;
            while (!stop.get()) {
                if (sel.select(SELECT_MILLIS) == 0) continue; // the key's ready set is as the last select left it
                sel.selectedKeys().clear();
                if (key.isReadable()) {
                    in.clear();
                    int n = c.read(in);
                    if (n < 0) throw new IOException("the echo server closed the connection");
                    received += n;
                    echoed.add(n);
                }
                if (sent - received < IN_FLIGHT) {
                    if (!out.hasRemaining()) out.clear();
                    sent += c.write(out);
                }
                key.interestOps(SelectionKey.OP_READ | (sent - received < IN_FLIGHT ? SelectionKey.OP_WRITE : 0));
            }
        }
    }

    /** The connecting client: {@code concurrent} connections at a time, each read to its end and replaced. */
    private static void connectClient(NioSide side, Selector sel, InetSocketAddress server, int concurrent,
                                      LongAdder completed, AtomicBoolean stop) throws IOException {
        for (int i = 0; i < concurrent; i++) connect(side, sel, server);
        ByteBuffer sink = ByteBuffer.allocate(16);
        while (!stop.get()) {
            sel.select(SELECT_MILLIS);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                SocketChannel c = (SocketChannel) key.channel();
                if (key.isConnectable()) {
                    c.finishConnect(); // a refused connect throws: the workload fails
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    sink.clear();
                    if (c.read(sink) < 0) {
                        c.close();
                        completed.increment();
                        connect(side, sel, server);
                    }
                }
            }
        }
        for (SelectionKey k : sel.keys()) k.channel().close();
    }

    private static void connect(NioSide side, Selector sel, InetSocketAddress server) throws IOException {
        SocketChannel c = side.client().openSocketChannel();
        c.configureBlocking(false);
        if (c.connect(server)) c.register(sel, SelectionKey.OP_READ);
        else c.register(sel, SelectionKey.OP_CONNECT);
    }
}
