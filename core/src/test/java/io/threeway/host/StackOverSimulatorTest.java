package io.threeway.host;

import io.threeway.wire.FourTuple;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two stacks over a simulated link: handshake, data, close, refused and timed-out connects. */
class StackOverSimulatorTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Env(Network net, Stack client, Stack server, List<String> trace, List<String> clientDump) {}

    static Env pair(long seed, LinkConfig cfg) {
        Network net = new Network(seed);
        Stack c = net.host("client");
        Stack s = net.host("server");
        net.link(c, "198.18.0.1", s, "198.18.0.2", cfg);
        List<String> trace = new ArrayList<>();
        StackObserver obs = new StackObserver() {
            @Override
            public void transition(Stack st, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause, long now) {
                trace.add(String.format("%.6f %s %s->%s %s", now / 1e9, st.name(), from, to, cause));
            }
        };
        c.addObserver(obs);
        s.addObserver(obs);
        // What tcpdump on the client would print.
        List<String> dump = new ArrayList<>();
        TcpdumpFormatter fmt = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
        c.addObserver(new StackObserver() {
            @Override
            public void packet(Stack st, boolean outbound, byte[] p, int off, int len, long now) {
                dump.add(fmt.format(p, off, len, now));
            }
        });
        return new Env(net, c, s, trace, dump);
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
        // On the trace: the SYN leaves at 0 and the RST comes back one RTT later.
        assertEquals(2, e.clientDump.size(), e.clientDump.toString());
        assertTrue(e.clientDump.get(0).startsWith("0.000000 IP 198.18.0.1."), e.clientDump.get(0));
        assertTrue(e.clientDump.get(0).contains("> 198.18.0.2.81: Flags [S],"), e.clientDump.get(0));
        assertTrue(e.clientDump.get(1).startsWith("0.100000 IP 198.18.0.2.81 > 198.18.0.1."), e.clientDump.get(1));
        assertTrue(e.clientDump.get(1).contains("Flags [R.], seq 0, ack "), e.clientDump.get(1));
        assertTrue(e.trace.get(e.trace.size() - 1).startsWith("0.100000 client SYN_SENT->CLOSED"), e.trace.toString());
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
        // On the trace: the SYNs leave at Linux's times (1 s linear timeouts, then doubling), then the give-up.
        List<String> synTimes = e.clientDump.stream().filter(l -> l.contains("Flags [S],"))
                .map(l -> l.substring(0, l.indexOf(' '))).toList();
        assertEquals(List.of("0.000000", "1.000000", "2.000000", "3.000000", "4.000000", "5.000000", "7.000000",
                "11.000000", "19.000000", "35.000000", "67.000000"), synTimes);
        assertTrue(e.trace.get(e.trace.size() - 1).startsWith("131.000000 client SYN_SENT->CLOSED SYN retries exhausted"),
                e.trace.toString());
    }
}
