package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import io.threeway.lab.record.RecordLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The JSON API without a browser: bad input answers 400 with a clear message, and the server keeps serving. */
class ApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(LabServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRunTooLargeForItsLimitsIsRefusedClearlyAndTheServerGoesOn() throws Exception {
        try (LabServer s = LabServer.start(0, new RecordLimits(20, 1 << 20, 1000, 60_000_000_000L), null)) {
            HttpResponse<String> r = get(s, "/api/run?scenario=window-scaling&bandwidth=10mbit&duration=2s&measure-from=1s");
            assertEquals(400, r.statusCode());
            String error = Json.MAPPER.readTree(r.body()).path("error").asString();
            assertTrue(error.startsWith("run too large to record: the run sent more than 20 packets"), error);
            HttpResponse<String> ok = get(s, "/api/scenarios");
            assertEquals(200, ok.statusCode(), "still serving");
        }
    }

    @Test
    void theCatalogueGivesEachRefusedFieldItsScenariosReason() throws Exception {
        try (LabServer s = LabServer.start(0)) {
            JsonNode scenarios = Json.MAPPER.readTree(get(s, "/api/scenarios").body()).path("scenarios");
            int refused = 0;
            for (JsonNode sc : scenarios) {
                Scenario scenario = Scenarios.find(sc.path("name").asString()).orElseThrow();
                for (JsonNode f : sc.path("fields")) {
                    String name = f.path("name").asString();
                    String why = scenario.refusedOptions().get(name);
                    if (why == null) {
                        assertTrue(f.path("refused").isNull(), scenario.name() + " takes " + name + ": " + f);
                    } else {
                        assertEquals(why, f.path("refused").asString(), scenario.name() + " " + name);
                        assertEquals("", f.path("default").asString(), "a refused field has no default to show");
                        refused++;
                    }
                }
            }
            assertTrue(refused >= 8, "syn-retries alone refuses every path option: " + refused);
        }
    }

    @Test
    void notAPcapAndUnknownThingsAre400s() throws Exception {
        try (LabServer s = LabServer.start(0)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/pcap?name=notes.txt"))
                    .POST(HttpRequest.BodyPublishers.ofString("just text")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("notes.txt is not a pcap file"), r.body());
            assertEquals(400, get(s, "/api/runs/999").statusCode());
            assertEquals(400, get(s, "/api/live").statusCode(), "no live stack without serve --ui");
            assertEquals(404, get(s, "/../../etc/passwd").statusCode());
            HttpResponse<String> page = get(s, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        }
    }

    @Test
    void theSynAckOfACookieRunIsDecodedWithTheServersSecrets() throws Exception {
        try (LabServer s = LabServer.start(0)) {
            HttpResponse<String> r = get(s, "/api/run?scenario=backlog-overflow&clients=8&backlog=1");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode run = Json.MAPPER.readTree(r.body());
            int id = run.path("id").asInt();
            JsonNode v = run.path("variants").get(0);
            java.util.Set<Integer> cookies = new java.util.HashSet<>();
            for (JsonNode c : v.path("cookies")) cookies.add(c.asInt());
            int plain = 0;
            int checked = 0;
            JsonNode flags = v.path("packets").path("fl");
            for (int i = 0; i < flags.size(); i++) {
                if (flags.get(i).asInt() != 0x12) continue;
                JsonNode d = Json.MAPPER.readTree(get(s, "/api/runs/" + id + "/packet?v=0&i=" + i).body());
                String text = "";
                for (JsonNode e : d.path("explain")) text += e.path("text").asString() + "\n";
                assertEquals(cookies.contains(i), text.contains("is a SYN cookie"), "packet " + i + ": " + text);
                if (!cookies.contains(i)) {
                    plain++;
                    continue;
                }
                // ISN = H1 + client's ISN + (count << 24) + ((H2 + index) mod 2^24): the decoded parts add up.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("ISN (\\d+) = H1 0x([0-9a-f]{8}) .*?"
                        + "client's ISN (\\d+) \\+ \\(count (\\d+) << 24\\) \\+ \\(\\(H2 0x([0-9a-f]{8}) .*?MSS index"
                        + " (\\d+)\\)").matcher(text);
                assertTrue(m.find(), text);
                long sum = Long.parseLong(m.group(2), 16) + Long.parseLong(m.group(3)) + (Long.parseLong(m.group(4)) << 24)
                        + ((Long.parseLong(m.group(5), 16) + Long.parseLong(m.group(6))) & 0xFFFFFF);
                assertEquals(Long.parseLong(m.group(1)), sum & 0xFFFFFFFFL, "the parts add up to the cookie: " + text);
                assertTrue(text.contains("stands for MSS 1460"), "the client's MSS 1460 is the table's last: " + text);
                java.util.regex.Matcher ts = java.util.regex.Pattern.compile("= window scale (\\w+) .*?SACK ([a-z ]+) "
                        + "\\(bit 4\\).*?The SYN offered window scale (\\w+) and SACK ([a-z ]+)\\.").matcher(text);
                assertTrue(ts.find(), "the options in TSval's low bits: " + text);
                assertEquals(ts.group(3), ts.group(1), "TSval carries the SYN's window scale: " + text);
                assertEquals(ts.group(4), ts.group(2), "and its SACK permission: " + text);
                checked++;
            }
            assertTrue(checked > 0, "a listener past its backlog answers with SYN cookies, and the inspector decodes them");
            assertTrue(plain > 0, "the SYN-ACKs of connections in the SYN queue are not called cookies");
            // The ACK that brings a cookie back is checked as the server checks it.
            boolean returned = false;
            for (int i = 0; i < flags.size() && !returned; i++) {
                if (flags.get(i).asInt() != 0x10) continue;
                JsonNode d = Json.MAPPER.readTree(get(s, "/api/runs/" + id + "/packet?v=0&i=" + i).body());
                for (JsonNode e : d.path("explain")) {
                    String t = e.path("text").asString();
                    if (t.contains("brings the SYN cookie back")) {
                        assertTrue(t.contains("age 0 < 2 minutes") && t.contains("valid, so the server creates the"
                                + " connection now with MSS 1460"), t);
                        returned = true;
                    }
                }
            }
            assertTrue(returned, "some client's ACK returned a cookie");
        }
    }

    @Test
    void aRunsLinesComeInChunksAndLargeAnswersAreCompressed() throws Exception {
        try (LabServer s = LabServer.start(0)) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(s.url()
                    + "api/run?scenario=window-scaling&bandwidth=10mbit&duration=1500ms&measure-from=500ms"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
            byte[] json = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
            JsonNode run = Json.MAPPER.readTree(json);
            JsonNode v = run.path("variants").get(1);
            int n = v.path("packets").path("n").asInt();
            int chunk = v.path("lineChunk").asInt();
            assertTrue(n > 2 * chunk, "a run of several chunks: " + n);
            assertEquals(chunk, v.path("lines0").size(), "the first chunk comes with the model");
            int all = n + run.path("variants").get(0).path("packets").path("n").asInt();
            long lines = Json.bytes(v.path("lines0")).length + Json.bytes(run.path("variants").get(0).path("lines0")).length;
            // The object-per-row encoding took ~330 bytes a packet; the columns take under half (the first chunk
            // of tcpdump lines, ~150 bytes each, aside).
            assertTrue(json.length - lines < all * 150, "compact: " + (json.length - lines) + " bytes for " + all + " packets");
            assertTrue(r.body().length < all * 40, "and compressed: " + r.body().length + " bytes");
            JsonNode next = Json.MAPPER.readTree(get(s, "/api/runs/" + run.path("id").asInt() + "/lines?v=1&from=" + chunk).body());
            assertEquals(chunk, next.path("from").asInt());
            assertEquals(chunk, next.path("lines").size());
            JsonNode one = Json.MAPPER.readTree(get(s, "/api/runs/" + run.path("id").asInt() + "/packet?v=1&i=" + (chunk + 5)).body());
            assertEquals(one.path("line").asString(), next.path("lines").get(5).asString(), "the same line as the inspector's");
        }
    }
}
