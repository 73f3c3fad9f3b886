package io.threeway.lab;

import io.threeway.settings.Sysctls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a user may vary in any scenario.
 *
 * @param rtt     round-trip time of the simulated path (each direction gets half)
 * @param loss    probability, 0 to 1, that the path drops a packet (each direction, independently)
 * @param seed    seed of every random choice in the run (loss, initial sequence numbers, ports): same seed,
 *                same run
 * @param pcap    where to write the packets as a pcap file, or null
 * @param json    print a JSON report instead of text
 * @param sysctls the settings of the hosts in the scenario, Linux's defaults unless changed
 */
public record ScenarioOptions(Duration rtt, double loss, long seed, Path pcap, boolean json, Sysctls sysctls) {

    public static final Duration DEFAULT_RTT = Duration.ofMillis(100);
    public static final long DEFAULT_SEED = 1;

    public ScenarioOptions {
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(sysctls, "sysctls");
        if (rtt.isNegative()) throw new IllegalArgumentException("rtt must not be negative: " + rtt);
        if (!(loss >= 0 && loss <= 1)) throw new IllegalArgumentException("loss must be between 0 and 1: " + loss);
    }

    /** 100 ms RTT, no loss, seed 1, no pcap, text output, Linux's default settings. */
    public static ScenarioOptions defaults() {
        return new ScenarioOptions(DEFAULT_RTT, 0, DEFAULT_SEED, null, false, new Sysctls());
    }
}
