package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMillis(100), Units.parseDuration("100ms"));
        assertEquals(Duration.ofMillis(1500), Units.parseDuration("1.5s"));
        assertEquals(Duration.ofNanos(250_000), Units.parseDuration("250us"));
        assertEquals(Duration.ofNanos(250_000), Units.parseDuration("250µs"));
        assertEquals(Duration.ofNanos(7), Units.parseDuration("7ns"));
        assertEquals(Duration.ofMinutes(2), Units.parseDuration("2m"));
        assertEquals(Duration.ofHours(2), Units.parseDuration("2h"));
        assertEquals(Duration.ofMillis(500), Units.parseDuration(".5s"));
        assertEquals(Duration.ZERO, Units.parseDuration("0s"));
        assertEquals(Duration.ofMillis(100), Units.parseDuration(" 100 ms "));
        assertEquals(Duration.ofNanos(2), Units.parseDuration("1.5ns")); // rounded to the nanosecond
    }

    @Test
    void rejectsBadDurationsWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("100"))
                .getMessage().contains("no unit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("-5ms"))
                .getMessage().contains("negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("fast"))
                .getMessage().contains("not a duration"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("10 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(""));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("99999999999h"));
    }

    @Test
    void formatsDurations() {
        assertEquals("100ms", Units.formatDuration(Duration.ofMillis(100)));
        assertEquals("1.5s", Units.formatDuration(Duration.ofMillis(1500)));
        assertEquals("250us", Units.formatDuration(Duration.ofNanos(250_000)));
        assertEquals("0s", Units.formatDuration(Duration.ZERO));
        assertEquals("2h", Units.formatDuration(Duration.ofHours(2)));
    }

    @Test
    void parsesLoss() {
        assertEquals(0.1, Units.parseLoss("0.1"));
        assertEquals(0.0, Units.parseLoss("0"));
        assertEquals(1.0, Units.parseLoss("1"));
        assertEquals(0.1, Units.parseLoss("10%"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Units.parseLoss("1.5"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseLoss("-0.1"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseLoss("150%"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseLoss("NaN"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseLoss("lots"));
    }
}
