package io.threeway.lab.bench;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Short runs of the benchmarks: positive figures, no timing assertions. */
class EngineBenchTest {
    static final BenchOptions SHORT = new BenchOptions(Duration.ofMillis(50), Duration.ofMillis(200), 1500, 1);

    @Test
    void isFoundByServiceLoader() {
        assertInstanceOf(EngineBench.class, ThreewayBench.find().orElseThrow());
    }

    @Test
    void connectionRateIsPositiveOnBothFabrics() throws Exception {
        assertTrue(new EngineBench(true).connectionsPerSecond(SHORT) > 0);
        assertTrue(new EngineBench(false).connectionsPerSecond(SHORT) > 0);
        assertTrue(new EngineBench().connectionsPerSecond(new BenchOptions(Duration.ZERO, Duration.ofMillis(200), 1500, 2)) > 0);
    }

    @Test
    void throughputIsPositiveOnBothFabricsAndSmallMtu() throws Exception {
        assertTrue(new EngineBench(true).bytesPerSecond(SHORT) > 0);
        assertTrue(new EngineBench(false).bytesPerSecond(SHORT) > 0);
        assertTrue(new EngineBench().bytesPerSecond(new BenchOptions(Duration.ZERO, Duration.ofMillis(200), 576, 1)) > 0);
    }
}
