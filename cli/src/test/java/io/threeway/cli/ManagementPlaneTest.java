package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.host.Stack;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.MetricsEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management plane against hostile local clients: the metrics endpoint answers while another client holds a
 * half-sent request, the control socket answers after 20,000 idle clients came and went, reads no file for
 * {@code ss @/etc/passwd}, refuses a flood over its rate, and the errors of {@code serve} name their cause.
 */
class ManagementPlaneTest {
    static final Supplier<HostSnapshot> SNAPSHOT = () -> HostSnapshot.of(new Stack("s", 1), 0);

    @Test
    void metricsAnswerWhileAClientHoldsAHalfSentRequest() throws Exception {
        try (MetricsEndpoint m = MetricsEndpoint.start(0, SNAPSHOT);
             Socket stuck = new Socket(InetAddress.getLoopbackAddress(), m.port())) {
            stuck.getOutputStream().write("GET /metr".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) assertTrue(scrape(m.port()).startsWith("HTTP/1.1 200 OK\r\n"));
        }
    }

    static String scrape(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** issue 16: a metrics port in use says which port. */
    @Test
    void aMetricsPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class, () -> MetricsEndpoint.start(taken.getLocalPort(), SNAPSHOT));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    /** 20,000 idle clients connect (more than the file table of some systems allows at once) and go; then it answers. */
    @Test
    void theControlSocketAnswersAfter20000IdleClients(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("c.sock");
        try (ControlEndpoint c = ControlEndpoint.start(sock, SNAPSHOT)) {
            for (int round = 0; round < 20; round++) {
                List<SocketChannel> idle = new ArrayList<>();
                for (int i = 0; i < 1000; i++) idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
                for (SocketChannel s : idle) s.close();
                assertFalse(ControlClient.ask(sock, "nstat -az").isEmpty(), "answers after 1,000 idle clients went");
            }
            assertTrue(ControlClient.ask(sock, "ss -tan").getFirst().startsWith("State"));
        }
    }

    /** picocli's @file expansion is off: "@/etc/passwd" is a word, refused, and no line of the file comes back. */
    @Test
    void atFileReadsNoFile(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("c.sock");
        try (ControlEndpoint c = ControlEndpoint.start(sock, SNAPSHOT)) {
            String reply = raw(sock, "ss @/etc/passwd\n");
            assertTrue(reply.startsWith(ControlEndpoint.ERROR), reply);
            assertFalse(reply.contains("root:"), reply);
            assertEquals(1, reply.lines().count(), reply);
        }
    }

    /** The control socket's token bucket: a burst passes, the next is refused, a second later 50 more pass. */
    @Test
    void theRateLimitLetsABurstThroughThenTheRate() {
        ControlRateLimit r = new ControlRateLimit(ControlRateLimit.PER_SECOND, ControlRateLimit.BURST);
        int passed = 0;
        for (int i = 0; i < 1000; i++) if (r.tryAcquire(0)) passed++;
        assertEquals(ControlRateLimit.BURST, passed);
        passed = 0;
        for (int i = 0; i < 1000; i++) if (r.tryAcquire(1_000_000_000L)) passed++;
        assertEquals(ControlRateLimit.PER_SECOND, passed);
    }

    static String raw(Path sock, String request) throws IOException {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            s.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            s.shutdownOutput();
            return new String(java.nio.channels.Channels.newInputStream(s).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** issue 16: a control path whose directory cannot be made names that directory and why. */
    @Test
    void anImpossibleControlDirectoryIsNamedWithItsReason() {
        IOException e = assertThrows(IOException.class, () -> ControlEndpoint.start(Path.of("/proc/nope/x.sock"), SNAPSHOT));
        assertEquals("cannot create the directory /proc/nope for the control socket /proc/nope/x.sock: No such file or "
                + "directory", e.getMessage(), "the reason as mkdir(1) words it");
    }

    /** issue 16: a port out of range is refused before anything starts, with the option's name. */
    @Test
    void servePortsOutOfRangeAreNamed() {
        Run r = Run.of("serve", "--tun", "twbad0", "--addr", "198.18.0.2/15", "--http", "70000");
        ToolsCliTest.assertOneLineError(r, 2, "--http 70000: a port is 1 to 65535");
        Run m = Run.of("serve", "--tun", "twbad0", "--addr", "198.18.0.2/15", "--metrics", "-1");
        ToolsCliTest.assertOneLineError(m, 2, "--metrics -1: a port is 0 to 65535");
    }
}
