package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.threeway.lab.LabJson;
import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every scenario's {@code --json} follows the lab's one report schema: the golden reports of every scenario
 * (seeds 1 and 2, from their runs), runs with options changed, and a few broken documents the schema must refuse.
 */
class ReportSchemaTest {
    private static final Schema SCHEMA = load();

    private static Schema load() {
        try (InputStream in = LabJson.class.getResourceAsStream(LabJson.SCHEMA)) {
            assertNotNull(in, LabJson.SCHEMA);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> errors(JsonNode doc) {
        return SCHEMA.validate(doc).stream().map(Error::toString).toList();
    }

    static List<String> errors(String json) {
        return errors(LabJson.MAPPER.readTree(json));
    }

    @Test
    void everyScenariosGoldenReportFollowsTheSchema() throws Exception {
        Path golden = Path.of("src/test/resources/golden");
        List<Path> files;
        try (Stream<Path> s = Files.list(golden)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Scenario sc : Scenarios.all()) {
            assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith(sc.name() + ".")),
                    "a golden report of " + sc.name());
        }
        for (Path p : files) {
            JsonNode doc = LabJson.MAPPER.readTree(Files.readString(p));
            assertEquals(List.of(), errors(doc), p.toString());
        }
    }

    @Test
    void aRunWithOptionsChangedFollowsTheSchemaAndRecordsThem() {
        Run r = Run.of("lab", "syn-retries", "--json", "--seed", "7", "--sysctl", "net.ipv4.tcp_syn_retries=3");
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of(), errors(r.out()));
        JsonNode doc = LabJson.MAPPER.readTree(r.out());
        assertEquals(7, doc.at("/options/seed").asLong());
        assertEquals("3", doc.at("/options/sysctls/net.ipv4.tcp_syn_retries").asString());
        JsonNode linear = doc.at("/results/0/figures");
        assertEquals("SYNs left at", linear.at("/syns_left_at/label").asString());
        assertTrue(linear.at("/syns_left_at/value").isArray(), "a list of times is an array of seconds");
        assertEquals("s", linear.at("/connect_failed_at/unit").asString());
    }

    @Test
    void theSchemaRefusesWhatBreaksTheShape() {
        ObjectNode good = (ObjectNode) LabJson.MAPPER.readTree(Run.of("lab", "syn-retries", "--json").out());
        assertEquals(List.of(), errors(good));
        ObjectNode ms = good.deepCopy();
        ((ObjectNode) ms.at("/results/0/figures/connect_failed_at")).put("unit", "ms");
        assertFalse(errors(ms).isEmpty(), "durations are in seconds");
        ObjectNode camel = good.deepCopy();
        ((ObjectNode) camel.at("/results/0/figures")).set("connectFailedAt", camel.at("/results/0/figures/connect_failed_at"));
        assertFalse(errors(camel).isEmpty(), "keys are snake case");
        ObjectNode extra = good.deepCopy();
        extra.put("rtt_ns", 1);
        assertFalse(errors(extra).isEmpty(), "no key outside the schema");
        ObjectNode missing = good.deepCopy();
        missing.remove("options");
        assertFalse(errors(missing).isEmpty());
    }
}
