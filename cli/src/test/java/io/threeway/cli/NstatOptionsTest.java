package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.LabJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** nstat's --since and -j on a scenario: honoured, where --since used to be ignored and --json printed text. */
class NstatOptionsTest {

    @Test
    void sinceGivesTheIncrementsAndTheirRate() {
        Run all = Run.of("nstat", "--scenario", "close-wait-leak", "--at", "3s", "--host", "server", "TcpPassiveOpens");
        Run since = Run.of("nstat", "--scenario", "close-wait-leak", "--since", "1s", "--at", "3s", "--host", "server",
                "TcpPassiveOpens");
        assertEquals(0, since.status(), since::toString);
        // a request every 100 ms: 30 by 3 s, 20 of them after 1 s, 10 a second
        assertEquals("TcpPassiveOpens                 30                 0.0", all.outLines().get(1), all::toString);
        assertEquals("TcpPassiveOpens                 20                10.0", since.outLines().get(1), since::toString);
        // the same as the lab's side gives
        Run lab = Run.of("lab", "run", "close-wait-leak", "--at", "3s", "--host", "server", "--nstat", "--since 1s TcpPassiveOpens");
        assertEquals(since.out(), lab.out());
    }

    @Test
    void jsonIsNstatsDocument() {
        Run r = Run.of("nstat", "-j", "--scenario", "handshake", "--host", "client", "TcpActiveOpens", "TcpOutSegs");
        assertEquals(0, r.status(), r::toString);
        JsonNode doc = LabJson.MAPPER.readTree(r.out());
        assertEquals(1, doc.at("/kernel/TcpActiveOpens").asLong());
        assertTrue(doc.at("/kernel/TcpOutSegs").asLong() > 1, r::toString);
        assertEquals(2, doc.get("kernel").size());
        JsonNode both = LabJson.MAPPER.readTree(Run.of("nstat", "--json", "--scenario", "handshake", "TcpActiveOpens").out());
        assertEquals(1, both.at("/client/kernel/TcpActiveOpens").asLong(), "several hosts: one document by host");
    }
}
