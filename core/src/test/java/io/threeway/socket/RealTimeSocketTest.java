package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Stack;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same socket code on real threads in real time: two stacks over an in-memory wire with a {@link RealTimeRuntime}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealTimeSocketTest {

    @Test
    void echoInRealTime() throws Exception {
        RealTimeRuntime runtime = new RealTimeRuntime();
        Stack client = new Stack("client", 1);
        Stack server = new Stack("server", 2);
        byte[] data = new byte[300_000];
        new SplittableRandom(3).nextBytes(data);
        try (LoopbackDriver _ = new LoopbackDriver(runtime, client, "10.0.0.1", server, "10.0.0.2", 24);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ThreewaySockets clientSockets = ThreewaySockets.on(client, runtime);
            ThreewaySockets serverSockets = ThreewaySockets.on(server, runtime);
            ServerSocket ss = serverSockets.serverSocket(7);
            Future<?> echo = threads.submit(() -> {
                try (ss; Socket s = ss.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
                return null;
            });
            byte[] echoed;
            try (Socket s = clientSockets.socketFactory().createSocket("10.0.0.2", 7)) {
                Future<?> writer = threads.submit(() -> {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    return null;
                });
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                s.getInputStream().transferTo(got);
                writer.get(30, TimeUnit.SECONDS);
                echoed = got.toByteArray();
            }
            echo.get(30, TimeUnit.SECONDS);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertArrayEquals(sha.digest(data), MessageDigest.getInstance("SHA-256").digest(echoed));
            assertEquals(0, client.internalErrors() + server.internalErrors());
        }
    }

    @Test
    void refusedAndTimedOutInRealTime() throws Exception {
        RealTimeRuntime runtime = new RealTimeRuntime();
        Stack client = new Stack("client", 4);
        Stack server = new Stack("server", 5);
        try (LoopbackDriver _ = new LoopbackDriver(runtime, client, "10.0.0.1", server, "10.0.0.2", 24)) {
            ThreewaySockets sockets = ThreewaySockets.on(client, runtime);
            ThreewaySockets.on(server, runtime);
            ConnectException refused = assertThrows(ConnectException.class,
                    () -> sockets.socketFactory().createSocket("10.0.0.2", 9));
            assertEquals("Connection refused", refused.getMessage());

            ServerSocket ss = ThreewaySockets.on(server, runtime).serverSocket(80);
            try (ss; Socket s = sockets.socketFactory().createSocket("10.0.0.2", 80)) {
                s.setSoTimeout(200);
                long start = System.nanoTime();
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
                assertEquals("Read timed out", e.getMessage());
                assertTrue(System.nanoTime() - start >= 200_000_000L);
            }
        }
    }
}
