package io.threeway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients of {@link ServeUnderLoadTest}, run by it inside its network namespace (a child JVM, so that the
 * kernel's sockets it opens reach only the stack under test): {@code HOST PORT IDLE STALLED REQUESTS}. Opens
 * {@code STALLED} connections that ask for a gigabyte and never read, then {@code IDLE} connections that send
 * nothing, 64 at a time, then makes {@code REQUESTS} fresh requests one after the other, each on a new connection,
 * while all of those stay open. Prints one line per figure ({@code idle-connected N}, {@code answered N}, ...), then
 * {@code done}, and holds its connections until killed. The test runs two (one process may not hold 20,000 sockets).
 */
public final class LoadClients {
    private LoadClients() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int idle = Integer.parseInt(args[2]);
        int stalled = Integer.parseInt(args[3]);
        int requests = Integer.parseInt(args[4]);
        InetSocketAddress server = new InetSocketAddress(host, port);
        List<SocketChannel> open = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger stalledOpen = new AtomicInteger();
        for (int i = 0; i < stalled; i++) {
            try {
                SocketChannel c = SocketChannel.open(server);
                c.write(ByteBuffer.wrap("GET /bytes/1000000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                open.add(c);
                stalledOpen.incrementAndGet();
            } catch (IOException e) {
                // counted by what is missing from stalled-connected
            }
        }
        System.out.println("stalled-connected " + stalledOpen.get());
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            for (int i = 0; i < idle; i++) {
                pool.execute(() -> {
                    try {
                        SocketChannel c = SocketChannel.open();
                        c.socket().connect(server, 20_000);
                        open.add(c);
                        connected.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
        }
        System.out.println("idle-connected " + connected.get());
        System.out.println("idle-failed " + failed.get());
        System.out.println("idle-seconds " + (System.nanoTime() - start) / 1_000_000_000L);
        int answered = 0;
        long worstMs = 0;
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(server, 10_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (reply.startsWith("HTTP/1.1 200 OK")) answered++;
                else System.out.println("reply " + reply.lines().findFirst().orElse("(nothing)"));
            } catch (IOException e) {
                System.out.println("request-failed " + e);
            }
            worstMs = Math.max(worstMs, (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("answered " + answered);
        System.out.println("worst-ms " + worstMs);
        System.out.println("done");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // keep every connection open until the test kills us
    }
}
