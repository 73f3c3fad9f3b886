package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.LabJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code threeway lab run --file}: a scenario of the user's own, with the built-in scenarios' options and outputs. */
class LabFileCliTest {
    static final String EXAMPLE = "../docs/scenarios/slow-reader.yaml";

    @Test
    void aFileRunsWithTheToolsJsonAndPcap(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("f.pcap");
        Run r = Run.of("lab", "run", "--file", EXAMPLE, "--json", "--pcap", pcap.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of(), ReportSchemaTest.errors(r.out()));
        JsonNode doc = LabJson.MAPPER.readTree(r.out());
        assertEquals("slow-reader", doc.at("/scenario").asString());
        assertTrue(Files.size(pcap) > 1000, "the capture was written");
        Run ss = Run.of("lab", "run", "--file", EXAMPLE, "--at", "5s", "--ss", "-tn", "--host", "client");
        assertEquals(0, ss.status(), ss::toString);
        assertTrue(ss.out().contains("198.18.0.1:") && ss.out().contains("198.18.0.2:9"), ss::toString);
        Run v6 = Run.of("lab", "run", "--file", EXAMPLE, "-6", "--at", "5s", "--ss", "-tn", "--host", "server");
        assertTrue(v6.out().contains("[2001:db8::2]:9"), v6::toString);
    }

    @Test
    void aBadFileIsOneLineWithItsLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "hosts:\n  a:\n  b:\nlinks:\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\n    rtt: 50xs\n");
        Run r = Run.of("lab", "run", "--file", bad.toString());
        assertEquals(2, r.status(), r::toString);
        assertEquals("threeway: bad.yaml:6: links[0].rtt: '50xs' is not a duration: write a number and a unit (ns, us, ms, s, m, h), "
                + "e.g. 100ms, 1.5s or 250us", r.err().strip());
        Run missing = Run.of("lab", "run", "--file", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.status(), missing::toString);
        assertTrue(missing.err().contains("nope.yaml: no such file"), missing::toString);
        MainTest.assertUsageError(Run.of("lab", "run"), "missing NAME (see 'threeway lab list') or --file FILE.yaml");
    }

    @Test
    void anOptionEveryLinkSetsIsRefusedAndOthersApply() {
        MainTest.assertUsageError(Run.of("lab", "run", "--file", EXAMPLE, "--rtt", "5ms"),
                "--rtt: scenario 'slow-reader' refuses it: every link of slow-reader.yaml sets 'rtt': change it there");
        Run lossy = Run.of("lab", "run", "--file", EXAMPLE, "--loss", "2%", "--json");
        JsonNode doc = LabJson.MAPPER.readTree(lossy.out());
        long lost = 0;
        for (JsonNode g : doc.at("/results")) if (g.at("/variant").asString().startsWith("link ")) lost += g.at("/figures/lost/value").asLong();
        assertTrue(lost > 0, lossy::toString);
    }
}
