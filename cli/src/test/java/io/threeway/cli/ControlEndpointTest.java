package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.NetstatFormatter;
import io.threeway.tools.NstatFormatter;
import io.threeway.tools.SsFilter;
import io.threeway.tools.SsFormatter;
import io.threeway.tools.SsOptions;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools against a running stack's control socket, in this process: a server stack in the simulator with
 * listeners, an overflowing accept queue and connections in several states, its snapshot served by a
 * {@link ControlEndpoint}, and the CLI's output compared line for line with the formatters' for that snapshot.
 */
class ControlEndpointTest {

    static HostSnapshot snapshot;

    @BeforeAll
    static void serverWithSomeHistory() {
        try (Network net = new Network(7)) {
            Stack client = net.host("client");
            Stack server = net.host("server");
            net.link(client, "198.18.0.1", server, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener web = server.listen(IpAddress.ANY4, 80, 2, new ConnectionOptions(), false);
            server.listen(IpAddress.ANY4, 7, 16, new ConnectionOptions(), false);
            List<TcpConnection> conns = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                conns.add(client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), net.now()));
            }
            net.sim().runFor(Duration.ofMillis(100));
            web.accept().close(net.now()); // the server closes first: FIN-WAIT-2, then TIME-WAIT when the client closes
            net.sim().runFor(Duration.ofMillis(50));
            conns.getFirst().close(net.now());
            net.sim().runFor(Duration.ofMillis(50));
            snapshot = HostSnapshot.of(server, net.now());
        }
        assertTrue(snapshot.counters().get(Counter.LISTEN_OVERFLOWS) > 0, "the accept queue overflowed");
        assertTrue(snapshot.sockets().stream().anyMatch(s -> s.state().ssName().equals("TIME-WAIT")), "a TIME-WAIT");
    }

    @TempDir
    static Path dir;
    static Path socket;
    static ControlEndpoint endpoint;
    static final AtomicInteger snapshotsTaken = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        socket = dir.resolve("run/threeway/server.sock"); // the directories are created
        endpoint = ControlEndpoint.start(socket, () -> {
            snapshotsTaken.incrementAndGet();
            return snapshot;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        endpoint.close();
        assertFalse(Files.exists(socket), "close() removes the socket file");
    }

    static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    static Run tool(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--control");
        all.add(socket.toString());
        Run r = Run.of(all.toArray(String[]::new));
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    @Test
    void ssPrintsWhatTheFormatterPrintsForTheSameSnapshot() {
        assertEquals(text(SsFormatter.format(snapshot, SsOptions.tan(), SsFilter.NONE)), tool("ss", "-tan").out());
        assertEquals(text(SsFormatter.format(snapshot, new SsOptions(false, false, false, false, false, true, false, false),
                SsFilter.NONE)), tool("ss", "-s").out());
        String timeWait = tool("ss", "-tano", "state", "time-wait").out();
        assertEquals(text(SsFormatter.format(snapshot, new SsOptions(true, false, true, false, true, false, false, false),
                SsFilter.parse(List.of("state", "time-wait")))), timeWait);
        assertEquals(2, timeWait.lines().count(), timeWait);
        assertTrue(timeWait.contains("timer:(timewait,"), timeWait);
        assertEquals(text(SsFormatter.format(snapshot, new SsOptions(false, true, true, false, false, false, false, false),
                SsFilter.NONE)), tool("ss", "-tln").out());
    }

    @Test
    void nstatAndNetstatPrintWhatTheFormattersPrint() {
        List<String> all = NstatFormatter.format(snapshot.counters(), null, 0, true, true);
        String overflows = tool("nstat", "-az", "TcpExtListenOverflows").out();
        assertEquals(text(List.of(all.get(0), all.stream().filter(l -> l.startsWith("TcpExtListenOverflows ")).findFirst()
                .orElseThrow())), overflows);
        assertTrue(overflows.matches("#kernel\nTcpExtListenOverflows +[1-9]\\d* +0\\.0\n"), overflows);
        assertEquals(text(all), tool("nstat", "-az").out());
        assertEquals(text(NstatFormatter.format(snapshot.counters(), null, 0, false, false)), tool("nstat").out());
        assertEquals(text(NetstatFormatter.format(snapshot.counters())), tool("netstat", "-s").out());
    }

    @Test
    void aRefusedRequestIsOneErrorLine() throws IOException {
        int before = snapshotsTaken.get();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControlClient.ask(socket, "top -b"));
        assertEquals("unknown tool 'top' (offered: ss, nstat, netstat)", e.getMessage());
        for (String bad : new String[] {"", "ss --bogus", "ss -tan state nowhere", "netstat", "nstat --since 1s",
                "ss --scenario handshake", "ss --help"}) {
            assertThrows(IllegalArgumentException.class, () -> ControlClient.ask(socket, bad), bad);
        }
        assertEquals(before, snapshotsTaken.get(), "a refused request takes no snapshot");
    }

    @Test
    void errorsAreOneLineAndANonZeroStatus(@TempDir Path elsewhere) {
        Run none = Run.of("ss", "-tan", "--control", elsewhere.resolve("none.sock").toString());
        ToolsCliTest.assertOneLineError(none, 1, "no control socket at " + elsewhere.resolve("none.sock"));
        assertEquals(1, none.errLines().size(), none::toString);
        Run both = Run.of("ss", "-tan", "--control", socket.toString(), "--scenario", "handshake");
        ToolsCliTest.assertOneLineError(both, 2, "--scenario and --control name two different stacks: give one");
        Run neither = Run.of("nstat", "-az");
        ToolsCliTest.assertOneLineError(neither, 2, "no stack to show: give --scenario NAME, or --control SOCKET");
        ToolsCliTest.assertOneLineError(Run.of("ss", "-tan", "--at", "1s", "--control", socket.toString()), 2,
                "--at goes with --scenario, not with --control");
        ToolsCliTest.assertOneLineError(Run.of("nstat", "--since", "1s", "--control", socket.toString()), 2,
                "--since goes with --scenario, not with --control");
        ToolsCliTest.assertOneLineError(Run.of("netstat", "--control", socket.toString()), 2, "only 'netstat -s' is offered");
        for (Run r : List.of(both, neither)) assertEquals(1, r.errLines().size(), r::toString);
    }

    @Test
    void aStaleSocketFileIsReplacedALiveOneAndOtherFilesAreNot(@TempDir Path d) throws IOException {
        Path stale = d.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // closing a UNIX socket leaves its file behind
        }
        assertTrue(Files.exists(stale));
        try (ControlEndpoint e = ControlEndpoint.start(stale, () -> snapshot)) {
            assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(stale));
            assertEquals(text(NetstatFormatter.format(snapshot.counters())),
                    text(ControlClient.ask(stale, "netstat -s")));
        }
        IOException live = assertThrows(IOException.class, () -> ControlEndpoint.start(socket, () -> snapshot));
        assertTrue(live.getMessage().contains("is in use"), live.getMessage());
        assertTrue(Files.exists(socket), "the live endpoint's file stays");
        Path file = Files.writeString(d.resolve("notes.txt"), "keep me");
        IOException other = assertThrows(IOException.class, () -> ControlEndpoint.start(file, () -> snapshot));
        assertTrue(other.getMessage().contains("is not a socket"), other.getMessage());
        assertEquals("keep me", Files.readString(file));
    }
}
