package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Simulator;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classic stall (RFC 896 meets RFC 1122's delayed ACK): a client that sends each request in two small
 * writes waits, every round, for the server's delayed ACK before Nagle lets the second write go. The server,
 * answering promptly, is in Linux's pingpong mode and holds its ACK for the 40 ms delayed-ACK timeout.
 * TCP_NODELAY removes the stall.
 */
class NagleDelayedAckTest {
    static final int ROUNDS = 20;

    /** Milliseconds per request/response round, as the client measured them. */
    static List<Double> rounds(boolean noDelay) {
        try (Network net = new Network(5)) {
            Simulator sim = net.sim();
            Stack cs = net.host("client");
            Stack ss = net.host("server");
            net.link(cs, "198.18.0.1", ss, "198.18.0.2", LinkConfig.builder().delay(Duration.ofNanos(500_000)).build());
            ThreewaySockets client = ThreewaySockets.on(cs, sim.scheduler());
            ThreewaySockets server = ThreewaySockets.on(ss, sim.scheduler());
            List<Double> times = new ArrayList<>();
            sim.spawn("server", () -> {
                try (ServerSocket l = server.serverSocket(80); Socket s = l.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] req = new byte[200];
                    for (int i = 0; i < ROUNDS; i++) {
                        in.readFully(req);             // header and body
                        out.write(new byte[100]);      // the response, at once
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            sim.spawn("client", () -> {
                try (Socket s = client.socket()) {
                    s.setTcpNoDelay(noDelay);
                    s.connect(new InetSocketAddress(io.threeway.wire.IpAddress.parse("198.18.0.2").toInetAddress(), 80));
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] resp = new byte[100];
                    for (int i = 0; i < ROUNDS; i++) {
                        long start = sim.now();
                        out.write(new byte[100]);      // the header...
                        out.write(new byte[100]);      // ...and the body, a second small write
                        in.readFully(resp);
                        times.add((sim.now() - start) / 1e6);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            sim.runUntil(() -> sim.scheduler().liveThreads() == 0, 100_000_000_000L);
            assertEquals(ROUNDS, times.size());
            return times;
        }
    }

    private static double meanAfterFirst(List<Double> t) {
        return t.subList(1, t.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void nagleAndDelayedAckStallEachRoundByAbout40ms() {
        List<Double> t = rounds(false);
        double mean = meanAfterFirst(t);
        // Each round: the header goes, the body waits for its ACK, the ACK waits 40 ms, then one more RTT (1 ms).
        assertEquals(42.0, mean, 2.0, "ms per round with Nagle: " + t);
    }

    @Test
    void tcpNoDelayRemovesTheStall() {
        List<Double> t = rounds(true);
        double mean = meanAfterFirst(t);
        assertEquals(1.0, mean, 0.2, "ms per round with TCP_NODELAY: " + t);
    }
}
