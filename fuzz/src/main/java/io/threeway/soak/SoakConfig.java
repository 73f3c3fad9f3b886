package io.threeway.soak;

import java.time.Duration;

/**
 * What a soak runs: {@code connections} conversations started at random (a Poisson process) over {@code duration}
 * of virtual time, from {@code clients} client hosts to one server, every choice drawn from {@code seed}.
 *
 * @param seed        the run's seed: the same seed and settings give the same run
 * @param connections how many conversations to start
 * @param duration    the virtual time over which they start (the run then drains: TIME-WAIT, orphans)
 * @param clients     client hosts, each on its own link to the server, each with its own settings
 * @param measureHeap whether to measure the JVM's heap before and after (needs a quiet JVM; the CLI's run does)
 */
public record SoakConfig(long seed, int connections, Duration duration, int clients, boolean measureHeap) {
    public SoakConfig {
        if (connections < 1) throw new IllegalArgumentException("--connections: at least 1");
        if (clients < 1 || clients > 64) throw new IllegalArgumentException("--clients: 1 to 64");
        if (duration.toMillis() < 1) throw new IllegalArgumentException("--duration: at least 1ms");
    }
}
