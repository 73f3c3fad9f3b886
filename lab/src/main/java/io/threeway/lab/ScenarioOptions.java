package io.threeway.lab;

import io.threeway.lab.record.RunRecorder;
import io.threeway.settings.Sysctls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a user may vary in any scenario. Build it from the user's text with {@link LabOptions#build} (which checks
 * every field); change it with the {@code with...} methods rather than the constructor, whose components may grow.
 *
 * @param link     the simulated path: RTT, loss, jitter, reordering, duplication, bandwidth, queue, MTU
 * @param seed     seed of every random choice in the run (loss, initial sequence numbers, ports): same seed,
 *                 same run
 * @param ipv6     run over IPv6 (2001:db8::/32) instead of IPv4 (198.18.0.0/15)
 * @param pcap     where to write the packets as a pcap file, or null
 * @param json     print a JSON report instead of text
 * @param sysctls  the settings of the hosts in the scenario, Linux's defaults unless changed
 * @param params   the scenario's own parameters by name, as typed (a missing one takes its default)
 * @param moments  where to copy the hosts for the tools (ss, nstat), or null
 * @param progress where a long run reports how far it has got
 * @param recorder where to record the run (packets with their fates, transitions, series, the tools' views
 *                 at each step) for the web lab and {@code --series}, or null
 */
public record ScenarioOptions(LinkOptions link, long seed, boolean ipv6, Path pcap, boolean json, Sysctls sysctls,
                              Map<String, String> params, Moments moments, Progress progress, RunRecorder recorder) {

    public static final Duration DEFAULT_RTT = LinkOptions.DEFAULT.rtt();
    public static final long DEFAULT_SEED = 1;

    public ScenarioOptions {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(sysctls, "sysctls");
        params = Map.copyOf(params);
        if (progress == null) progress = Progress.NONE;
    }

    /**
     * Options with the default path but this RTT and loss, without a recorder (kept for callers written before
     * {@link LabOptions}; new code builds options with {@link LabOptions#build} and the {@code with...} methods).
     */
    public ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls,
                           Map<String, String> params, Moments moments, Progress progress) {
        this(LinkOptions.DEFAULT.withRtt(rtt).withLoss(loss), seed, false, pcap, json, sysctls, params, moments, progress,
                null);
    }

    /** Options with the default path but this RTT and loss, without scenario parameters, moments or progress. */
    public ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls) {
        this(rtt, loss, seed, pcap, json, sysctls, Map.of(), null, Progress.NONE);
    }

    /** 100 ms RTT, no loss, seed 1, no pcap, text output, Linux's default settings. */
    public static ScenarioOptions defaults() {
        return new ScenarioOptions(LinkOptions.DEFAULT, DEFAULT_SEED, false, null, false, new Sysctls(), Map.of(), null,
                Progress.NONE, null);
    }

    /** The path's round-trip time. */
    public Duration rtt() { return link.rtt(); }

    /** The path's loss probability, each direction. */
    public double loss() { return link.loss(); }

    /** These options with one more setting changed ({@code name=value}). */
    public ScenarioOptions withSysctl(String assignment) {
        Sysctls s = new Sysctls(sysctls);
        s.assign(assignment);
        return withSysctls(s);
    }

    public ScenarioOptions withSysctls(Sysctls s) {
        return new ScenarioOptions(link, seed, ipv6, pcap, json, s, params, moments, progress, recorder);
    }

    /** These options with a scenario parameter set. */
    public ScenarioOptions withParam(String name, String value) {
        var p = new HashMap<>(params);
        p.put(name, value);
        return new ScenarioOptions(link, seed, ipv6, pcap, json, sysctls, p, moments, progress, recorder);
    }

    public ScenarioOptions withLink(LinkOptions l) {
        return new ScenarioOptions(l, seed, ipv6, pcap, json, sysctls, params, moments, progress, recorder);
    }

    public ScenarioOptions withRtt(Duration rtt) { return withLink(link.withRtt(rtt)); }

    public ScenarioOptions withLoss(double loss) { return withLink(link.withLoss(loss)); }

    public ScenarioOptions withSeed(long s) {
        return new ScenarioOptions(link, s, ipv6, pcap, json, sysctls, params, moments, progress, recorder);
    }

    public ScenarioOptions withIpv6(boolean v6) {
        return new ScenarioOptions(link, seed, v6, pcap, json, sysctls, params, moments, progress, recorder);
    }

    public ScenarioOptions withPcap(Path file) {
        return new ScenarioOptions(link, seed, ipv6, file, json, sysctls, params, moments, progress, recorder);
    }

    public ScenarioOptions withJson(boolean j) {
        return new ScenarioOptions(link, seed, ipv6, pcap, j, sysctls, params, moments, progress, recorder);
    }

    public ScenarioOptions withMoments(Moments m) {
        return new ScenarioOptions(link, seed, ipv6, pcap, json, sysctls, params, m, progress, recorder);
    }

    public ScenarioOptions withProgress(Progress p) {
        return new ScenarioOptions(link, seed, ipv6, pcap, json, sysctls, params, moments, p, recorder);
    }

    /** These options with the run recorded by {@code r}. */
    public ScenarioOptions withRecorder(RunRecorder r) {
        return new ScenarioOptions(link, seed, ipv6, pcap, json, sysctls, params, moments, progress, r);
    }

    /** A parameter's text: the user's value, else its default. */
    public String param(ScenarioParameter p) {
        return params.getOrDefault(p.name(), p.defaultValue());
    }

    /** A parameter's value parsed by its type; IllegalArgumentException (an {@link OptionException}) naming it. */
    public Object value(ScenarioParameter p) {
        return LabOption.of(p).parse(param(p));
    }

    /** A whole-number parameter, within its type's bounds. */
    public long longParam(ScenarioParameter p) {
        Object v = value(p);
        if (v instanceof Long l) return l;
        throw new IllegalStateException(p.option() + " is not a whole number but " + p.type().kind());
    }

    /** A whole-number parameter of at least {@code min} (and within its type's bounds). */
    public int intParam(ScenarioParameter p, int min) {
        long v = longParam(p);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new OptionException(p.name(), v + " is out of range (at least " + min + ")");
        }
        return (int) v;
    }

    /** A bit-rate parameter ({@code 100mbit}), in bits a second. */
    public long bitsPerSecondParam(ScenarioParameter p) {
        try {
            return Rates.parse(param(p));
        } catch (IllegalArgumentException e) {
            throw new OptionException(p.name(), e.getMessage());
        }
    }

    /** A duration parameter, in nanoseconds. */
    public long nanosParam(ScenarioParameter p) {
        try {
            return Durations.parse(param(p)).toNanos();
        } catch (IllegalArgumentException e) {
            throw new OptionException(p.name(), e.getMessage());
        }
    }
}
