package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Host#mtu} and {@link Host#offload}: the interface's MTU sets the MSS a connection uses, and with
 * segmentation offload the data goes in super-segments of several MSS (tcpdump shows them as on Linux's lo), in
 * simulated and in real time, every byte intact; without it, nothing larger than one MSS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OffloadAndMtuTest {
    private static final Pattern LENGTH = Pattern.compile("length (\\d+)");

    /** Sends 1 MB from client to server and back; returns the largest TCP payload the capture saw. */
    private static int transfer(Network net, Host client, Host server) throws Exception {
        byte[] data = new byte[1_000_000];
        new Random(9).nextBytes(data);
        byte[][] back = new byte[1][];
        ServerSocket ss = server.listen(80);
        net.spawn("echo", () -> {
            try (ss; Socket s = ss.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
            }
        });
        net.spawn("client", () -> {
            try (Socket s = client.connect("server", 80)) {
                net.spawn("writer", () -> {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                });
                InputStream in = s.getInputStream();
                back[0] = in.readAllBytes();
            }
        });
        net.runUntilThreadsFinish(Duration.ofSeconds(30));
        assertArrayEquals(data, back[0]);
        return largestPayload(net.tcpdump());
    }

    private static int largestPayload(List<String> lines) {
        int max = 0;
        for (String l : lines) {
            Matcher m = LENGTH.matcher(l);
            if (m.find()) max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    @ParameterizedTest(name = "simulated: {0}")
    @ValueSource(booleans = {true, false})
    void offloadSendsSuperSegmentsAndTheMtuSetsTheMss(boolean simulated) throws Exception {
        try (Network net = simulated ? Network.simulated(4) : Network.realTime(4)) {
            Host client = net.host("client").mtu(9000).offload(true);
            Host server = net.host("server").mtu(9000).offload(true);
            net.link(client, server).mtu(9000);
            int largest = transfer(net, client, server);
            assertTrue(largest > 8948, "super-segments, larger than one 8948-byte MSS: " + largest);
            assertTrue(largest <= 65536, "within gso_max_size: " + largest);
            assertTrue(net.tcpdump().get(0).contains("mss 8960"), "the SYN's MSS follows the MTU: " + net.tcpdump().get(0));
        }
    }

    @Test
    void withoutOffloadEachPacketCarriesOneMss() throws Exception {
        try (Network net = Network.simulated(5)) {
            Host client = net.host("client").mtu(9000);
            Host server = net.host("server").mtu(9000);
            net.link(client, server).mtu(9000);
            int largest = transfer(net, client, server);
            assertTrue(largest <= 8948, "one MSS (8948 with timestamps) at most: " + largest);
            assertTrue(largest > 1448, "the MTU of 9000 took effect: " + largest);
        }
    }

    @Test
    void aBadMtuIsRefused() {
        try (Network net = Network.simulated(6)) {
            Host h = net.host("h");
            assertThrows(IllegalArgumentException.class, () -> h.mtu(67));
            assertThrows(IllegalArgumentException.class, () -> h.mtu(65536));
        }
    }
}
