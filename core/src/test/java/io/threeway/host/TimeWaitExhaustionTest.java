package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeds' production incident: a client that opens and actively closes 1,000 connections a second to one
 * server leaves each local port in TIME-WAIT for 60 s, and runs out of ephemeral ports.
 */
class TimeWaitExhaustionTest {
    static final String CLIENT_ADDR = "198.18.0.1";
    static final String SERVER_ADDR = "198.18.0.2";
    static final long MS = 1_000_000L;

    record Result(long firstFailure, long connections, Stack client, Stack server) {}

    /** Runs the churn for up to {@code seconds}; returns when connect() first failed with EADDRNOTAVAIL (or -1). */
    static Result churn(String portRange, String twReuse, int seconds) {
        return churn(portRange, twReuse, seconds, CLIENT_ADDR, SERVER_ADDR);
    }

    static Result churn(String portRange, String twReuse, int seconds, String clientAddr, String serverAddr) {
        IpAddress server = IpAddress.parse(serverAddr);
        try (Network net = new Network(5)) {
            Stack c = net.host("client");
            Stack s = net.host("server");
            c.sysctls().set("net.ipv4.ip_local_port_range", portRange);
            c.sysctls().set("net.ipv4.tcp_tw_reuse", twReuse);
            net.link(c, clientAddr, s, serverAddr, 8, LinkConfig.builder().delay(Duration.ofNanos(250_000)).build(),
                    LinkConfig.builder().delay(Duration.ofNanos(250_000)).build());
            Listener l = s.listen(IpAddress.ANY4, 80, 4096, new ConnectionOptions(), false);
            List<TcpConnection> opening = new ArrayList<>();
            List<TcpConnection> serving = new ArrayList<>();
            long[] failed = {-1};
            long[] made = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                try {
                    opening.add(c.connect(server, 80, 0, new ConnectionOptions(), now));
                    made[0]++;
                } catch (TcpException e) {
                    assertEquals(Errno.EADDRNOTAVAIL, e.errno());
                    failed[0] = now;
                    return;
                }
                // The client closes as soon as it is connected (it closes first, so it holds the TIME-WAIT).
                opening.removeIf(x -> {
                    if (x.state() == TcpState.ESTABLISHED) {
                        x.close(now);
                        return true;
                    }
                    return x.state() == TcpState.CLOSED;
                });
                c.userCallDone();
                // The server accepts everything and closes when the client has.
                for (TcpConnection a; (a = l.accept()) != null; ) serving.add(a);
                serving.removeIf(x -> {
                    if (x.atEof()) {
                        x.close(now);
                        return true;
                    }
                    return false;
                });
                s.userCallDone();
                if (now + MS < seconds * 1_000_000_000L) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(0, tick[0]);
            net.sim().runUntil(seconds * 1_000_000_000L);
            assertEquals(0, c.internalErrors() + s.internalErrors());
            return new Result(failed[0], made[0], c, s);
        }
    }

    @Test
    void defaultRangeRunsOutAfterAbout28Seconds() {
        Result r = churn("32768 60999", "0", 40);
        assertTrue(r.firstFailure > 0, "ports ran out");
        double seconds = r.firstFailure / 1e9;
        // 28,232 ports, each held 60 s in TIME-WAIT, at 1,000 new connections a second: about 28.2 s.
        assertEquals(28.2, seconds, 0.3, "ran out at " + seconds + " s");
        assertEquals(28232, r.client.timeWaitCount(), 5, "every port of the range sits in TIME-WAIT");
        assertEquals(0, r.client.counters().get(Counter.TW_RECYCLED));
    }

    @Test
    void aNarrowerRangeRunsOutSooner() {
        Result r = churn("40000 49999", "0", 20);
        assertEquals(10.0, r.firstFailure / 1e9, 0.3, "10,000 ports last about 10 s");
    }

    @Test
    void twReuseWithTimestampsKeepsGoing() {
        Result r = churn("40000 49999", "1", 20);
        assertEquals(-1, r.firstFailure, "no connect() failed");
        assertTrue(r.connections >= 19_900, "connections " + r.connections);
        assertTrue(r.client.counters().get(Counter.TW_RECYCLED) > 5_000, "TWRecycled " + r.client.counters().get(Counter.TW_RECYCLED));
    }

    @Test
    void twReuseTwoIsLinuxsDefaultAndOnlyReusesLoopbackFourTuples() {
        Result remote = churn("40000 44999", "2", 8);
        assertEquals(5.0, remote.firstFailure / 1e9, 0.3, "between two hosts, mode 2 does not reuse: 5,000 ports last 5 s");
        Result loopback = churn("40000 44999", "2", 8, "127.0.0.1", "127.0.0.2");
        assertEquals(-1, loopback.firstFailure, "over loopback it does");
        assertTrue(loopback.client.counters().get(Counter.TW_RECYCLED) > 2_000);
    }

    @Test
    void aPoolOfThirtyConnectionsLeavesNoTimeWait() {
        try (Network net = new Network(6)) {
            Stack c = net.host("client");
            Stack s = net.host("server");
            net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofNanos(250_000)).build());
            Listener l = s.listen(IpAddress.ANY4, 80, 128, new ConnectionOptions(), false);
            List<TcpConnection> pool = new ArrayList<>();
            for (int i = 0; i < 30; i++) pool.add(c.connect(IpAddress.parse(SERVER_ADDR), 80, 0, new ConnectionOptions(), 0));
            List<TcpConnection> served = new ArrayList<>();
            byte[] req = new byte[100];
            byte[] buf = new byte[4096];
            long[] answered = {0};
            Runnable[] tick = new Runnable[1];
            int[] next = {0};
            tick[0] = () -> {
                long now = net.now();
                // One request a millisecond, round-robin over the pool; the server echoes each.
                TcpConnection conn = pool.get(next[0]++ % pool.size());
                if (conn.state() == TcpState.ESTABLISHED) conn.write(req, 0, req.length, now);
                for (TcpConnection a; (a = l.accept()) != null; ) served.add(a);
                for (TcpConnection a : served) {
                    int n;
                    while ((n = a.read(buf, 0, buf.length, now)) > 0) a.write(buf, 0, n, now);
                }
                for (TcpConnection p : pool) while ((n(p, buf, now)) > 0) answered[0] += 1;
                c.userCallDone();
                s.userCallDone();
                if (now + MS < 40_000_000_000L) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(10 * MS, tick[0]);
            net.sim().runUntil(40_000_000_000L);
            assertTrue(answered[0] > 0);
            assertEquals(30, c.counters().get(Counter.ACTIVE_OPENS), "30 handshakes in all, for ~40,000 requests");
            assertEquals(0, c.timeWaitCount());
            assertEquals(0, s.timeWaitCount());
            assertEquals(30, c.connectionCount());
        }
    }

    private static int n(TcpConnection p, byte[] buf, long now) {
        return p.read(buf, 0, buf.length, now);
    }
}
