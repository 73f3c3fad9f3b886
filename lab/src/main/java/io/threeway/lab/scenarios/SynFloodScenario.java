package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.host.SynRateLimit;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.sim.Link;
import io.threeway.sim.SynFlood;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4987's attack: spoofed SYNs from random addresses fill the listener's SYN queue while a legitimate
 * client opens a connection every few milliseconds and gives each a few seconds. Without SYN cookies the
 * queue is full of half-open entries that never complete and most legitimate SYNs are dropped; with cookies
 * (net.ipv4.tcp_syncookies=1) the server answers every SYN statelessly and the legitimate ACKs come back with
 * a valid cookie. The third run keeps cookies off and puts the seeds' ingress filter in front of TCP instead,
 * {@code iptables -A INPUT -p tcp --syn -m limit --limit 10/s --limit-burst 20 -j ACCEPT} then {@code -j DROP}:
 * the queue stays nearly empty, but the filter cannot tell a spoofed SYN from a real one, so legitimate SYNs
 * compete with the flood for the same few tokens.
 */
public final class SynFloodScenario implements Scenario {
    static final ScenarioParameter FLOOD_RATE = ScenarioParameter.integer("flood-rate", 100_000, 1, 100_000_000, "Spoofed SYNs a second.");
    static final ScenarioParameter FLOOD_FOR = ScenarioParameter.duration("flood-for", "2s", "0s", null, "How long the flood lasts.");
    static final ScenarioParameter BACKLOG = ScenarioParameter.integer("backlog", 128, 1, 65_535, "The listener's backlog.");
    static final ScenarioParameter EVERY = ScenarioParameter.duration("connect-every", "20ms", "1us", null, "Time between the legitimate client's connects.");
    static final ScenarioParameter PATIENCE = ScenarioParameter.duration("connect-timeout", "3s", "1ms", null, "How long the client waits for each connect().");
    static final ScenarioParameter LIMIT = ScenarioParameter.text("syn-limit", "10/s", "The third run's iptables --limit on SYNs (N/s, N/min).");
    static final ScenarioParameter BURST = ScenarioParameter.integer("syn-burst", 20, 1, 1_000_000, "The third run's iptables --limit-burst.");

    /** Runs over IPv6 too ({@code -6}): its addresses, and the flood's spoofed sources, map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("mtu", "SYNs, SYN-ACKs and the clients' short exchanges fit any MTU: "
                + "nothing it measures changes");
    }

    @Override public String name() { return "syn-flood"; }

    @Override public String summary() { return "Spoofed SYNs fill the SYN queue: legitimate clients without and with SYN cookies, and behind a SYN rate limit"; }

    @Override
    public List<String> help() {
        return List.of("Look for: legitimate connects failing without cookies and all succeeding with them; SyncookiesSent. Then try: --backlog 1024, --flood-rate 10000, --syn-limit 100/s.",
                "The server's net.ipv4.tcp_syncookies is set to 0, then 1; the third run has cookies off "
                + "and an iptables-like token bucket (--syn-limit, --syn-burst) dropping SYNs before TCP sees them. "
                + "net.core.somaxconn and net.ipv4.tcp_max_syn_backlog cap the queues. "
                + "The pcap holds the run without cookies (large: every spoofed SYN).");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(FLOOD_RATE, FLOOD_FOR, BACKLOG, EVERY, PATIENCE, LIMIT, BURST); }

    /**
     * What one run measured; {@code limitPassed} and {@code limitDropped} are the ingress filter's packet
     * counts ({@code iptables -v}) while the flood lasted, -1 when the run had none.
     */
    record Outcome(int attempts, int succeeded, int maxServerSockets, long listenDrops, long cookiesSent,
                   long cookiesRecv, long spoofed, long limitPassed, long limitDropped) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome off = flood(options.withSysctl("net.ipv4.tcp_syncookies=0"), "syncookies=0", false, true);
        Outcome on = flood(options.withSysctl("net.ipv4.tcp_syncookies=1"), "syncookies=1", false, false);
        String limitName = "syncookies=0, limit " + options.param(LIMIT) + " burst " + options.param(BURST);
        Outcome limited = flood(options.withSysctl("net.ipv4.tcp_syncookies=0"), "syn-limit", true, false);
        Findings f = new Findings(name());
        f.say(off.spoofed + " spoofed SYNs in " + options.param(FLOOD_FOR) + " against a listener with backlog "
                + options.param(BACKLOG) + "; a legitimate client connects every " + options.param(EVERY) + ".");
        report(f.group("syncookies=0"), off);
        report(f.group("syncookies=1"), on);
        report(f.group(limitName), limited)
                .put("SYNs the limit passed during the flood", limited.limitPassed)
                .put("SYNs the limit dropped during the flood", limited.limitDropped);
        f.conclude(String.format(Locale.ROOT, "During the flood the limit passed %d SYNs of %d (%s, burst %s) and protected "
                        + "the queue (at most %d sockets), but legitimate connects succeeded %d of %d times: "
                        + "it cannot tell them from the flood. Cookies served %d of %d.",
                limited.limitPassed, limited.limitPassed + limited.limitDropped, options.param(LIMIT), options.param(BURST),
                limited.maxServerSockets, limited.succeeded, limited.attempts, on.succeeded, on.attempts));
        f.print(options, out);
        return 0;
    }

    private static Findings.Group report(Findings.Group g, Outcome o) {
        return g.put("legitimate connects", o.attempts).put("succeeded", o.succeeded)
                .put("success rate", o.attempts == 0 ? 0 : Math.round(1000.0 * o.succeeded / o.attempts) / 10.0, "%")
                .put("ListenDrops", o.listenDrops).put("SyncookiesSent", o.cookiesSent)
                .put("SyncookiesRecv", o.cookiesRecv).put("most server sockets at once", o.maxServerSockets);
    }

    /** One run; {@code limited} puts the --syn-limit token bucket in front of the server's TCP. */
    static Outcome flood(ScenarioOptions options, String variant, boolean limited, boolean capture) {
        long floodFor = options.nanosParam(FLOOD_FOR);
        long every = options.nanosParam(EVERY);
        long patience = options.nanosParam(PATIENCE);
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack client = tb.host("client");
            Stack server = tb.host("server");
            Link link = tb.link(client, CLIENT, server, SERVER, tb.userPath());
            tb.trace("server");
            SynRateLimit limit = limited
                    ? SynRateLimit.parse(options.param(LIMIT), options.intParam(BURST, 1)) : null;
            server.setSynRateLimit(limit);
            Listener l = server.listen(tb.any(), 80, options.intParam(BACKLOG, 1), new ConnectionOptions(), false);
            tb.start(floodFor + patience);

            // The attacker: SYNs from 198.18.128.0/17 (2001:db8:80::/41 with -6), put on the client's side of the link.
            SynFlood attacker = SynFlood.start(tb.sim(), link.sinkAtoB(), tb.ip(SERVER), 80,
                    options.longParam(FLOOD_RATE), floodFor, tb.sim().newRandom());

            // The legitimate client, and the application accepting (and closing) everything.
            List<TcpConnection> waiting = new ArrayList<>();
            List<Long> started = new ArrayList<>();
            int[] attempts = {0};
            int[] succeeded = {0};
            int[] maxSockets = {0};
            Runnable[] legit = new Runnable[1];
            legit[0] = () -> {
                waiting.add(client.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), tb.now()));
                started.add(tb.now());
                attempts[0]++;
                client.userCallDone();
                if (tb.now() + every < floodFor) tb.sim().scheduleIn(every, legit[0]);
            };
            tb.sim().schedule(every, legit[0]);
            Runnable[] watch = new Runnable[1];
            watch[0] = () -> {
                for (TcpConnection a; (a = l.accept()) != null; ) a.abort(tb.now());
                for (int i = 0; i < waiting.size(); i++) {
                    TcpConnection c = waiting.get(i);
                    if (c == null) continue;
                    if (c.state() == TcpState.ESTABLISHED) {
                        succeeded[0]++;
                        c.abort(tb.now());
                        waiting.set(i, null);
                    } else if (tb.now() - started.get(i) >= patience) {
                        c.abort(tb.now());
                        waiting.set(i, null);
                    }
                }
                client.userCallDone();
                server.userCallDone();
                maxSockets[0] = Math.max(maxSockets[0], server.connectionCount());
                if (tb.now() < floodFor + patience) tb.sim().scheduleIn(MS, watch[0]);
            };
            tb.sim().schedule(0, watch[0]);
            tb.sim().runUntil(floodFor);
            long limitPassed = limit == null ? -1 : limit.passed();
            long limitDropped = limit == null ? -1 : limit.dropped();
            tb.sim().runUntil(floodFor + patience + SECOND);
            return new Outcome(attempts[0], succeeded[0], maxSockets[0], server.counters().get(Counter.LISTEN_DROPS),
                    server.counters().get(Counter.SYNCOOKIES_SENT), server.counters().get(Counter.SYNCOOKIES_RECV),
                    attacker.sent(), limitPassed, limitDropped);
        }
    }
}
