package io.threeway.lab.bench;

import java.time.Duration;

/**
 * How long and how a benchmark runs.
 *
 * @param warmup  time run before measuring (JIT warm-up, buffers grown), not counted
 * @param measure time over which the figure is measured
 * @param mtu     link MTU in bytes, for throughput (Threeway's side; the kernel's loopback keeps its own)
 * @param threads client threads, for the connection rate
 */
public record BenchOptions(Duration warmup, Duration measure, int mtu, int threads) {
    public BenchOptions {
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must not be negative");
        if (measure.isNegative() || measure.isZero()) throw new IllegalArgumentException("measured time must be positive");
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU must be between 68 and 65535, got " + mtu);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
}
