package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the real-time network delivers: packets over a link with no delay go at once (delivered by the sending
 * thread), delayed ones when due with sub-millisecond deadlines, and a packet due now never overtakes one of the
 * same direction still in flight. Times here are only lower bounds (a delay is never shortened); how fast it goes
 * is the benchmarks' business ({@code threeway bench rpc|throughput|conn-rate}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealTimeDeliveryTest {

    /** An echo server on {@code host}'s port 7, one connection. */
    private static Future<?> echo(ExecutorService threads, ServerSocket ss) {
        return threads.submit(() -> {
            try (ss; Socket s = ss.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
            }
            return null;
        });
    }

    @Test
    void requestsAndAnswersOverAPerfectLink() throws Exception {
        try (Network net = Network.realTime(11); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Host client = net.host("client");
            Host server = net.host("server");
            Future<?> done = echo(threads, server.listen(7));
            try (Socket s = client.connect("server", 7)) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int i = 0; i < 2_000; i++) {
                    out.write(i & 0xff);
                    assertEquals(i & 0xff, in.read(), "answer " + i);
                }
            }
            done.get(30, TimeUnit.SECONDS);
            assertEquals(0, client.counter("TcpRetransSegs"), "nothing was lost or late enough to retransmit");
        }
    }

    @Test
    void subMillisecondDelaysAreKept() throws Exception {
        try (Network net = Network.realTime(12); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofNanos(600_000));
            Future<?> done = echo(threads, server.listen(7));
            try (Socket s = client.connect("server", 7)) {
                s.setTcpNoDelay(true);
                long start = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    s.getOutputStream().write(i);
                    assertEquals(i, s.getInputStream().read());
                }
                long took = System.nanoTime() - start;
                assertTrue(took >= 50 * 600_000L, "50 round trips of 0.6 ms took " + took / 1e6 + " ms");
            }
            done.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void changingTheLinkMidFlightKeepsTheOrder() throws Exception {
        try (Network net = Network.realTime(13); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Host client = net.host("client");
            Host server = net.host("server");
            Link link = net.link(client, server).rtt(Duration.ofMillis(30));
            ServerSocket ss = server.listen(9);
            Future<byte[]> received = threads.submit(() -> {
                try (ss; Socket s = ss.accept()) {
                    return s.getInputStream().readAllBytes();
                }
            });
            byte[] data = new byte[300_000];
            new Random(13).nextBytes(data);
            try (Socket s = client.connect("server", 9)) {
                Future<?> writer = threads.submit(() -> {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    return null;
                });
                Thread.sleep(20); // data in flight on the 30 ms link...
                link.rtt(Duration.ZERO); // ... when the link stops delaying: later packets are due at once
                writer.get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, received.get(30, TimeUnit.SECONDS));
            }
            assertEquals(0, server.counter("TcpExtTCPOFOQueue"), "no segment arrived ahead of one sent before it");
        }
    }
}
