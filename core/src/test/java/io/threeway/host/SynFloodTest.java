package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.SynFlood;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RFC 4987's attack and defence: spoofed SYNs at 100,000 a second against a listener with backlog 128, while a
 * legitimate client opens a connection every 20 ms and gives each 3 seconds to complete.
 */
class SynFloodTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");
    static final long FLOOD_INTERVAL = 10_000; // ns: 100,000 SYNs a second
    static final long FLOOD_FOR = 2_000_000_000L;

    record Outcome(int attempts, int succeeded, int maxServerConnections, Stack server, long limitPassedDuringFlood) {}

    static Outcome run(String syncookies, long seed) {
        return run(syncookies, seed, null);
    }

    static Outcome run(String syncookies, long seed, SynRateLimit limit) {
        try (Network net = new Network(seed)) {
            Stack client = net.host("client");
            Stack server = net.host("server");
            server.sysctls().set("net.ipv4.tcp_syncookies", syncookies);
            server.setSynRateLimit(limit);
            Link link = net.link(client, "198.18.0.1", server, "198.18.0.2",
                    LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            Listener l = server.listen(IpAddress.ANY4, 80, 128, new ConnectionOptions(), false);

            // The attacker: 100,000 SYNs a second from 198.18.128.0/17, on the client's side of the link.
            SynFlood.start(net.sim(), link.sinkAtoB(), SERVER, 80, 1_000_000_000L / FLOOD_INTERVAL, FLOOD_FOR,
                    new SplittableRandom(seed));

            // The legitimate client, and the server application accepting everything.
            List<TcpConnection> attempts = new ArrayList<>();
            List<Long> started = new ArrayList<>();
            int[] succeeded = {0};
            int[] maxConns = {0};
            Runnable[] legit = new Runnable[1];
            legit[0] = () -> {
                attempts.add(client.connect(SERVER, 80, 0, new ConnectionOptions(), net.now()));
                started.add(net.now());
                if (net.now() + 20_000_000L < FLOOD_FOR) net.sim().scheduleIn(20_000_000L, legit[0]);
            };
            net.sim().schedule(100_000_000L, legit[0]);
            Runnable[] watch = new Runnable[1];
            watch[0] = () -> {
                while (l.accept() != null) { }
                for (int i = 0; i < attempts.size(); i++) {
                    TcpConnection c = attempts.get(i);
                    if (c == null) continue;
                    if (c.state() == TcpState.ESTABLISHED) {
                        succeeded[0]++;
                        c.abort(net.now());
                        attempts.set(i, null);
                    } else if (net.now() - started.get(i) >= 3_000_000_000L) {
                        c.abort(net.now()); // gave up: the connect timeout of this client
                        attempts.set(i, null);
                    }
                }
                client.userCallDone();
                maxConns[0] = Math.max(maxConns[0], server.connectionCount());
                if (net.now() < FLOOD_FOR + 4_000_000_000L) net.sim().scheduleIn(1_000_000L, watch[0]);
            };
            net.sim().schedule(0, watch[0]);
            long[] passedDuringFlood = {-1};
            if (limit != null) net.sim().schedule(FLOOD_FOR, () -> passedDuringFlood[0] = limit.passed());
            net.sim().runUntil(FLOOD_FOR + 5_000_000_000L);
            assertEquals(0, server.internalErrors(), () -> String.valueOf(server.lastInternalError()));
            return new Outcome(started.size(), succeeded[0], maxConns[0], server, passedDuringFlood[0]);
        }
    }

    @Test
    void withoutCookiesMostLegitimateAttemptsFail() {
        Outcome o = run("0", 1);
        assertTrue(o.attempts >= 90, "attempts " + o.attempts);
        assertTrue(o.succeeded < o.attempts / 2, "succeeded " + o.succeeded + " of " + o.attempts);
        System.out.printf("syncookies=0: %d/%d legitimate connections, ListenDrops %d%n", o.succeeded, o.attempts,
                o.server.counters().get(Counter.LISTEN_DROPS));
        assertTrue(o.server.counters().get(Counter.LISTEN_DROPS) > 100_000, "the full SYN queue dropped SYNs");
        assertEquals(0, o.server.counters().get(Counter.SYNCOOKIES_SENT));
        assertTrue(o.maxServerConnections <= 128 + 1, "half-open entries bounded by the backlog: " + o.maxServerConnections);
    }

    @Test
    void withCookiesLegitimateClientsGetThroughAndMemoryStaysBounded() {
        Outcome o = run("1", 1);
        assertTrue(o.attempts >= 90, "attempts " + o.attempts);
        assertTrue(o.succeeded >= Math.ceil(o.attempts * 0.99), "succeeded " + o.succeeded + " of " + o.attempts);
        Stack s = o.server;
        long sent = s.counters().get(Counter.SYNCOOKIES_SENT);
        long recv = s.counters().get(Counter.SYNCOOKIES_RECV);
        assertTrue(sent > 150_000, "cookies sent " + sent);
        assertTrue(recv >= 1 && recv <= o.succeeded, "cookies received " + recv + " (legitimate ACKs only)");
        assertEquals(0, s.counters().get(Counter.SYNCOOKIES_FAILED), "nobody forged a cookie here");
        // The counters agree with what happened: 128 spoofed SYNs filled the queue as real half-open entries,
        // every later SYN got a cookie, and each legitimate connection came back with one.
        assertEquals(o.succeeded, recv, "one cookie returned per legitimate connection");
        assertEquals(128 + recv, s.counters().get(Counter.PASSIVE_OPENS), "PassiveOpens");
        System.out.printf("syncookies=1: %d/%d legitimate connections, cookies sent %d, received %d, max server sockets %d%n",
                o.succeeded, o.attempts, sent, recv, o.maxServerConnections);
        assertTrue(o.maxServerConnections <= 128 + 2 * o.attempts, "state bounded: " + o.maxServerConnections);
    }

    @Test
    void alwaysCookiesKeepsNoHalfOpenState() {
        Outcome o = run("2", 2);
        assertTrue(o.succeeded >= Math.ceil(o.attempts * 0.99), "succeeded " + o.succeeded + " of " + o.attempts);
        assertEquals(0, o.server.counters().get(Counter.LISTEN_DROPS));
        assertTrue(o.maxServerConnections <= 2 * o.attempts, "no half-open entries: " + o.maxServerConnections);
    }

    @Test
    void aSynRateLimitSavesTheQueueButAlsoDropsTheLegitimateSyns() {
        // iptables --syn -m limit --limit 10/s --limit-burst 20: the flood no longer fills the SYN queue, but the
        // limit cannot tell a legitimate SYN from a spoofed one: nearly all legitimate SYNs are dropped too.
        SynRateLimit limit = SynRateLimit.parse("10/s", 20);
        Outcome o = run("0", 3, limit);
        assertTrue(limit.dropped() > 190_000, "dropped " + limit.dropped());
        assertEquals(20 + 10 * 2, o.limitPassedDuringFlood, 1, "a burst of 20, then 10 a second, for the flood's 2 s");
        assertTrue(o.succeeded < o.attempts / 2, "succeeded " + o.succeeded + " of " + o.attempts);
        assertTrue(o.server.counters().get(Counter.IN_SEGS) < 200_000, "TCP never saw the dropped SYNs");
    }
}
