package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults during a run: each shown on a connection, with what TCP and the socket API do about it. */
class FaultsTest {
    private static final int PORT = 80;

    /** A network with a client and a server 100 ms apart; the server sends {@code bytes} to each connection. */
    private static Network pair(long seed, int bytes) {
        Network net = Network.simulated(seed);
        Host client = net.host("client");
        Host server = net.host("server");
        net.link(client, server).rtt(Duration.ofMillis(100));
        server.spawn("server", () -> {
            try (ServerSocket ss = server.listen(PORT)) {
                while (true) {
                    Socket s = ss.accept();
                    net.spawn("conn", () -> {
                        try (s) {
                            s.getOutputStream().write(new byte[bytes]);
                            s.getInputStream().read(); // until the client closes
                        } catch (IOException e) {
                            // the fault under test may reset it
                        }
                    });
                }
            }
        });
        return net;
    }

    private static Host client(Network net) {
        return net.host("client");
    }

    private static Link link(Network net) {
        return net.link(net.host("client"), net.host("server"));
    }

    @Test
    void aPartitionStallsTheTransferAndHealingResumesIt() {
        try (Network net = pair(1, 200_000)) {
            Fault cut = link(net).partition();
            net.scheduledExecutor("heal").schedule(cut::remove, 5, java.util.concurrent.TimeUnit.SECONDS);
            byte[][] got = new byte[1][];
            Duration[] took = new Duration[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    got[0] = s.getInputStream().readNBytes(200_000);
                    took[0] = net.elapsed();
                }
            });
            net.run(Duration.ofMinutes(2));
            assertEquals(200_000, got[0].length);
            assertTrue(took[0].compareTo(Duration.ofSeconds(5)) > 0, "done at " + took[0]);
            assertFalse(cut.isActive());
        }
    }

    @Test
    void aBlackholeAfterSomeBytesEndsInAReadTimeout() {
        try (Network net = pair(2, 100_000)) {
            link(net).from(net.host("server")).add(Faults.blackholeAfterBytes(10_000));
            Throwable[] seen = new Throwable[1];
            int[] read = new int[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    s.setSoTimeout(3000);
                    InputStream in = s.getInputStream();
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = in.read(b)) > 0) read[0] += n;
                } catch (SocketTimeoutException e) {
                    seen[0] = e;
                }
            });
            net.run(Duration.ofMinutes(1));
            assertEquals("Read timed out", seen[0].getMessage());
            assertTrue(read[0] >= 10_000 && read[0] < 100_000, read[0] + " bytes read");
        }
    }

    @Test
    void aResetInTheMiddleOfAStream() {
        try (Network net = pair(3, 50_000)) {
            link(net).from(net.host("server")).add(Faults.resetAfterBytes(20_000));
            Throwable[] seen = new Throwable[1];
            int[] read = new int[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = s.getInputStream().read(b)) > 0) read[0] += n;
                } catch (SocketException e) {
                    seen[0] = e;
                }
            });
            net.run(Duration.ofMinutes(1));
            assertEquals("Connection reset", seen[0].getMessage());
            assertTrue(read[0] <= 20_000, read[0] + " bytes read before the reset");
            assertEquals(1, net.host("client").counter("TcpEstabResets")); // the forged RST reached the client
        }
    }

    @Test
    void droppedSynsGiveAConnectTimeoutAtTheConfiguredVirtualTime() {
        try (Network net = pair(4, 10)) {
            link(net).add(Faults.dropSyns());
            Duration[] when = new Duration[1];
            String[] message = new String[1];
            net.spawn("client", () -> {
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                        () -> client(net).connect("server", PORT, Duration.ofMillis(2500)));
                message[0] = e.getMessage();
                when[0] = net.elapsed();
            });
            net.run(Duration.ofSeconds(10));
            assertEquals("Connect timed out", message[0]);
            assertEquals(Duration.ofMillis(2500), when[0]);
            long syns = net.tcpdump().stream().filter(l -> l.contains("Flags [S],")).count();
            assertEquals(3, syns, "the SYN at 0 s and its retransmissions at 1 s and 2 s");
        }
    }

    @Test
    void aDelayedSynAckSlowsTheHandshakeByItsDelay() {
        try (Network net = pair(5, 10)) {
            link(net).add(Faults.delaySynAck(Duration.ofMillis(700)));
            Duration[] took = new Duration[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    took[0] = net.elapsed();
                }
            });
            net.run(Duration.ofSeconds(10));
            // the client's SYN is retransmitted at 1 s only if no SYN-ACK came: at 800 ms one did
            assertEquals(Duration.ofMillis(800), took[0]);
        }
    }

    @Test
    void theThirdDataSegmentFromTheServerIsLostAndRetransmitted() {
        try (Network net = pair(6, 30_000)) {
            link(net).from(net.host("server")).add(Faults.dropNth(3, Segment::hasPayload));
            int[] got = new int[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    got[0] = s.getInputStream().readNBytes(30_000).length;
                }
            });
            net.run(Duration.ofMinutes(1));
            assertEquals(30_000, got[0]);
            List<String> data = net.tcpdump().stream().filter(l -> l.contains("198.18.0.2.80 >") && !l.endsWith("length 0")).toList();
            String third = data.get(2).replaceAll("^\\S+ ", "").replaceAll("ack \\d+, ", "").replaceAll("TS val \\d+ ecr \\d+", "");
            long copies = data.stream().map(l -> l.replaceAll("^\\S+ ", "").replaceAll("ack \\d+, ", "")
                    .replaceAll("TS val \\d+ ecr \\d+", "")).filter(third::equals).count();
            assertEquals(2, copies, "the third segment, sent twice: " + third);
            assertTrue(net.host("server").counter("TcpRetransSegs") >= 1);
        }
    }

    @Test
    void aCorruptedSegmentIsDroppedByItsChecksumAndRecovered() {
        try (Network net = pair(7, 30_000)) {
            link(net).from(net.host("server")).add(Faults.corruptNth(2, Segment::hasPayload));
            int[] got = new int[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    got[0] = s.getInputStream().readNBytes(30_000).length;
                }
            });
            net.run(Duration.ofMinutes(1));
            assertEquals(30_000, got[0]);
            assertEquals(1, net.host("client").counter("TcpInCsumErrors"));
        }
    }

    @Test
    void aCrashedPeerLeavesTheConnectionHalfOpenAndItsRestartResetsIt() {
        try (Network net = pair(8, 10)) {
            Host server = net.host("server");
            String[] outcome = new String[1];
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    assertEquals(10, s.getInputStream().readNBytes(10).length);
                    server.crash();
                    s.getOutputStream().write(1); // retransmitted into the void
                    net.sleep(Duration.ofSeconds(30));
                    assertEquals("ESTAB", state(net.host("client").ss()));
                    server.restart();
                    s.setSoTimeout(120_000);
                    s.getInputStream().read();
                    outcome[0] = "read returned";
                } catch (SocketException e) {
                    outcome[0] = e.getMessage();
                }
            });
            net.run(Duration.ofMinutes(5));
            assertEquals("Connection reset", outcome[0]);
            assertTrue(net.tcpdump().stream().anyMatch(l -> l.contains("198.18.0.2.80 >") && l.contains("Flags [R]")));
        }
    }

    @Test
    void aFullAcceptQueueDropsSynsUntilConnectTimesOut() {
        try (Network net = Network.simulated(9)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(20));
            ServerSocket neverAccepts = uncheckedListen(server, 1);
            String[] results = new String[4];
            for (int i = 0; i < results.length; i++) {
                int n = i;
                net.spawn("client-" + i, () -> {
                    net.sleep(Duration.ofMillis(100L * n)); // one after another: each SYN finds the queue as it is
                    try (Socket s = client.connect("server", PORT, Duration.ofSeconds(3))) {
                        results[n] = "connected";
                    } catch (SocketTimeoutException e) {
                        results[n] = e.getMessage();
                    }
                });
            }
            net.run(Duration.ofSeconds(10));
            // backlog 1 holds two connections (Linux's sk_acceptq_is_full is "more than the backlog"); later SYNs
            // are dropped, so those connects time out at 3 s
            assertEquals(List.of("connected", "connected", "Connect timed out", "Connect timed out"), List.of(results));
            assertTrue(server.counter("TcpExtListenOverflows") > 0);
            assertNotNull(neverAccepts);
        }
    }

    @Test
    void aReceiverThatStopsReadingClosesTheWindow() {
        try (Network net = Network.simulated(10)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(20));
            ServerSocket ss = uncheckedListen(server, 10);
            server.spawn("lazy-server", () -> {
                try (Socket s = ss.accept()) {
                    net.sleep(Duration.ofHours(1)); // never reads
                }
            });
            long[] written = new long[1];
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", PORT)) {
                    byte[] chunk = new byte[16_384];
                    while (true) {
                        s.getOutputStream().write(chunk);
                        written[0] += chunk.length;
                    }
                }
            });
            net.run(Duration.ofSeconds(30));
            assertTrue(net.tcpdump().stream().anyMatch(l -> l.contains("198.18.0.2.80 >") && l.contains(", win 0,")));
            assertTrue(written[0] > 100_000 && written[0] < 20_000_000, written[0] + " bytes written before the writer blocked");
        }
    }

    @Test
    void theRoundTripTimeChangesDuringARun() {
        try (Network net = Network.simulated(11)) {
            Host client = net.host("client");
            Host server = net.host("server");
            Link link = net.link(client, server).rtt(Duration.ofMillis(10));
            server.spawn("echo", () -> {
                try (ServerSocket ss = server.listen(PORT); Socket s = ss.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
            });
            Duration[] rounds = new Duration[2];
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", PORT)) {
                    s.setTcpNoDelay(true);
                    for (int i = 0; i < 2; i++) {
                        Duration start = net.elapsed();
                        s.getOutputStream().write(i);
                        s.getInputStream().read();
                        rounds[i] = net.elapsed().minus(start);
                        link.rtt(Duration.ofMillis(300));
                    }
                }
            });
            net.runUntilThreadsFinish();
            assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(300)), List.of(rounds));
        }
    }

    @Test
    void aSlowCloseHoldsTheFinBack() {
        try (Network net = pair(12, 10)) {
            link(net).from(net.host("client")).add(Faults.delayFin(Duration.ofSeconds(3)));
            net.spawn("client", () -> {
                try (Socket s = client(net).connect("server", PORT)) {
                    s.getInputStream().readNBytes(10);
                }
            });
            net.run(Duration.ofSeconds(2));
            assertEquals("FIN-WAIT-1", state(net.host("client").ss()));
            net.run(Duration.ofSeconds(2));
            assertNotEquals("FIN-WAIT-1", state(net.host("client").ss()));
        }
    }

    private static ServerSocket uncheckedListen(Host h, int backlog) {
        try {
            return h.listen(PORT, backlog);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state column of the first connection (not a listener) in ss output. */
    private static String state(List<String> ss) {
        return ss.stream().skip(1).map(l -> l.split("\\s+")[0]).filter(s -> !s.equals("LISTEN")).findFirst().orElse("none");
    }
}
