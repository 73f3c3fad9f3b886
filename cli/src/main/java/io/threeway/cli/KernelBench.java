package io.threeway.cli;

import io.threeway.lab.bench.BenchOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The Linux kernel's side of {@code threeway bench}: the workloads over 127.0.0.1 with java.net sockets.
 * Nothing leaves the loopback interface.
 */
public final class KernelBench {
    private KernelBench() {}

    private static final int CHUNK = 64 * 1024;

    /**
     * Connections per second over loopback. Client threads loop: connect, read until the server's FIN, close.
     * One acceptor thread accepts and closes at once. The server closes first, so TIME-WAIT lands on the
     * server's side and the clients' ephemeral ports are free again as soon as their close is acknowledged.
     */
    public static double connectionsPerSecond(BenchOptions options) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder completed = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<IOException> lastError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();

            threads.add(Thread.ofPlatform().daemon().name("bench-accept").start(() -> {
                while (!stop.get()) {
                    try {
                        server.accept().close(); // closed at once: the client sees EOF
                    } catch (IOException e) {
                        if (!stop.get() && !server.isClosed()) lastError.set(e);
                    }
                }
            }));
            for (int i = 0; i < options.threads(); i++) {
                threads.add(Thread.ofPlatform().daemon().name("bench-client-" + i).start(() -> {
                    while (!stop.get()) {
                        try (Socket c = new Socket()) {
                            c.setSoTimeout(5_000);
                            c.connect(address, 5_000);
                            InputStream in = c.getInputStream();
                            while (in.read() >= 0) {
                                // the server sends nothing; wait for its FIN
                            }
                            completed.increment();
                        } catch (IOException e) {
                            if (!stop.get()) {
                                failed.increment();
                                lastError.set(e);
                            }
                        }
                    }
                }));
            }
            double rate = measure(options, completed::sum);
            stop.set(true);
            server.close();
            join(threads);
            if (rate <= 0) {
                IOException e = lastError.get();
                throw new IOException("no connection completed over 127.0.0.1"
                        + (e == null ? "" : ": " + e.getMessage()));
            }
            return rate;
        } finally {
            stop.set(true);
            server.close();
        }
    }

    /** Bytes per second over one loopback connection: 64 KiB writes, a reader thread discarding. */
    public static double bytesPerSecond(BenchOptions options) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong received = new AtomicLong();
        AtomicReference<IOException> lastError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            try (Socket client = new Socket()) {
                client.connect(server.getLocalSocketAddress(), 5_000);
                try (Socket accepted = server.accept()) {
                    threads.add(Thread.ofPlatform().daemon().name("bench-reader").start(() -> {
                        byte[] buf = new byte[CHUNK];
                        try (InputStream in = accepted.getInputStream()) {
                            int n;
                            while ((n = in.read(buf)) >= 0) received.addAndGet(n);
                        } catch (IOException e) {
                            if (!stop.get()) lastError.set(e);
                        }
                    }));
                    threads.add(Thread.ofPlatform().daemon().name("bench-writer").start(() -> {
                        byte[] buf = new byte[CHUNK];
                        try {
                            OutputStream out = client.getOutputStream();
                            while (!stop.get()) out.write(buf);
                            client.shutdownOutput();
                        } catch (SocketException e) {
                            if (!stop.get()) lastError.set(e);
                        } catch (IOException e) {
                            if (!stop.get()) lastError.set(e);
                        }
                    }));
                    double rate = measure(options, received::get);
                    stop.set(true);
                    join(threads);
                    if (rate <= 0) {
                        IOException e = lastError.get();
                        throw new IOException("no data moved over 127.0.0.1" + (e == null ? "" : ": " + e.getMessage()));
                    }
                    return rate;
                }
            }
        } finally {
            stop.set(true);
        }
    }

    /** Sleeps through the warm-up, then returns the counter's growth per second over the measured time. */
    private static double measure(BenchOptions options, LongSupplier counter)
            throws InterruptedException {
        Thread.sleep(options.warmup());
        long c0 = counter.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(options.measure());
        long c1 = counter.getAsLong();
        long t1 = System.nanoTime();
        return (c1 - c0) * 1e9 / (t1 - t0);
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) t.join(10_000);
    }
}
