package io.threeway.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.wire.IpAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real scrape over the JVM's loopback of a stack's state, read back by the strict text-format parser. */
class MetricsEndpointTest {

    @Test
    void scrapeShowsTheStacksCountersAndStates() throws Exception {
        try (Network net = new Network(3)) {
            Stack client = net.host("client");
            Stack server = net.host("server");
            net.link(client, "198.18.0.1", server, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = server.listen(IpAddress.ANY4, 80, 8, new ConnectionOptions(), false);
            for (int i = 0; i < 3; i++) client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
            net.sim().runFor(Duration.ofMillis(100));
            assertEquals(3, l.acceptQueueLength());

            try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, () -> HostSnapshot.of(server, net.now()));
                 HttpClient http = HttpClient.newHttpClient()) {
                URI base = URI.create("http://127.0.0.1:" + endpoint.port());
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(PrometheusFormatter.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
                Map<String, PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(r.body());
                assertEquals(3.0, samples.get("node_netstat_Tcp_PassiveOpens").value());
                assertEquals(3.0, samples.get("node_tcp_connection_states{state=\"established\"}").value());
                assertEquals(1.0, samples.get("node_tcp_connection_states{state=\"listen\"}").value());
                assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
    }
}
