package io.threeway.lab.scenarios;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.LabJson;
import io.threeway.lab.LabOption;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException.OptionsException;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.wire.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every scenario against every common option of the path (--rtt, --loss, --jitter, --reorder, --duplicate,
 * --bandwidth, --queue, --mtu) and -6: for each pair, either two settings that move a named figure of the
 * scenario's report, or the scenario refuses the option with its reason (and its help says so). A scenario or an
 * option without a row here fails {@link #everyScenarioAndOptionHasARow}. The runs are small (the scenarios'
 * parameters scaled down), so the whole matrix takes about a minute.
 */
class OptionMatrixTest {
    /** The path options of the matrix; -6 is checked apart, by its packets. */
    static final List<String> OPTIONS = List.of("rtt", "loss", "jitter", "reorder", "duplicate", "bandwidth", "queue", "mtu");

    /**
     * One cell: {@code base} for both runs (beside the scenario's small parameters), then {@code a} and {@code b}, and
     * the figure ({@code variant/key} in the JSON report) that must differ between them.
     */
    record Cell(String base, String a, String b, String figure) {}

    /** Each scenario's parameters for small runs. */
    static final Map<String, String> SMALL = new HashMap<>();
    /** The cells by scenario and option; an option a scenario refuses has none. */
    static final Map<String, Map<String, Cell>> CELLS = new LinkedHashMap<>();

    private static void row(String scenario, String small, Object... cells) {
        SMALL.put(scenario, small);
        Map<String, Cell> m = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i += 2) m.put((String) cells[i], (Cell) cells[i + 1]);
        CELLS.put(scenario, m);
    }

    /** A cell whose first setting is the scenario's own default. */
    private static Cell to(String b, String figure) {
        return new Cell("", "", b, figure);
    }

    static {
        row("handshake", "",
                "rtt", to("rtt=300ms", "/handshake"), "loss", to("loss=10%", "/end"),
                "jitter", to("jitter=20ms", "/handshake"), "reorder", to("reorder=30%", "/first_response_byte"),
                "duplicate", to("duplicate=30%", "/time_wait"), "bandwidth", to("bandwidth=1mbit", "/handshake"),
                "queue", new Cell("bandwidth=100kbit", "", "queue=1", "/retransmissions_by_the_client"),
                "mtu", to("mtu=600", "/mss_offered_by_the_client"));
        String refused = "refused/connect_failed_after";
        row("refused-vs-timeout", "",
                "rtt", to("rtt=300ms", refused), "loss", to("loss=50%", refused), "jitter", to("jitter=20ms", refused),
                "reorder", to("reorder=100%", refused), "bandwidth", to("bandwidth=1mbit", refused));
        row("syn-retries", "");
        row("backlog-overflow", "clients=12 accept-every=200ms",
                "rtt", to("rtt=300ms", "clients/last_served_at"), "loss", to("loss=10%", "listener/listenoverflows"),
                "jitter", to("jitter=20ms", "clients/believed_connected_within_one_rtt"),
                "reorder", to("reorder=30%", "clients/last_served_at"), "duplicate", to("duplicate=30%", "listener/syncookiessent"),
                "bandwidth", to("bandwidth=1mbit", "clients/believed_connected_within_one_rtt"),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "clients/served"));
        String gone = "client/all_gone_after_the_last_close_tcp_fin_timeout_60_s";
        row("close-wait-leak", "requests=10 every=50ms",
                "rtt", to("rtt=300ms", gone), "loss", to("loss=10%", gone), "jitter", to("jitter=20ms", gone),
                "reorder", to("reorder=30%", gone), "bandwidth", to("bandwidth=1mbit", gone),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", gone));
        String cubic = "alone: cubic/goodput";
        row("congestion-control", "duration=4s measure-from=1s",
                "rtt", to("rtt=300ms", cubic), "loss", to("loss=1%", cubic), "jitter", to("jitter=20ms", cubic),
                "reorder", to("reorder=30%", cubic),
                // a duplicate's copy adds no new byte at the bottleneck, so goodput stays; the duplicates move recovery (bytes retransmitted)
                "duplicate", to("duplicate=30%", "alone: cubic/bytes_retransmitted"),
                "bandwidth", to("bandwidth=5mbit", cubic), "queue", to("queue=2", cubic), "mtu", to("mtu=600", cubic));
        String mean = "a connection per request/mean_latency";
        row("connection-pool", "rate=100 duration=1s",
                "rtt", to("rtt=300ms", mean), "loss", to("loss=10%", mean), "jitter", to("jitter=20ms", mean),
                "reorder", to("reorder=30%", mean), "duplicate", to("duplicate=30%", "a connection per request/time_wait_on_the_client_at_the_end"),
                "bandwidth", to("bandwidth=1mbit", mean), "queue", new Cell("bandwidth=1mbit", "", "queue=5", mean),
                "mtu", new Cell("response=20000", "", "mtu=600", mean));
        String first = "first connection (no cookie)/request_at_the_server_application";
        row("fast-open", "",
                "rtt", to("rtt=300ms", first), "loss", to("loss=10%", "path strips option 34/request_at_the_server_application"),
                "jitter", to("jitter=20ms", first), "reorder", to("reorder=30%", "second connection (cookie cached)/request_at_the_server_application"),
                "bandwidth", to("bandwidth=1mbit", first),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "first connection (no cookie)/whole_answer_at_the_client"),
                "mtu", new Cell("request-size=1000", "", "mtu=600", "second connection (cookie cached)/data_in_the_syn"));
        String noticed = "crash-restart/client_noticed_after";
        row("half-open", "watch=1h",
                "rtt", to("rtt=300ms", noticed), "loss", to("loss=50%", noticed), "jitter", to("jitter=20ms", noticed),
                "reorder", to("reorder=30%", noticed), "duplicate", to("duplicate=100%", noticed),
                "bandwidth", to("bandwidth=1mbit", noticed));
        String round = "Nagle on/first_round";
        row("nagle-delayed-ack", "rounds=3",
                "rtt", to("rtt=300ms", round), "loss", to("loss=10%", round), "jitter", to("jitter=20ms", round),
                "reorder", to("reorder=30%", round), "duplicate", to("duplicate=30%", "Nagle on/delayedacks_server"),
                "bandwidth", to("bandwidth=1mbit", round), "queue", new Cell("bandwidth=1mbit", "", "queue=1", round),
                "mtu", new Cell("body=1000", "", "mtu=600", "Nagle on/body_held_after_the_header_capture"));
        String icmp = "icmp/transfer_complete_at";
        row("pmtu-blackhole", "size=100000 time-limit=20s",
                "rtt", to("rtt=300ms", "clamped/transfer_complete_at"), "loss", to("loss=10%", "clamped/segments_retransmitted"),
                "jitter", to("jitter=20ms", icmp), "reorder", to("reorder=30%", icmp),
                "bandwidth", to("bandwidth=1mbit", icmp),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "clamped/segments_retransmitted"),
                "mtu", to("mtu=9000", "blackhole/sender_s_mss_at_the_end"));
        String failed = "tcp_retries2=5/write_failed_after";
        row("retries2", "values=5",
                "rtt", to("rtt=100ms", failed),
                "jitter", new Cell("rtt=100ms", "", "jitter=40ms", failed), "reorder", new Cell("rtt=100ms", "", "reorder=50%", failed),
                "bandwidth", to("bandwidth=1mbit", failed));
        String proxy = "behind a buffering proxy/client_latency_mean";
        row("reverse-proxy", "rate=10 duration=3s",
                "rtt", to("rtt=100ms", proxy), "loss", to("loss=10%", proxy), "jitter", to("jitter=20ms", proxy),
                "reorder", to("reorder=30%", proxy), "bandwidth", to("bandwidth=1mbit", proxy),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", proxy), "mtu", to("mtu=600", proxy));
        String rto = "tcp_timestamps=0/rto_before_the_blackout";
        row("rto", "rounds=20 blackout=3s",
                "rtt", to("rtt=300ms", rto), "loss", to("loss=10%", rto), "jitter", to("jitter=5ms", rto),
                "reorder", to("reorder=30%", rto), "duplicate", to("duplicate=30%", rto), "bandwidth", to("bandwidth=1mbit", rto),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "tcp_timestamps=0/longest_round_trip"));
        String resent = "tcp_sack=0/bytes_retransmitted";
        row("sack-recovery", "size=300000",
                "rtt", to("rtt=300ms", resent), "loss", to("loss=1%", resent), "jitter", to("jitter=20ms", resent),
                "reorder", to("reorder=30%", resent), "duplicate", to("duplicate=30%", resent),
                "bandwidth", to("bandwidth=5mbit", "tcp_sack=1/transfer_complete_at"), "queue", to("queue=2", resent),
                "mtu", to("mtu=600", resent));
        String tail = "tcp_early_retrans=3/response_complete_after";
        row("tail-loss", "",
                "rtt", to("rtt=300ms", tail), "loss", new Cell("seed=2", "", "loss=10%", "tcp_early_retrans=3/segments_retransmitted_retranssegs"),
                "jitter", to("jitter=20ms", tail), "reorder", to("reorder=30%", tail),
                // a duplicated probe draws a D-SACK: to the sender the original arrived too, so no loss was repaired
                "duplicate", to("duplicate=100%", "tcp_early_retrans=3/tcplossproberecovery"),
                "bandwidth", to("bandwidth=1mbit", tail), "queue", new Cell("bandwidth=1mbit", "", "queue=2", tail),
                "mtu", to("mtu=600", "tcp_early_retrans=3/first_retransmission"));
        String limit = "syncookies=0, limit 10/s burst 20/syns_the_limit_dropped_during_the_flood";
        String drops = "syncookies=0/listendrops";
        row("syn-flood", "flood-rate=20000 flood-for=500ms connect-timeout=1s",
                "rtt", to("rtt=300ms", limit), "loss", to("loss=10%", drops), "jitter", to("jitter=20ms", limit),
                "reorder", to("reorder=30%", limit), "duplicate", to("duplicate=30%", drops), "bandwidth", to("bandwidth=1mbit", drops),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", drops));
        String peak = "tw_reuse=0/most_time_wait_at_once";
        row("time-wait-exhaustion", "rate=200 duration=3s",
                "rtt", to("rtt=5ms", peak), "loss", to("loss=10%", peak), "jitter", new Cell("rtt=20ms", "", "jitter=10ms", peak),
                "reorder", to("reorder=30%", peak), "duplicate", to("duplicate=30%", peak), "bandwidth", to("bandwidth=100kbit", peak),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "pool/requests_served"));
        String answered = "tcp_max_tw_buckets=131072/requests_answered";
        String held = "tcp_max_tw_buckets=131072/most_time_wait_at_once_server";
        row("time-wait-load", "rate=2000 duration=1s clients=4",
                "rtt", to("rtt=2s", answered), "loss", to("loss=10%", answered), "reorder", to("reorder=30%", held),
                "duplicate", to("duplicate=30%", held), "bandwidth", to("bandwidth=100kbit", answered),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", answered));
        String tls = "TLS 1.2/time_appconnect";
        row("tls", "",
                "rtt", to("rtt=300ms", tls), "loss", to("loss=10%", tls), "jitter", to("jitter=20ms", tls),
                "reorder", to("reorder=30%", tls), "duplicate", to("duplicate=50%", "TLS 1.2/segments_retransmitted"),
                "bandwidth", to("bandwidth=1mbit", tls), "queue", new Cell("bandwidth=1mbit", "", "queue=1", tls),
                "mtu", to("mtu=600", "TLS 1.2/time_total"));
        String off = "tcp_window_scaling=0/goodput";
        row("window-scaling", "duration=3s measure-from=1.5s",
                "rtt", to("rtt=300ms", off), "loss", to("loss=10%", off), "jitter", to("jitter=20ms", off),
                "reorder", to("reorder=30%", off), "duplicate", to("duplicate=30%", "tcp_window_scaling=1/bytes_delivered"),
                "bandwidth", to("bandwidth=50mbit", "tcp_window_scaling=0/link_utilisation"),
                "queue", to("queue=2", "tcp_window_scaling=0/packets_dropped_by_the_full_queue"),
                "mtu", to("mtu=600", "tcp_window_scaling=0/receive_buffer_at_the_end"));
        String zero = "zero window/first_win_0_at";
        row("zero-window", "size=500000 stop-reading-at=300ms resume-at=6s",
                "rtt", to("rtt=300ms", "zero window/first_probe_after_win_0"), "loss", to("loss=10%", "zero window/transfer_complete_at"),
                "jitter", to("jitter=20ms", zero), "reorder", to("reorder=30%", zero), "duplicate", to("duplicate=30%", zero),
                "bandwidth", to("bandwidth=1mbit", zero),
                "queue", new Cell("bandwidth=1mbit", "", "queue=1", "zero window/transfer_complete_at"),
                "mtu", to("mtu=600", "zero window/largest_recv_q_at_the_receiver"));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioAndOptionHasARow() {
        return Scenarios.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            assertTrue(CELLS.containsKey(s.name()), "a row for " + s.name());
            for (String o : OPTIONS) {
                boolean cell = CELLS.get(s.name()).containsKey(o);
                boolean refused = s.refusedOptions().containsKey(o);
                assertTrue(cell != refused, s.name() + " --" + o + ": either a cell moving a figure or a refusal, not "
                        + (cell ? "both" : "neither"));
            }
            assertTrue(s.supportsIpv6(), s.name() + " runs over IPv6 (-6)");
        }));
    }

    /** Each refused option: a clear message naming the scenario and the reason, and the help says so. */
    @TestFactory
    Stream<DynamicTest> refusedOptionsSayWhy() {
        return Scenarios.all().stream().filter(s -> !s.refusedOptions().isEmpty()).map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            for (var e : s.refusedOptions().entrySet()) {
                String value = switch (e.getKey()) {
                    case "rtt", "jitter" -> "1ms";
                    case "queue", "mtu" -> "1280";
                    default -> "1%";
                };
                List<String> given = new ArrayList<>(List.of(e.getKey() + "=" + value));
                if (e.getKey().equals("queue") && !s.refusedOptions().containsKey("bandwidth")) given.add("bandwidth=1mbit");
                OptionsException x = assertThrows(OptionsException.class, () -> LabOptions.build(s, given));
                assertTrue(x.errors().stream().anyMatch(o -> o.field().equals(e.getKey())
                        && o.reason().equals("scenario '" + s.name() + "' refuses it: " + e.getValue())), x.getMessage());
                LabOption field = LabOptions.field(s, e.getKey());
                assertTrue(field.help().startsWith("Refused by " + s.name() + ": "), field.help());
            }
        }));
    }

    /** Each cell: the figure named differs between the two settings. */
    @TestFactory
    Stream<DynamicTest> eachOptionMovesItsFigure() {
        Map<String, Map<String, String>> cache = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (var row : CELLS.entrySet()) {
            Scenario s = Scenarios.find(row.getKey()).orElseThrow();
            for (var c : row.getValue().entrySet()) {
                Cell cell = c.getValue();
                tests.add(DynamicTest.dynamicTest(s.name() + " --" + c.getKey(), () -> {
                    List<String> a = args(SMALL.get(s.name()), cell.base(), cell.a());
                    List<String> b = args(SMALL.get(s.name()), cell.base(), cell.b());
                    Map<String, String> fa = cache.computeIfAbsent(s.name() + a, k -> figures(s, a));
                    Map<String, String> fb = figures(s, b);
                    assertTrue(fa.containsKey(cell.figure()), s.name() + ": no figure " + cell.figure() + " in " + fa.keySet());
                    assertNotEquals(fa.get(cell.figure()), fb.get(cell.figure()), s.name() + " " + a + " against " + b
                            + ": " + cell.figure() + " did not move");
                }));
            }
        }
        return tests.stream();
    }

    /** -6 on every scenario: every packet of its pcap is IPv6 between addresses of 2001:db8::/32, and none of IPv4's. */
    @TestFactory
    Stream<DynamicTest> everyScenarioRunsOverIpv6(@TempDir Path dir) {
        return Scenarios.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Path pcap = dir.resolve(s.name() + ".pcap");
            List<String> given = args(SMALL.get(s.name()), "ipv6", "pcap=" + pcap);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            s.run(LabOptions.build(s, given), new PrintStream(text, true, StandardCharsets.UTF_8));
            String report = text.toString(StandardCharsets.UTF_8);
            assertFalse(report.contains("198.18."), s.name() + " -6 names an IPv4 address:\n" + report);
            int packets = 0;
            try (InputStream in = Files.newInputStream(pcap); PcapReader r = new PcapReader(in)) {
                for (PcapPacket p; (p = r.next()) != null; packets++) {
                    byte[] d = p.data();
                    assertEquals(6, (d[0] & 0xff) >>> 4, s.name() + ": an IPv4 packet in the -6 capture");
                    for (int off : new int[] {8, 24}) {
                        IpAddress a = IpAddress.read(d, off, true);
                        assertTrue(inDocumentationPrefix(a), s.name() + ": " + a + " is outside 2001:db8::/32");
                    }
                }
            }
            assertTrue(packets > 0, s.name() + " -6 captured no packet");
        }));
    }

    /** Whether {@code a} is in RFC 3849's 2001:db8::/32. */
    private static boolean inDocumentationPrefix(IpAddress a) {
        return a.v6() && a.hi() >>> 32 == 0x20010db8L;
    }

    private static List<String> args(String... parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) for (String w : p.split(" ")) if (!w.isBlank()) out.add(w);
        return out;
    }

    /** The run's figures from its JSON report, by {@code variant/key}, as text. */
    static Map<String, String> figures(Scenario s, List<String> given) {
        ScenarioOptions o = LabOptions.build(s, given).withJson(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.run(o, new PrintStream(out, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(s.name() + " " + given + ": " + e, e);
        }
        JsonNode doc = LabJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        Map<String, String> f = new LinkedHashMap<>();
        for (JsonNode r : doc.get("results")) {
            for (var e : r.get("figures").properties()) {
                f.put(r.get("variant").asString() + "/" + e.getKey(), e.getValue().get("value").toString());
            }
        }
        return f;
    }
}
