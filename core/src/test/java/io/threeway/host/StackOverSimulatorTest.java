package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two stacks over a simulated link: handshake, data, close, refused and timed-out connects. */
class StackOverSimulatorTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Env(Network net, Stack client, Stack server, List<String> trace) {}

    static Env pair(long seed, LinkConfig cfg) {
        Network net = new Network(seed);
        Stack c = net.host("client");
        Stack s = net.host("server");
        net.link(c, "198.18.0.1", s, "198.18.0.2", cfg);
        List<String> trace = new ArrayList<>();
        StackObserver obs = new StackObserver() {
            @Override
            public void transition(Stack st, TcpConnection conn, TcpState from, TcpState to, String cause, long now) {
                trace.add(String.format("%.6f %s %s->%s %s", now / 1e9, st.name(), from, to, cause));
            }
        };
        c.addObserver(obs);
        s.addObserver(obs);
        return new Env(net, c, s, trace);
    }

    @Test
    void handshakeDataAndCloseOverA100msLink() {
        Env e = pair(1, LinkConfig.builder().delay(Duration.ofMillis(50)).build());
        Listener l = e.server.listen(IpAddress.ANY4, 80, 128, new ConnectionOptions(), false);
        TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        e.net.sim().runUntil(() -> l.acceptQueueLength() == 1, 10_000_000_000L);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(150_000_000L, e.net.now(), "SYN, SYN-ACK and ACK: one and a half RTT until the server is established");
        TcpConnection s = l.accept();
        byte[] req = "hello".getBytes();
        assertEquals(5, c.write(req, 0, 5, e.net.now()));
        e.client.userCallDone();
        e.net.sim().runUntil(() -> s.readable() == 5, e.net.now() + 1_000_000_000L);
        byte[] got = new byte[5];
        assertEquals(5, s.read(got, 0, 5, e.net.now()));
        assertArrayEquals(req, got);
        c.close(e.net.now());
        e.client.userCallDone();
        e.net.sim().runUntil(() -> s.state() == TcpState.CLOSE_WAIT, e.net.now() + 1_000_000_000L);
        s.close(e.net.now());
        e.server.userCallDone();
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, e.net.now() + 100_000_000_000L);
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(0, e.client.connectionCount());
        assertEquals(0, e.server.connectionCount());
        assertEquals(0, e.client.internalErrors() + e.server.internalErrors());
        assertTrue(e.trace.stream().anyMatch(t -> t.contains("client FIN_WAIT_2->TIME_WAIT")), e.trace.toString());
    }

    @Test
    void closedPortIsRefusedAfterOneRtt() {
        Env e = pair(2, LinkConfig.builder().delay(Duration.ofMillis(50)).build());
        TcpConnection c = e.client.connect(SERVER, 81, 0, new ConnectionOptions(), 0);
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, 10_000_000_000L);
        assertEquals(Errno.ECONNREFUSED, c.error());
        assertEquals(100_000_000L, e.net.now());
        assertEquals(1, e.server.counters().get(Counter.OUT_RSTS));
        assertEquals(1, e.client.counters().get(Counter.ATTEMPT_FAILS));
    }

    @Test
    void blackholedSynsTimeOutOnLinuxSchedule() {
        Env e = pair(3, LinkConfig.builder().delay(Duration.ofMillis(50)).build());
        e.net.sim().links().get(0).aToB().addRule(Rules.dropMatching(p -> true));
        TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, 1000_000_000_000L);
        assertEquals(Errno.ETIMEDOUT, c.error(), c + " at " + e.net.now() + " deadline " + c.nextDeadline() + " host " + e.client.nextDeadline());
        assertEquals(131_000_000_000L, e.net.now(), "Linux 6.18 defaults: syn_retries 6 + linear_timeouts 4");
        assertEquals(10, e.client.counters().get(Counter.TCP_SYN_RETRANS));
    }
}
