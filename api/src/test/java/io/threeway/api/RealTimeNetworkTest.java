package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real time without TUN or root: two stacks in this JVM over an in-memory link on the wall clock, ordinary threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealTimeNetworkTest {

    @Test
    void ordinaryThreadsTalkOverALinkWithARealRoundTripTime() throws Exception {
        try (Network net = Network.realTime(1);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            assertFalse(net.isSimulated());
            Host client = net.host("client");
            Host server = net.host("api.test");
            net.link(client, server).rtt(Duration.ofMillis(40));
            ServerSocket ss = server.listen(80);
            Future<?> echo = threads.submit(() -> {
                try (ss; Socket s = ss.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
                return null;
            });
            byte[] data = new byte[200_000];
            new java.util.Random(5).nextBytes(data);
            long start = System.nanoTime();
            try (Socket s = client.connect("api.test", 80)) {
                long connected = System.nanoTime() - start;
                assertTrue(connected >= 40_000_000L, "connected after " + connected / 1e6 + " ms, less than one RTT");
                Future<?> writer = threads.submit(() -> {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    return null;
                });
                InputStream in = s.getInputStream();
                assertArrayEquals(data, in.readAllBytes());
                writer.get(30, TimeUnit.SECONDS);
            }
            echo.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void faultsWorkInRealTimeToo() throws Exception {
        try (Network net = Network.realTime(2)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(10)).add(Faults.dropSyns());
            long start = System.nanoTime();
            java.net.SocketTimeoutException e = assertThrows(java.net.SocketTimeoutException.class,
                    () -> client.connect("server", 80, Duration.ofMillis(300)));
            assertEquals("Connect timed out", e.getMessage());
            assertTrue(System.nanoTime() - start >= 300_000_000L);
        }
    }

    @Test
    void spawnedThreadsAreOrdinaryThreadsAndTheirFailuresSurface() {
        try (Network net = Network.realTime(3)) {
            Host server = net.host("server");
            Host client = net.host("client");
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(7); Socket s = ss.accept()) {
                    s.getOutputStream().write(42);
                }
            });
            net.spawn("client", () -> {
                net.sleep(Duration.ofMillis(50));
                try (Socket s = client.connect("server", 7)) {
                    assertEquals(43, s.getInputStream().read());
                }
            });
            AssertionError e = assertThrows(AssertionError.class, () -> net.runUntilThreadsFinish(Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("expected: <43> but was: <42>"), e.getMessage());
        }
    }
}
