package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's basics: a two-host test in ten lines, RTT as asked, names, errors as Java users know them. */
class NetworkTest {

    @Test
    void twoHostTestInTenLines() {
        try (Network net = Network.simulated(42)) {
            Host client = net.host("client"), server = net.host("api.test");
            net.link(client, server).rtt(Duration.ofMillis(100)).loss(0.01);
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) { s.getOutputStream().write('!'); }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("api.test", 80)) { assertEquals('!', s.getInputStream().read()); }
            });
            net.runUntilThreadsFinish();
        }
    }

    @Test
    void theHandshakeTakesOneRoundTripOfTheLinksRtt() {
        try (Network net = Network.simulated(1)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(80));
            Duration[] connected = new Duration[1];
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80)) {
                    ss.accept().close();
                }
            });
            net.spawn("client", () -> {
                Duration start = net.elapsed();
                try (Socket s = client.connect("server", 80)) {
                    connected[0] = net.elapsed().minus(start);
                }
            });
            net.runUntilThreadsFinish(Duration.ofSeconds(10));
            assertEquals(Duration.ofMillis(80), connected[0]);
            List<String> lines = net.tcpdump();
            assertTrue(lines.get(0).contains("198.18.0.1") && lines.get(0).contains("Flags [S]"), lines.get(0));
            assertTrue(lines.get(1).startsWith("0.040000 IP 198.18.0.2.80 > 198.18.0.1"), lines.get(1));
        }
    }

    @Test
    void errorsAreThoseJavaUsersKnow() {
        try (Network net = Network.simulated(2)) {
            Host client = net.host("client");
            net.host("server");
            net.link(client, net.host("server")).rtt(Duration.ofMillis(10));
            net.spawn("client", () -> {
                ConnectException refused = assertThrows(ConnectException.class, () -> client.connect("server", 81));
                assertEquals("Connection refused", refused.getMessage());
                UnknownHostException unknown = assertThrows(UnknownHostException.class, () -> client.connect("nowhere.test", 80));
                assertTrue(unknown.getMessage().startsWith("nowhere.test: no host of that name"), unknown.getMessage());
            });
            net.runUntilThreadsFinish();
        }
    }

    @Test
    void anAssertionInAnApplicationThreadFailsTheRun() {
        try (Network net = Network.simulated(3)) {
            net.spawn("checker", () -> fail("seen by the test"));
            AssertionError e = assertThrows(AssertionError.class, net::runUntilThreadsFinish);
            assertEquals("seen by the test", e.getMessage());
        }
    }

    @Test
    void aCheckedExceptionNamesItsThread() {
        try (Network net = Network.simulated(3)) {
            net.spawn("reader", () -> {
                throw new IOException("boom");
            });
            ThreadFailedException e = assertThrows(ThreadFailedException.class, net::runUntilThreadsFinish);
            assertEquals("thread 'reader' failed: java.io.IOException: boom", e.getMessage());
        }
    }

    @Test
    void threadsStillRunningAreNamed() {
        try (Network net = Network.simulated(4)) {
            Host server = net.host("server");
            net.spawn("stuck-accept", () -> {
                try (ServerSocket ss = server.listen(80)) {
                    ss.accept();
                }
            });
            RunIncompleteException e = assertThrows(RunIncompleteException.class,
                    () -> net.runUntilThreadsFinish(Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("stuck-accept (parked)"), e.getMessage());
        }
    }

    @Test
    void theTestThreadMayUseSocketsBetweenRuns() throws Exception {
        try (Network net = Network.simulated(5)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(200));
            ServerSocket ss = server.listen(7);
            net.spawn("server", () -> {
                try (ss; Socket s = ss.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
            });
            try (Socket s = client.connect("server", 7)) { // runs the simulation until connected
                s.setSoTimeout(1000);
                s.getOutputStream().write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, s.getInputStream().readNBytes(3));
                assertEquals(Duration.ofMillis(400), net.elapsed());
                assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
                assertEquals(Duration.ofMillis(1400), net.elapsed());
            }
        }
    }
}
