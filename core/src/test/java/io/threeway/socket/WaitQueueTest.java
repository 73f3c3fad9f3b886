package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Stack;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Wakeups by wait queue (issue 12 item 5, issue 17 item 3): with many idle connections whose readers are blocked,
 * traffic on one connection wakes only the threads blocked on that connection. Before wait queues every event
 * woke (in real time) or re-checked (in the simulator) every blocked thread: {@code IDLE} per event here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitQueueTest {
    /** Idle connections, each with a server thread blocked in read(). */
    private static final int IDLE = 1000;
    /** Request/response rounds on the one busy connection. */
    private static final int ROUNDS = 50;

    @Test
    void inTheSimulatorAnEventRechecksOnlyItsSocketsThreads() throws Exception {
        try (SimPair p = new SimPair(11)) {
            p.sim.scheduler().useVirtualThreads(true);
            long[] rechecksDuringRounds = new long[1];
            int[] served = new int[1];
            p.sim.spawn("server", () -> {
                try (ServerSocket ss = p.server.serverSocket(80, IDLE + 10)) {
                    for (int i = 0; i <= IDLE; i++) {
                        Socket s = ss.accept();
                        p.sim.spawn("conn-" + i, () -> echoUntilEof(s, served));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Socket> idle = new ArrayList<>();
            p.sim.spawn("client", () -> {
                try {
                    for (int i = 0; i < IDLE; i++) idle.add(p.client.socketFactory().createSocket(SimPair.SERVER_IP, 80));
                    try (Socket busy = p.client.socketFactory().createSocket(SimPair.SERVER_IP, 80)) {
                        p.sim.scheduler().sleep(1_000_000_000L); // every idle server thread is blocked in read() by now
                        long before = p.sim.scheduler().rechecks();
                        for (int r = 0; r < ROUNDS; r++) roundTrip(busy, r);
                        rechecksDuringRounds[0] = p.sim.scheduler().rechecks() - before;
                    }
                    for (Socket s : idle) s.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            p.runToCompletion();
            assertEquals(ROUNDS, served[0]);
            // Each round: the client's read and the server's read each wake once or twice (data, ACK). With one
            // shared wakeup it was at least IDLE re-checks per segment.
            assertTrue(rechecksDuringRounds[0] <= 6L * ROUNDS,
                    "re-checks during " + ROUNDS + " rounds with " + IDLE + " idle readers: " + rechecksDuringRounds[0]);
            assertTrue(rechecksDuringRounds[0] >= 2L * ROUNDS, "each round wakes both readers: " + rechecksDuringRounds[0]);
        }
    }

    @Test
    void inRealTimeAnEventWakesOnlyItsSocketsThreads() throws Exception {
        RealTimeRuntime runtime = new RealTimeRuntime();
        Stack client = new Stack("client", 1);
        Stack server = new Stack("server", 2);
        int[] served = new int[1];
        try (LoopbackDriver _ = new LoopbackDriver(runtime, client, "198.18.0.1", server, "198.18.0.2", 15);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ThreewaySockets clientSockets = ThreewaySockets.on(client, runtime);
            ServerSocket ss = ThreewaySockets.on(server, runtime).serverSocket(80, IDLE + 10);
            AtomicInteger blocked = new AtomicInteger();
            Future<?> acceptor = threads.submit(() -> {
                for (int i = 0; i <= IDLE; i++) {
                    Socket s = ss.accept();
                    threads.submit(() -> {
                        blocked.incrementAndGet();
                        echoUntilEof(s, served);
                        return null;
                    });
                }
                return null;
            });
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < IDLE; i++) idle.add(clientSockets.socketFactory().createSocket("198.18.0.2", 80));
            try (Socket busy = clientSockets.socketFactory().createSocket("198.18.0.2", 80)) {
                acceptor.get(60, TimeUnit.SECONDS);
                while (blocked.get() <= IDLE) Thread.sleep(10);
                Thread.sleep(200); // let every idle reader reach its wait
                long before = runtime.wakeups();
                for (int r = 0; r < ROUNDS; r++) roundTrip(busy, r);
                long wakeups = runtime.wakeups() - before;
                assertTrue(wakeups <= 6L * ROUNDS,
                        "application threads woken during " + ROUNDS + " rounds with " + IDLE + " idle readers: " + wakeups);
                assertTrue(wakeups >= 2L * ROUNDS, "each round wakes both readers: " + wakeups);
            }
            for (Socket s : idle) s.close();
            ss.close();
        }
        assertEquals(ROUNDS, served[0]);
    }

    /** Writes a 100-byte request numbered {@code r} and reads the 100-byte echo. */
    private static void roundTrip(Socket s, int r) throws Exception {
        byte[] req = new byte[100];
        req[0] = (byte) r;
        s.getOutputStream().write(req);
        byte[] got = s.getInputStream().readNBytes(100);
        assertEquals((byte) r, got[0]);
    }

    /** Echoes 100-byte messages until the peer closes, counting those echoed. */
    private static void echoUntilEof(Socket s, int[] served) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] b;
            while ((b = in.readNBytes(100)).length == 100) {
                out.write(b);
                synchronized (served) {
                    served[0]++;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
