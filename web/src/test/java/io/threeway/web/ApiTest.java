package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void theSynAckOfACookieRunIsExplainedAsACookie() throws Exception {
        try (LabServer s = LabServer.start(0)) {
            HttpResponse<String> r = get(s, "/api/run?scenario=backlog-overflow&clients=8&backlog=1");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode run = Json.MAPPER.readTree(r.body());
            int id = run.path("id").asInt();
            int cookies = 0;
            int plain = 0;
            JsonNode packets = run.path("variants").get(0).path("packets");
            for (JsonNode p : packets) {
                if (!"S.".equals(p.path("fl").asString())) continue;
                JsonNode d = Json.MAPPER.readTree(get(s, "/api/runs/" + id + "/packet?v=0&i=" + p.path("i").asInt()).body());
                boolean cookie = false;
                for (JsonNode e : d.path("explain")) cookie |= e.path("text").asString().contains("is a SYN cookie");
                if (cookie) cookies++;
                else plain++;
            }
            assertTrue(cookies > 0, "a listener past its backlog answers with SYN cookies, and the inspector says so");
            assertTrue(plain > 0, "the SYN-ACKs of connections in the SYN queue are not called cookies");
        }
    }
}
