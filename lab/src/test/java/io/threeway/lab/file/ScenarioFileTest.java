package io.threeway.lab.file;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.Findings;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.ScenarioOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Scenario files: every mistake named with its line; the examples run; their figures come out of the run. */
class ScenarioFileTest {
    static final Path EXAMPLES = Path.of("../docs/scenarios");

    static final String GOOD = """
            hosts:
              client:
              server:
            links:
              - ends: {client: 198.18.0.1, server: 198.18.0.2}
                rtt: 20ms
            apps:
              - on: server
                run: echo-server
              - on: client
                run: echo-client
                to: server:7
                messages: 5
                every: 100ms
            """;

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            hosts:\\n  client:\\nlinks: []\\nfoo: 1                                   | t.yaml:4: foo: unknown key 'foo' here; expected one of apps, capture, description, duration, hosts, links, name
            hosts:\\n  client:\\nlinks:\\n  - ends: {client: 198.18.0.1, nobody: 198.18.0.2} | t.yaml:4: links[0].ends.nobody: no host named 'nobody'; hosts: [client]
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\n    loss: 2       | t.yaml:6: links[0].loss: 
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.1.2}                   | t.yaml:5: links[0].ends: 198.18.0.1 and 198.18.1.2 are not on one subnet
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 300.1.1.1}                    | t.yaml:5: links[0].ends.b: '300.1.1.1' is not an IP address
            hosts:\\n  a:\\n    sysctls:\\n      net.ipv4.tcp_nosuch: 1\\nlinks: []                   | t.yaml:4: hosts.a.sysctls.net.ipv4.tcp_nosuch: 
            hosts:\\n  a:\\n    sysctls:\\n      net.ipv4.tcp_congestion_control: bbr\\nlinks: []     | t.yaml:4: hosts.a.sysctls.net.ipv4.tcp_congestion_control: 
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\napps:\\n  - on: a\\n    run: web-server | t.yaml:8: apps[0].run: unknown application 'web-server'; expected one of [http-server, echo-server, sink, http-client, echo-client, bulk-send, idle]
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\napps:\\n  - on: a\\n    run: http-client | t.yaml:7: apps[0]: missing 'to' (the server, HOST:PORT)
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\napps:\\n  - on: a\\n    run: http-client\\n    to: b:70000 | t.yaml:9: apps[0].to: port 70000 is out of range (1 to 65535)
            hosts:\\n  a:\\n  b:\\n  c:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\napps:\\n  - on: a\\n    run: idle\\n    to: c:80 | t.yaml:10: apps[0].to: 'a' and 'c' share no link: add one under 'links'
            hosts:\\n  a:\\n  b:\\nlinks:\\n  - ends: {a: 198.18.0.1, b: 198.18.0.2}\\napps:\\n  - on: a\\n    run: sink\\n    prot: 9 | t.yaml:9: apps[0].prot: unknown key 'prot' here; expected one of backlog, close-without-reading, on, port, run, stop-reading-at
            hosts:\\n  a:\\n  a:\\nlinks: []                                                          | t.yaml:3: hosts: 'a' is given twice (first on line 2)
            hosts:\\n  a:\\n links: [                                                           | t.yaml:
            duration: soon\\nhosts:\\n  a:\\nlinks: []                                          | t.yaml:1: duration: 'soon' is not a duration
            """)
    void mistakesAreNamedWithTheirLine(String text, String expected) {
        FileError e = assertThrows(FileError.class, () -> ScenarioFile.parse("t.yaml", text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(expected.strip()), e.getMessage());
    }

    @Test
    void aGoodFileRunsAndItsFiguresComeFromTheRun() {
        Findings fast = new FileScenario(ScenarioFile.parse("t.yaml", GOOD)).findings(ScenarioOptions.defaults());
        Findings slow = new FileScenario(ScenarioFile.parse("t.yaml", GOOD.replace("rtt: 20ms", "rtt: 60ms")))
                .findings(ScenarioOptions.defaults());
        assertEquals(5, fast.number("client: echo-client", "echoes received"));
        assertEquals(20, fast.number("client: echo-client", "latency, mean"), 0.5, "one RTT per echo");
        assertEquals(60, slow.number("client: echo-client", "latency, mean"), 0.5);
        assertEquals(500, fast.number("server: echo-server", "bytes read"));
        assertEquals(0, fast.number("client: echo-client", "errors"));
    }

    @Test
    void theCommandLinesPathFillsWhatALinkLeavesAndIsRefusedWhereEveryLinkSetsIt() {
        FileScenario s = new FileScenario(ScenarioFile.parse("t.yaml", GOOD));
        var e = assertThrows(OptionException.OptionsException.class, () -> LabOptions.build(s, List.of("rtt=5ms")));
        assertTrue(e.getMessage().contains("every link of t.yaml sets 'rtt': change it there"), e.getMessage());
        ScenarioOptions lossy = LabOptions.build(s, List.of("loss=30%", "seed=3"));
        Findings f = s.findings(lossy);
        assertTrue(f.number("link client -> server", "lost") + f.number("link server -> client", "lost") > 0);
        assertTrue(f.number("client: echo-client", "latency, 99th percentile") > 100, "a loss costs an RTO");
    }

    @Test
    void ipv6MapsTheFilesAddresses() {
        FileScenario s = new FileScenario(ScenarioFile.parse("t.yaml", GOOD));
        Findings f = s.findings(ScenarioOptions.defaults().withIpv6(true));
        assertEquals(5, f.number("client: echo-client", "echoes received"));
    }

    @Test
    void theSlowReaderExampleStallsWhereItStopsReading() throws Exception {
        ScenarioFile file = ScenarioFile.load(EXAMPLES.resolve("slow-reader.yaml"));
        Findings early = new FileScenario(file).findings(ScenarioOptions.defaults());
        String later = Files.readString(EXAMPLES.resolve("slow-reader.yaml")).replace("stop-reading-at: 2s", "stop-reading-at: 4s");
        Findings late = new FileScenario(ScenarioFile.parse("slow-reader.yaml", later)).findings(ScenarioOptions.defaults());
        double a = early.number("server: sink", "bytes read"), b = late.number("server: sink", "bytes read");
        assertTrue(a > 1_000_000 && b > 1.5 * a, a + " then " + b);
        assertEquals(0, early.number("client: bulk-send", "transfers complete"), "the upload never ends");
        assertEquals(0, early.number("host server", "OutRsts"), "the sink holds its connection");
    }

    @Test
    void everyExampleRunsWithoutErrors() throws Exception {
        try (var files = Files.list(EXAMPLES)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
                Findings f = new FileScenario(ScenarioFile.load(p)).findings(ScenarioOptions.defaults());
                assertTrue(f.text().contains("connections"), p.toString());
            }
        }
    }
}
