package io.threeway.lab;

import io.threeway.lab.record.RunRecorder;
import io.threeway.settings.Sysctls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a user may vary in any scenario.
 *
 * @param rtt      round-trip time of the simulated path (each direction gets half)
 * @param loss     probability, 0 to 1, that the path drops a packet (each direction, independently)
 * @param seed     seed of every random choice in the run (loss, initial sequence numbers, ports): same seed,
 *                 same run
 * @param pcap     where to write the packets as a pcap file, or null
 * @param json     print a JSON report instead of text
 * @param sysctls  the settings of the hosts in the scenario, Linux's defaults unless changed
 * @param params   the scenario's own parameters by name, as typed (a missing one takes its default)
 * @param moments  where to copy the hosts for the tools (ss, nstat), or null
 * @param progress where a long run reports how far it has got
 * @param recorder where to record the run (packets with their fates, transitions, series, the tools' views
 *                 at each step) for the web lab and {@code --series}, or null
 */
public record ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls,
                              Map<String, String> params, Moments moments, Progress progress, RunRecorder recorder) {

    public static final Duration DEFAULT_RTT = Duration.ofMillis(100);
    public static final long DEFAULT_SEED = 1;

    public ScenarioOptions {
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(sysctls, "sysctls");
        params = Map.copyOf(params);
        if (progress == null) progress = Progress.NONE;
        if (rtt.isNegative()) throw new IllegalArgumentException("rtt must not be negative: " + rtt);
        if (!(loss >= 0 && loss <= 1)) throw new IllegalArgumentException("loss must be between 0 and 1: " + loss);
    }

    /** Options without a recorder. */
    public ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls,
                           Map<String, String> params, Moments moments, Progress progress) {
        this(rtt, loss, seed, pcap, json, sysctls, params, moments, progress, null);
    }

    /** Options without scenario parameters, moments or progress. */
    public ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls) {
        this(rtt, loss, seed, pcap, json, sysctls, Map.of(), null, Progress.NONE);
    }

    /** 100 ms RTT, no loss, seed 1, no pcap, text output, Linux's default settings. */
    public static ScenarioOptions defaults() {
        return new ScenarioOptions(DEFAULT_RTT, 0, DEFAULT_SEED, null, false, new Sysctls());
    }

    /** These options with one more setting changed ({@code name=value}). */
    public ScenarioOptions withSysctl(String assignment) {
        Sysctls s = new Sysctls(sysctls);
        s.assign(assignment);
        return new ScenarioOptions(rtt, loss, seed, pcap, json, s, params, moments, progress, recorder);
    }

    /** These options with a scenario parameter set. */
    public ScenarioOptions withParam(String name, String value) {
        var p = new java.util.HashMap<>(params);
        p.put(name, value);
        return new ScenarioOptions(rtt, loss, seed, pcap, json, sysctls, p, moments, progress, recorder);
    }

    public ScenarioOptions withMoments(Moments m) {
        return new ScenarioOptions(rtt, loss, seed, pcap, json, sysctls, params, m, progress, recorder);
    }

    /** These options with the run recorded by {@code r}. */
    public ScenarioOptions withRecorder(RunRecorder r) {
        return new ScenarioOptions(rtt, loss, seed, pcap, json, sysctls, params, moments, progress, r);
    }

    /** A parameter's text: the user's value, else its default. */
    public String param(ScenarioParameter p) {
        return params.getOrDefault(p.name(), p.defaultValue());
    }

    /** A whole-number parameter; IllegalArgumentException names it when it is not one. */
    public long longParam(ScenarioParameter p) {
        String v = param(p).strip().replace("_", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + p.name() + ": '" + param(p) + "' is not a whole number");
        }
    }

    /** A whole-number parameter of at least {@code min}. */
    public int intParam(ScenarioParameter p, int min) {
        long v = longParam(p);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + p.name() + ": " + v + " is out of range (at least " + min + ")");
        }
        return (int) v;
    }

    /** A bit-rate parameter ({@code 100mbit}), in bits a second. */
    public long bitsPerSecondParam(ScenarioParameter p) {
        try {
            return Rates.parse(param(p));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + p.name() + ": " + e.getMessage());
        }
    }

    /** A duration parameter, in nanoseconds. */
    public long nanosParam(ScenarioParameter p) {
        try {
            return Durations.parse(param(p)).toNanos();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + p.name() + ": " + e.getMessage());
        }
    }
}
