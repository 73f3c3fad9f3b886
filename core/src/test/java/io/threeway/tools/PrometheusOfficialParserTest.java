package io.threeway.tools;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus output read by Prometheus' own client library's text-format parser (the Python client,
 * prometheus_client.parser, from Debian's python3-prometheus-client; the Java client only writes the format).
 * Skips when that parser is not installed (CI installs it).
 */
class PrometheusOfficialParserTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String PARSE = String.join("\n",
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
            "        print(family.type, s.name + ('{' + labels + '}' if labels else ''), repr(float(s.value)))");

    private static boolean parserAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import prometheus_client.parser").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void prometheusOwnParserReadsEveryMetricWithItsValue() throws Exception {
        assumeTrue(parserAvailable(), "Prometheus' text-format parser (python3-prometheus-client) is not installed");
        String text = PrometheusFormatter.format(ToolFormatsTest.sample());
        Process p = new ProcessBuilder(PYTHON, "-c", PARSE).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the parser rejected the text: " + err + "\n" + text);
        Map<String, String> samples = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            samples.put(f[1], f[0] + " " + f[2]);
        }
        // "# TYPE ... untyped" in the text format is the parser's "unknown" (the OpenMetrics name for it).
        assertEquals("unknown 12.0", samples.get("node_netstat_TcpExt_ListenOverflows"), out);
        assertEquals("unknown 1.0", samples.get("node_netstat_Tcp_CurrEstab"), out);
        long sampleLines = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        assertEquals(sampleLines, samples.size(), "every sample line was read as one sample");
    }
}
