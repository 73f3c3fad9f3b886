package io.threeway.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.settings.Sysctls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

    @Test
    void findsTheHandshakeScenario() {
        List<String> names = Scenarios.all().stream().map(Scenario::name).toList();
        assertTrue(names.contains("handshake"), names::toString);
        assertEquals(names.stream().sorted().toList(), names);
        assertTrue(Scenarios.find("handshake").isPresent());
        assertTrue(Scenarios.find("no-such-scenario").isEmpty());
    }

    @Test
    void optionsAreChecked() {
        ScenarioOptions d = ScenarioOptions.defaults();
        assertEquals(Duration.ofMillis(100), d.rtt());
        assertEquals(0.0, d.loss());
        assertThrows(IllegalArgumentException.class,
                () -> new ScenarioOptions(Duration.ofMillis(-1), 0, 1, null, false, new Sysctls()));
        assertThrows(IllegalArgumentException.class,
                () -> new ScenarioOptions(Duration.ZERO, 1.5, 1, null, false, new Sysctls()));
        assertThrows(IllegalArgumentException.class,
                () -> new ScenarioOptions(Duration.ZERO, Double.NaN, 1, null, false, new Sysctls()));
    }
}
