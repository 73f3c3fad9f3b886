package io.threeway.bench;

import java.time.Duration;

/**
 * How long each comparison of a row runs.
 *
 * @param warmup  time each side runs before measuring (JIT, buffers grown), not counted
 * @param measure time over which each side's figure is measured
 * @param repeats how many times a short fixed-size run (lwIP's and the engine's connection counts) is repeated;
 *                the best of each side is kept, since other work on a shared machine only ever slows a run
 * @param quick   tiny sizes for tests: the figures are real but too short to quote
 */
public record BenchSettings(Duration warmup, Duration measure, int repeats, boolean quick) {
    public BenchSettings {
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must not be negative");
        if (measure.isNegative() || measure.isZero()) throw new IllegalArgumentException("measured time must be positive");
        if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }

    /** The settings `bench all` uses: 1 s warm-up, 3 s measured, best of 5. */
    public static BenchSettings standard() {
        return new BenchSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 5, false);
    }

    /** Tiny runs for tests: 50 ms warm-up, 200 ms measured, one repeat. */
    public static BenchSettings tiny() {
        return new BenchSettings(Duration.ofMillis(50), Duration.ofMillis(200), 1, true);
    }

    /** Measured seconds, as a double. */
    public double measureSeconds() {
        return measure.toNanos() / 1e9;
    }
}
