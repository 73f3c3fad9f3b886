package io.threeway.junit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.threeway.api.Host;
import io.threeway.api.Network;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The extension: hosts by parameter, and a failed test's report and pcap. */
class ThreewayExtensionTest {

    @Test
    void aFailedTestCarriesTheSocketTablesTcpdumpLinesAndAPcap(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        System.setProperty("threeway.pcapDir", dir.toString());
        try {
            List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
                    .testEvents().failed().list();
            assertEquals(1, failed.size());
            Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertEquals("expected: <2> but was: <1>", t.getMessage());
            String report = t.getSuppressed()[0].getMessage();
            assertTrue(report.contains("$ ss -tano   # on client (198.18.0.1)"), report);
            assertTrue(report.contains("ESTAB"), report);
            assertTrue(report.contains("Flags [S]"), report);
            Path pcap = dir.resolve(Sample.class.getName()).resolve("failsAfterAnExchange.pcap");
            assertTrue(report.contains("pcap written to " + pcap.toAbsolutePath()), report);
            assertTrue(Files.size(pcap) > 24, "a pcap with packets");
        } finally {
            System.clearProperty("threeway.pcapDir");
        }
    }

    @Test
    void hostsComeByParameterNameOrAnnotation() {
        List<Event> passed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
                .testEvents().succeeded().list();
        assertEquals(1, passed.size());
    }

    /** Run by the tests above through the test kit, not on its own. */
    @ThreewayTest(seed = 7)
    static class Sample {
        @Test
        void exchanges(Network net, Host client, @HostName("api.test") Host server) {
            assertEquals(7, net.seed());
            assertEquals("client", client.name());
            assertEquals("api.test", server.name());
            assertSame(server, net.host("api.test"));
        }

        @Test
        void failsAfterAnExchange(Network net, Host client, @HostName("api.test") Host server) throws Exception {
            net.link(client, server).rtt(Duration.ofMillis(30));
            ServerSocket ss = server.listen(80);
            Socket s = client.connect("api.test", 80);
            Socket accepted = ss.accept();
            s.getOutputStream().write(1);
            assertEquals(2, accepted.getInputStream().read());
        }
    }
}
