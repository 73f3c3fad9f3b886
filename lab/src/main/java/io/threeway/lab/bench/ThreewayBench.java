package io.threeway.lab.bench;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Threeway's side of {@code threeway bench}: the same workloads the command runs over the kernel's loopback
 * with java.net, run over Threeway's stack instead. Found with {@link ServiceLoader}: list the implementation
 * in {@code META-INF/services/io.threeway.lab.bench.ThreewayBench}. Until one exists the command prints
 * {@code n/a} for Threeway.
 *
 * <p>Both workloads must send nothing beyond the process or 127.0.0.1.
 */
public interface ThreewayBench {

    /**
     * Connections per second: client threads loop connect, wait for the server's FIN, close; the server accepts
     * and closes at once. Counts connections completed during {@code options.measure()} after
     * {@code options.warmup()}.
     */
    double connectionsPerSecond(BenchOptions options) throws Exception;

    /**
     * Bytes per second over one connection: the writer writes 64 KiB at a time, a reader thread reads and
     * discards. Counts bytes read during {@code options.measure()} after {@code options.warmup()}, over a link
     * of {@code options.mtu()}.
     */
    double bytesPerSecond(BenchOptions options) throws Exception;

    /** The implementation on the class path, if any. */
    static Optional<ThreewayBench> find() {
        return ServiceLoader.load(ThreewayBench.class, ThreewayBench.class.getClassLoader()).findFirst();
    }
}
