package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lab run NAME --series FILE}: the figures over time, moved by the settings that should move them. */
class SeriesOptionTest {

    private static List<String[]> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(SeriesFile.HEADER, lines.get(0));
        return lines.stream().skip(1).map(l -> l.split(",", -1)).toList();
    }

    private static double maxOf(List<String[]> rows, String host, int column) {
        return rows.stream().filter(r -> r[1].equals(host) && !r[column].isEmpty())
                .mapToDouble(r -> Double.parseDouble(r[column])).max().orElse(-1);
    }

    @Test
    void twoRttsGiveTwoSrtts(@TempDir Path dir) throws Exception {
        double[] srtt = new double[2];
        String[] rtt = {"50ms", "300ms"};
        for (int i = 0; i < 2; i++) {
            Path f = dir.resolve("s" + i + ".csv");
            Run r = Run.of("lab", "run", "handshake", "--rtt", rtt[i], "--series", f.toString());
            assertEquals(0, r.status(), r.toString());
            srtt[i] = maxOf(rows(f), "client", 9);
        }
        assertEquals(50.0, srtt[0], 1e-9, "the client's SRTT is the path's RTT");
        assertEquals(300.0, srtt[1], 1e-9);
    }

    @Test
    void windowScalingOnAndOffGiveTwoPeerWindows(@TempDir Path dir) throws Exception {
        Path off = dir.resolve("off.csv");
        Path on = dir.resolve("on.csv");
        Run a = Run.of("lab", "run", "handshake", "--sysctl", "net.ipv4.tcp_window_scaling=0", "--series", off.toString());
        Run b = Run.of("lab", "run", "handshake", "--series", on.toString());
        assertEquals(0, a.status(), a.toString());
        assertEquals(0, b.status(), b.toString());
        double winOff = maxOf(rows(off), "client", 12);
        double winOn = maxOf(rows(on), "client", 12);
        assertTrue(winOff <= 65535, "without scaling the window field caps it: " + winOff);
        assertTrue(winOn > 0 && winOn != winOff, "scaled and unscaled windows differ: " + winOn + " vs " + winOff);
        List<String[]> r = rows(on);
        assertTrue(r.stream().anyMatch(x -> x[5].equals("SYN-SENT")) && r.stream().anyMatch(x -> x[5].equals("TIME-WAIT")),
                "states from SYN-SENT to TIME-WAIT");
        String[] synSent = r.stream().filter(x -> x[5].equals("SYN-SENT")).findFirst().orElseThrow();
        assertEquals("", synSent[9], "no SRTT before the first RTT sample (it printed -0.000)");
        assertTrue(r.stream().noneMatch(x -> x[9].startsWith("-")), "no negative SRTT");
    }

    @Test
    void jsonWhenTheNameSaysSo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Run r = Run.of("lab", "run", "handshake", "--series", f.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode doc = JsonMapper.builder().build().readTree(f.toFile());
        JsonNode client = doc.path("").get(0);
        assertEquals("client", client.path("host").asString());
        assertEquals(100.0, client.path("points").get(client.path("points").size() - 1).path("srtt_ms").asDouble(), 1e-9);
    }

    @Test
    void anUnwritablePlaceFailsBeforeTheRun() {
        Run r = Run.of("lab", "run", "handshake", "--series", "/nonexistent/dir/s.csv");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("/nonexistent/dir"), r.err());
    }
}
