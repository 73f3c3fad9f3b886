package io.threeway.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The soak's short version for CI: a few hundred conversations per seed through random faults with every invariant
 * checked after every event ({@code threeway soak} runs the hour of 100,000). The report's figures show the faults
 * and the behaviours were really exercised.
 */
class SoakTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomConversationsThroughRandomFaultsKeepEveryInvariant(long seed) {
        SoakReport r = new Soak(new SoakConfig(seed, 400, Duration.ofSeconds(300), 4, false), line -> { }).run();
        r.lines().forEach(System.out::println);
        assertEquals(400, r.conversations());
        assertEquals(r.conversations(), r.completed() + r.brokenOff());
        assertTrue(r.completed() > 300 && r.brokenOff() > 0, "both kinds of conversation ran");
        assertTrue(r.retransmissions() > 0 && r.epochs() > 4, "the faults were real");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7})
    void theSameSeedGivesTheSameRun(long seed) {
        List<String> a = new ArrayList<>(new Soak(new SoakConfig(seed, 100, Duration.ofSeconds(60), 2, false), l -> { }).run().lines());
        List<String> b = new ArrayList<>(new Soak(new SoakConfig(seed, 100, Duration.ofSeconds(60), 2, false), l -> { }).run().lines());
        assertEquals(a, b);
    }
}
