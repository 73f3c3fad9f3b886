package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Toxiproxy's toxics on a link, through the API, in virtual time: each impairment shows in what the connection
 * did (its time, its counters), so a test can rely on it.
 */
class LinkImpairmentsTest {
    /** The bytes each transfer sends. */
    private static final int BYTES = 200_000;

    /** Sends {@link #BYTES} from client to server over a link set by {@code link}; the time it took to read them. */
    private static Duration transfer(long seed, BiConsumer<Network, Link> link, Host[] hosts) {
        try (Network net = Network.simulated(seed)) {
            Host client = net.host("client");
            Host server = net.host("server");
            hosts[0] = client;
            hosts[1] = server;
            link.accept(net, net.link(client, server).rtt(Duration.ofMillis(20)));
            Duration[] took = new Duration[1];
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) {
                    assertEquals(BYTES, s.getInputStream().readAllBytes().length);
                    took[0] = net.elapsed();
                }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", 80)) {
                    s.getOutputStream().write(new byte[BYTES]);
                }
            });
            net.runUntilThreadsFinish(Duration.ofMinutes(10));
            counters = new long[] {client.counter("TcpRetransSegs"), server.counter("TcpExtTCPOFOQueue"),
                    server.counter("TcpExtTCPDSACKOldSent")};
            return took[0];
        }
    }

    /** After {@link #transfer}: the client's retransmissions, the server's out-of-order queueings, its D-SACKs. */
    private static long[] counters;

    @Test
    void aPerfectLinkIsTheBaseline() {
        Duration t = transfer(1, (n, l) -> { }, new Host[2]);
        assertEquals(0, counters[0]);
        assertEquals(0, counters[1]);
        assertTrue(t.toMillis() < 1_000, t.toString());
    }

    @Test
    void bandwidthLimitsTheTransfer() {
        Duration t = transfer(2, (n, l) -> l.bandwidth(1_000_000), new Host[2]); // 1 Mbit/s: 200 kB take 1.6 s
        assertTrue(t.toMillis() >= BYTES * 8 / 1_000, t.toString());
    }

    @Test
    void lossIsRecoveredByRetransmission() {
        transfer(3, (n, l) -> l.loss(0.05), new Host[2]);
        assertTrue(counters[0] > 0, "retransmissions: " + counters[0]);
    }

    @Test
    void reorderingFillsTheOutOfOrderQueue() {
        transfer(4, (n, l) -> l.reorder(0.1, Duration.ofMillis(5)), new Host[2]);
        assertTrue(counters[1] > 0, "segments queued out of order: " + counters[1]);
    }

    @Test
    void aQueueThatMarksCeSlowsAnEcnSenderWithoutLoss() {
        try (Network net = Network.simulated(6)) {
            Host client = net.host("client");
            Host server = net.host("server");
            client.sysctl("net.ipv4.tcp_ecn", "1");             // ask for ECN; the server accepts (tcp_ecn=2)
            Link link = net.link(client, server).rtt(Duration.ofMillis(20)).bandwidth(2_000_000).ceThreshold(5);
            link.from(client).queueLimit(1_000_000);
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) {
                    assertEquals(BYTES, s.getInputStream().readAllBytes().length);
                }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", 80)) {
                    s.getOutputStream().write(new byte[BYTES]);
                }
            });
            net.runUntilThreadsFinish(Duration.ofMinutes(10));
            assertTrue(link.from(client).packetsMarkedCe() > 0, "the queue marked CE");
            assertEquals(0, link.from(client).packetsLost(), "and dropped nothing");
            assertTrue(client.counter("TcpExtTCPDeliveredCE") > 0, "the client saw ECE");
            assertEquals(0, client.counter("TcpRetransSegs"));
        }
    }

    @Test
    void duplicatesAreAnsweredWithDsack() {
        transfer(5, (n, l) -> l.duplicate(0.1), new Host[2]);
        assertTrue(counters[2] > 0, "D-SACKs sent for duplicates: " + counters[2]);
    }

    @Test
    void jitterSpreadsTheTimesAndTheSeedRepeatsThem() {
        Duration a = transfer(6, (n, l) -> l.jitter(Duration.ofMillis(8)), new Host[2]);
        Duration b = transfer(6, (n, l) -> l.jitter(Duration.ofMillis(8)), new Host[2]);
        Duration c = transfer(7, (n, l) -> l.jitter(Duration.ofMillis(8)), new Host[2]);
        assertEquals(a, b, "the same seed, the same run");
        assertNotEquals(a, c, "another seed draws other delays");
    }

    @Test
    void aBlackholeFromATimeEndsInAReadTimeout() {
        try (Network net = Network.simulated(8)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(20)).add(Faults.blackholeFrom(Duration.ofSeconds(1)));
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) {
                    s.getOutputStream().write(1);
                    net.sleep(Duration.ofSeconds(2));
                    s.getOutputStream().write(2);
                    net.sleep(Duration.ofSeconds(10));
                }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", 80)) {
                    s.setSoTimeout(3_000);
                    assertEquals(1, s.getInputStream().read());
                    assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
                    assertTrue(net.elapsed().toMillis() >= 3_000);
                }
            });
            net.runUntilThreadsFinish(Duration.ofMinutes(1));
        }
    }
}
