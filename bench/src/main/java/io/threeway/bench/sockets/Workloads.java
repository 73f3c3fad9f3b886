package io.threeway.bench.sockets;

import io.threeway.bench.BenchSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The socket workloads, written once against {@code java.net} and run on a {@link SocketSide}: the same calls,
 * the same threads, on Threeway's sockets and on the kernel's. Application threads are platform threads.
 */
public final class Workloads {
    private Workloads() {}

    /** Bytes per write and per read in the throughput workload. */
    static final int CHUNK = 64 * 1024;
    /** Bytes of each request and each response in the rpc workload (netperf TCP_RR's default is 1). */
    static final int RPC_BYTES = 64;
    private static final int TIMEOUT_MS = 10_000;
    /** How long a measurement goes on past its window while nothing has completed. */
    private static final long PATIENCE_NANOS = 10_000_000_000L;
    /** The fewest connections a connection rate is computed from (the window is extended until they complete). */
    static final long MIN_CONNECTIONS = 20;

    /** Result of the request-response workload. */
    public record RpcFigures(double rate, double p50Micros, double p99Micros, long exchanges) {}

    /** A thread that records the first failure of a workload instead of dying silently. */
    private static Thread start(SocketSide side, String name, AtomicReference<Throwable> failure, IoBody body) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                side.enterThread();
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
    }

    @FunctionalInterface
    private interface IoBody {
        void run() throws IOException;
    }

    /**
     * Connections per second: {@code clients} threads loop connect, read until the server's FIN, close; one
     * acceptor thread accepts and closes at once (the server closes first, so TIME-WAIT is on its side).
     */
    public static double connectionRate(SocketSide side, int clients, BenchSettings s) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder completed = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        ServerSocket server = side.listen(4096);
        InetSocketAddress address = side.address(server);
        try {
            threads.add(start(side, "bench-accept", failure, () -> {
                while (!stop.get()) {
                    try {
                        server.accept().close(); // closed at once: the client sees EOF
                    } catch (IOException e) {
                        if (!stop.get()) throw e;
                    }
                }
            }));
            for (int i = 0; i < clients; i++) {
                threads.add(start(side, "bench-client-" + i, failure, () -> {
                    while (!stop.get()) {
                        try (Socket c = side.socket()) {
                            c.setSoTimeout(TIMEOUT_MS);
                            c.connect(address, TIMEOUT_MS);
                            InputStream in = c.getInputStream();
                            while (in.read() >= 0) {
                                // the server sends nothing; wait for its FIN
                            }
                            completed.increment();
                        } catch (IOException e) {
                            if (!stop.get()) throw e;
                        }
                    }
                }));
            }
            return measure(s, completed::sum, failure, MIN_CONNECTIONS);
        } finally {
            stop.set(true);
            server.close();
            join(threads);
        }
    }

    /** Bytes per second over one connection: a writer thread writing 64 KiB at a time, a reader discarding. */
    public static double throughput(SocketSide side, BenchSettings s) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong received = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try (ServerSocket server = side.listen(1)) {
            InetSocketAddress address = side.address(server);
            Socket[] ends = connectPair(side, server, address);
            try (Socket client = ends[0]; Socket accepted = ends[1]) {
                threads.add(start(side, "bench-reader", failure, () -> {
                    byte[] buf = new byte[CHUNK];
                    InputStream in = accepted.getInputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) received.addAndGet(n);
                }));
                threads.add(start(side, "bench-writer", failure, () -> {
                    byte[] buf = new byte[CHUNK];
                    OutputStream out = client.getOutputStream();
                    try {
                        while (!stop.get()) out.write(buf);
                        client.shutdownOutput();
                    } catch (IOException e) {
                        if (!stop.get()) throw e;
                    }
                }));
                return measure(s, received::get, failure);
            } finally {
                stop.set(true);
                join(threads);
            }
        } finally {
            stop.set(true);
        }
    }

    /**
     * Request-response exchanges on one connection with TCP_NODELAY: the client writes {@value #RPC_BYTES}
     * bytes and waits for {@value #RPC_BYTES} back; the server thread echoes. Each exchange is timed.
     */
    public static RpcFigures rpc(SocketSide side, BenchSettings s) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try (ServerSocket server = side.listen(1)) {
            Socket[] ends = connectPair(side, server, side.address(server));
            try (Socket client = ends[0]; Socket accepted = ends[1]) {
                client.setTcpNoDelay(true);
                accepted.setTcpNoDelay(true);
                threads.add(start(side, "bench-rpc-server", failure, () -> {
                    byte[] buf = new byte[RPC_BYTES];
                    InputStream in = accepted.getInputStream();
                    OutputStream out = accepted.getOutputStream();
                    while (in.readNBytes(buf, 0, RPC_BYTES) == RPC_BYTES) out.write(buf);
                }));
                return rpcClient(client, s);
            } finally {
                join(threads);
            }
        }
    }

    private static RpcFigures rpcClient(Socket client, BenchSettings s) throws IOException {
        byte[] req = new byte[RPC_BYTES];
        byte[] resp = new byte[RPC_BYTES];
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        long warmEnd = System.nanoTime() + s.warmup().toNanos();
        long end = warmEnd + s.measure().toNanos();
        long[] lat = new long[1 << 16];
        int n = 0;
        long t;
        long measuredFrom = -1;
        while ((t = System.nanoTime()) < end || (n == 0 && t < end + PATIENCE_NANOS)) {
            if (measuredFrom < 0 && t >= warmEnd) measuredFrom = t;
            out.write(req);
            if (in.readNBytes(resp, 0, RPC_BYTES) != RPC_BYTES) throw new IOException("the server closed");
            long done = System.nanoTime();
            if (t >= warmEnd) {
                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                lat[n++] = done - t;
            }
        }
        client.shutdownOutput();
        if (n == 0) throw new IOException("no request-response exchange completed");
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        return new RpcFigures(n * 1e9 / (t - measuredFrom), percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, n);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A connected client socket and the server's accepted end. */
    private static Socket[] connectPair(SocketSide side, ServerSocket server, InetSocketAddress address) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Socket[] client = new Socket[1];
        Thread t = start(side, "bench-connect", failure, () -> {
            Socket c = side.socket();
            c.connect(address, TIMEOUT_MS);
            client[0] = c;
        });
        server.setSoTimeout(TIMEOUT_MS);
        Socket accepted = server.accept();
        t.join();
        if (failure.get() != null) throw new IOException("connect failed: " + failure.get(), failure.get());
        return new Socket[] {client[0], accepted};
    }

    /** Sleeps through the warm-up, then returns the counter's growth per second over the measured time. */
    static double measure(BenchSettings s, LongSupplier counter, AtomicReference<Throwable> failure)
            throws Exception {
        return measure(s, counter, failure, 1);
    }

    /**
     * The counter's rate over the measured window, the window extended (up to {@link #PATIENCE_NANOS}) until at
     * least {@code minimum} more were counted: a rate from one or two events of a starved window says nothing.
     */
    static double measure(BenchSettings s, LongSupplier counter, AtomicReference<Throwable> failure,
                                  long minimum) throws Exception {
        Thread.sleep(s.warmup());
        long c0 = counter.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(s.measure());
        long c1 = counter.getAsLong();
        // On a starved machine a short window may see (almost) nothing complete: measure on until enough does.
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        while (c1 - c0 < minimum && failure.get() == null && System.nanoTime() < giveUp) {
            Thread.sleep(50);
            c1 = counter.getAsLong();
        }
        long t1 = System.nanoTime();
        Throwable f = failure.get();
        if (f != null) throw new IOException("workload failed: " + f, f);
        if (c1 <= c0) throw new IOException("nothing completed in " + (t1 - t0) / 1_000_000 + " ms");
        return (c1 - c0) * 1e9 / (t1 - t0);
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) t.join(10_000);
    }
}
