package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every scenario runs at ten times its default scale (its load parameter times ten: clients, requests, rounds,
 * rate, size) and ends with its report, never with an internal error: running out of ports, queues or time is a
 * finding the report states. Scenarios without a load parameter run at their defaults. The quick ones run with
 * every test run; the long ones (a minute or more each) are tagged "scale" and run on their own:
 * {@code ./threeway test -pl cli -am -Dthreeway.excludedGroups=none -Dgroups=scale -Dtest=ScaleTest}.
 */
class ScaleTest {
    /** Each scenario's load parameter at ten times its default; none for scenarios without one. */
    static final Map<String, List<String>> TEN_TIMES = new LinkedHashMap<>();

    static {
        TEN_TIMES.put("backlog-overflow", List.of("--clients", "200"));
        TEN_TIMES.put("close-wait-leak", List.of("--requests", "500"));
        TEN_TIMES.put("nagle-delayed-ack", List.of("--rounds", "100"));
        TEN_TIMES.put("fast-open", List.of("--request-size", "2000"));
        TEN_TIMES.put("tls", List.of("--response", "200000"));
        TEN_TIMES.put("zero-window", List.of("--size", "20000000"));
        TEN_TIMES.put("reverse-proxy", List.of("--rate", "100"));
        TEN_TIMES.put("time-wait-exhaustion", List.of("--rate", "10000"));
        TEN_TIMES.put("connection-pool", List.of("--rate", "5000"));
        TEN_TIMES.put("syn-flood", List.of("--flood-rate", "1000000"));
        TEN_TIMES.put("window-scaling", List.of("--bandwidth", "10gbit"));
        TEN_TIMES.put("half-open", List.of("--watch", "30h"));
        TEN_TIMES.put("retries2", List.of("--values", "150,50"));
        TEN_TIMES.put("sack-recovery", List.of("--size", "50000000"));
        TEN_TIMES.put("rto", List.of("--rounds", "500"));
        TEN_TIMES.put("congestion-control", List.of("--duration", "200s"));
        TEN_TIMES.put("pmtu-blackhole", List.of("--size", "2000000"));
        TEN_TIMES.put("time-wait-load", List.of("--rate", "100000"));
        TEN_TIMES.put("tail-loss", List.of("--segments", "100"));
    }

    /** The ones that take a minute or more at ten times. */
    static final Set<String> LONG = Set.of("reverse-proxy", "time-wait-exhaustion", "connection-pool", "syn-flood",
            "window-scaling", "sack-recovery", "congestion-control", "time-wait-load");

    @Test
    void quickScenariosAtTenTimesScale() {
        for (Scenario s : Scenarios.all()) if (!LONG.contains(s.name())) check(s.name());
    }

    @Test
    @Tag("scale")
    void longScenariosAtTenTimesScale() {
        for (String name : LONG) check(name);
    }

    @Test
    void everyScenarioIsListed() {
        for (Scenario s : Scenarios.all()) {
            boolean loadless = Set.of("handshake", "refused-vs-timeout", "syn-retries").contains(s.name());
            assertTrue(loadless || TEN_TIMES.containsKey(s.name()), "a ten-times scale for " + s.name());
        }
    }

    /** Runs one scenario at ten times its scale: it must end with its report and exit 0 (every run completed). */
    private static void check(String name) {
        List<String> args = new ArrayList<>(List.of("lab", "run", name));
        args.addAll(TEN_TIMES.getOrDefault(name, List.of()));
        long start = System.nanoTime();
        Run r = Run.of(args.toArray(String[]::new));
        System.out.printf("ScaleTest: %s at ten times (%s): exit %d, %.0f s%n", name, String.join(" ", args.subList(3, args.size())),
                r.status(), (System.nanoTime() - start) / 1e9);
        assertFalse(r.err().contains("internal error"), name + ": " + r);
        assertEquals(0, r.status(), name + ": " + r);
        assertFalse(r.out().isBlank(), name + " printed its report");
    }
}
