package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The capture is a ring: it keeps the latest packets up to a number and a total of bytes, drops the oldest and
 * counts them, and 0 turns it off; nothing is dropped without the count (and a failed test's report) saying so.
 */
class CaptureLimitsTest {
    /** The bytes of the packets the last {@link #transfer} kept. */
    private static long keptBytes;

    /** One client sends 100 kB to a server over a 10 ms link, in virtual time; returns the network's lines. */
    private static List<String> transfer(Consumer<Network> configure, long[] dropped, String[] report) {
        try (Network net = Network.simulated(7)) {
            configure.accept(net);
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(10));
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) {
                    s.getInputStream().readAllBytes();
                }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", 80)) {
                    s.getOutputStream().write(new byte[100_000]);
                }
            });
            net.runUntilThreadsFinish(Duration.ofMinutes(1));
            dropped[0] = net.captureDropped();
            report[0] = net.report();
            try {
                Path pcap = Files.createTempFile("capture-limits", ".pcap");
                net.writePcap(pcap);
                List<String> lines = net.tcpdump();
                // a pcap file: a 24-byte header, then a 16-byte header and the bytes of each packet
                keptBytes = Files.size(pcap) - 24 - 16L * lines.size();
                Files.delete(pcap);
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A line's timestamp, the part that does not depend on which packets the formatter saw first. */
    private static String time(String line) {
        return line.substring(0, line.indexOf(' '));
    }

    @Test
    void theDefaultKeepsEverySmallRun() {
        long[] dropped = new long[1];
        String[] report = new String[1];
        List<String> all = transfer(net -> { }, dropped, report);
        assertTrue(all.size() > 50, all.size() + " packets");
        assertEquals(0, dropped[0]);
        assertTrue(report[0].contains("# " + all.size() + " packets sent\n"), report[0]);
    }

    @Test
    void aFullRingKeepsTheLatestPacketsAndCountsTheRest() {
        long[] dropped = new long[1];
        String[] report = new String[1];
        List<String> all = transfer(net -> { }, dropped, report);
        List<String> latest = transfer(net -> net.capture(10, 1 << 20), dropped, report);
        assertEquals(10, latest.size());
        assertEquals(all.size() - 10, dropped[0]);
        List<String> expected = all.subList(all.size() - 10, all.size());
        assertEquals(expected.stream().map(CaptureLimitsTest::time).toList(), latest.stream().map(CaptureLimitsTest::time).toList());
        assertTrue(report[0].contains("# 10 packets sent, the latest kept; " + dropped[0] + " earlier not kept"), report[0]);
    }

    @Test
    void theByteLimitBoundsFullSizedPackets() {
        long[] dropped = new long[1];
        String[] report = new String[1];
        List<String> all = transfer(net -> { }, dropped, report);
        List<String> kept = transfer(net -> net.capture(1_000, 3_200), dropped, report);
        assertTrue(keptBytes <= 3_200 && keptBytes > 3_200 - 1_500, keptBytes + " bytes kept");
        assertTrue(!kept.isEmpty() && kept.size() < all.size(), kept.size() + " packets kept");
        assertEquals(all.size() - kept.size(), dropped[0]);
    }

    @Test
    void zeroTurnsTheCaptureOffButStillCounts() {
        long[] dropped = new long[1];
        String[] report = new String[1];
        List<String> all = transfer(net -> { }, dropped, report);
        List<String> none = transfer(net -> net.capture(0, 0), dropped, report);
        assertEquals(List.of(), none);
        assertEquals(all.size(), dropped[0]);
    }

    @Test
    void linesReadDuringTheRunStayAsTheyWereFormatted() {
        try (Network net = Network.simulated(8).capture(6, 1 << 20)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(10));
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80); Socket s = ss.accept()) {
                    s.getInputStream().readAllBytes();
                }
            });
            net.spawn("client", () -> {
                try (Socket s = client.connect("server", 80)) {
                    s.getOutputStream().write(new byte[3_000]);
                    net.sleep(Duration.ofSeconds(1));
                    s.getOutputStream().write(new byte[3_000]);
                }
            });
            net.run(Duration.ofMillis(500));
            List<String> early = net.tcpdump();
            net.runUntilThreadsFinish(Duration.ofMinutes(1));
            List<String> late = net.tcpdump();
            assertEquals(6, late.size());
            assertTrue(net.captureDropped() > 0);
            for (String line : late) {
                if (early.contains(line)) continue;
                assertTrue(early.stream().noneMatch(e -> time(e).equals(time(line))), "a packet read early keeps its line: " + line);
            }
        }
    }

    @Test
    void aSnapLengthKeepsTheHeadersAndTheSameLines() {
        long[] dropped = new long[1];
        String[] report = new String[1];
        List<String> whole = transfer(net -> { }, dropped, report);
        long wholeBytes = keptBytes;
        List<String> headers = transfer(net -> net.captureSnapLength(100), dropped, report);
        assertEquals(whole, headers, "tcpdump prints no payload: the same lines");
        assertEquals(0, dropped[0]);
        assertTrue(keptBytes <= 100L * headers.size() && keptBytes < wholeBytes / 10, keptBytes + " of " + wholeBytes + " bytes kept");
        assertThrows(IllegalArgumentException.class, () -> transfer(net -> net.captureSnapLength(0), dropped, report));
    }

    @Test
    void aRealTimeNetworkKeepsHeadersOnlyUnlessToldOtherwise() throws Exception {
        try (Network net = Network.realTime(10)) {
            Host client = net.host("client");
            Host server = net.host("server");
            ServerSocket ss = server.listen(80);
            Thread t = Thread.ofPlatform().start(() -> {
                try (ss; Socket s = ss.accept()) {
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (Socket s = client.connect("server", 80)) {
                s.getOutputStream().write(new byte[20_000]);
            }
            t.join(10_000);
            List<String> lines = net.tcpdump();
            assertTrue(lines.stream().anyMatch(l -> l.contains(", length 1448")), String.join("\n", lines));
            Path pcap = Files.createTempFile("snap", ".pcap");
            net.writePcap(pcap);
            assertTrue(Files.size(pcap) <= 24 + (16 + 128L) * lines.size(), Files.size(pcap) + " bytes for " + lines.size() + " packets");
            Files.delete(pcap);
        }
    }

    @Test
    void limitsAreChecked() {
        try (Network net = Network.simulated(9)) {
            assertThrows(IllegalArgumentException.class, () -> net.capture(-1, 10));
            assertThrows(IllegalArgumentException.class, () -> net.capture(10, -1));
        }
    }
}
