package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seeds' production incident: a client opens and actively closes connections to one server at a steady
 * rate; each local port then sits 60 s in TIME-WAIT, and once every port of net.ipv4.ip_local_port_range is
 * held, connect() fails with EADDRNOTAVAIL. Then the two ways out: tcp_tw_reuse=1 (with timestamps) lets
 * connect() take over a TIME-WAIT port a second old; a pool of a few long-lived connections serves the same
 * requests with no TIME-WAIT at all.
 */
public final class TimeWaitExhaustionScenario implements Scenario {
    static final ScenarioParameter RATE = ScenarioParameter.integer("rate", 1000, 1, 1_000_000, "New connections (requests) a second.");
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "40s", "1ms", null, "How long the client keeps going.");
    static final ScenarioParameter POOL = ScenarioParameter.integer("pool", 30, 1, 60_000, "Connections in the pool of the third run.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("mtu", "each request and answer is a few bytes, which "
                + "any MTU carries whole: when ports run out does not change");
    }

    @Override public String name() { return "time-wait-exhaustion"; }

    @Override public String summary() { return "Ephemeral ports run out in TIME-WAIT; then tcp_tw_reuse; then a connection pool"; }

    @Override
    public List<String> help() {
        return List.of("Look for: when connect() first fails with EADDRNOTAVAIL, and TWRecycled with tcp_tw_reuse=1. Then try: --rate 500, --sysctl 'net.ipv4.ip_local_port_range=40000 40999', --pool 10.",
                "Settings that matter: net.ipv4.ip_local_port_range (32768 60999: 28,232 ports), "
                + "net.ipv4.tcp_tw_reuse (forced to 0, then 1), net.ipv4.tcp_timestamps. The path is 500us RTT by default (--rtt). "
                + "The pcap holds the pool run's handshakes and requests (the churn runs are too large).");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(RATE, DURATION, POOL); }

    /** Client and server in one data centre. */
    @Override
    public Map<String, String> optionDefaults() { return Map.of("rtt", "500us"); }

    /** What one run measured. */
    record Churn(long firstFailure, long connections, int timeWaitAtEnd, int peakTimeWait, long twRecycled,
                 long activeOpens) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        int ports = options.sysctls().get(Sysctl.IP_LOCAL_PORT_RANGE, 1) - options.sysctls().get(Sysctl.IP_LOCAL_PORT_RANGE, 0) + 1;
        Churn plain = churn(options.withSysctl("net.ipv4.tcp_tw_reuse=0"), "tw_reuse=0", false);
        Churn reuse = churn(options.withSysctl("net.ipv4.tcp_tw_reuse=1"), "tw_reuse=1", false);
        Churn pool = pooled(options, "pool");
        Findings f = new Findings(name());
        f.say("A client opens and closes " + options.param(RATE) + " connections a second for " + options.param(DURATION)
                + "; " + ports + " ephemeral ports, 60 s of TIME-WAIT each.");
        f.group("tw_reuse=0").seconds("connect() first failed (EADDRNOTAVAIL) at", plain.firstFailure)
                .put("connections made", plain.connections).put("most TIME-WAIT at once", plain.peakTimeWait);
        f.group("tw_reuse=1").seconds("connect() first failed (EADDRNOTAVAIL) at", reuse.firstFailure)
                .put("connections made", reuse.connections).put("TWRecycled", reuse.twRecycled)
                .put("most TIME-WAIT at once", reuse.peakTimeWait);
        f.group("pool").put("requests served", pool.connections).put("handshakes (ActiveOpens)", pool.activeOpens)
                .put("TIME-WAIT at the end", pool.timeWaitAtEnd);
        if (plain.firstFailure > 0) {
            f.conclude(String.format(Locale.ROOT, "%d ports / %s a second = %.1f s: the ports ran out at %.1f s.",
                    ports, options.param(RATE), ports / (double) options.longParam(RATE), plain.firstFailure / 1e9));
        }
        f.print(options, out);
        return 0;
    }

    static Churn churn(ScenarioOptions options, String variant, boolean capture) {
        long interval = SECOND / options.longParam(RATE);
        long duration = options.nanosParam(DURATION);
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            tb.link(c, CLIENT, s, SERVER, tb.userPath());
            Listener l = s.listen(tb.any(), 80, 4096, new ConnectionOptions(), false);
            tb.start(duration);
            List<TcpConnection> opening = new ArrayList<>();
            List<TcpConnection> serving = new ArrayList<>();
            long[] failed = {-1};
            long[] made = {0};
            int[] peak = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = tb.now();
                try {
                    opening.add(c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), now));
                    made[0]++;
                } catch (TcpException e) {
                    if (e.errno() != Errno.EADDRNOTAVAIL) throw e;
                    if (failed[0] < 0) failed[0] = now;
                }
                opening.removeIf(x -> {
                    if (x.state() == TcpState.ESTABLISHED) {
                        x.close(now); // the client closes first, so the client holds the TIME-WAIT
                        return true;
                    }
                    return x.state() == TcpState.CLOSED;
                });
                c.userCallDone();
                for (TcpConnection a; (a = l.accept()) != null; ) serving.add(a);
                serving.removeIf(x -> {
                    if (x.atEof()) x.close(now);
                    return x.atEof();
                });
                s.userCallDone();
                peak[0] = Math.max(peak[0], c.timeWaitCount());
                if (failed[0] < 0 && now + interval < duration) tb.sim().scheduleIn(interval, tick[0]);
            };
            tb.sim().schedule(0, tick[0]);
            tb.sim().runUntil(duration);
            return new Churn(failed[0], made[0], c.timeWaitCount(), peak[0], c.counters().get(Counter.TW_RECYCLED),
                    c.counters().get(Counter.ACTIVE_OPENS));
        }
    }

    /** The same requests over a pool: each request waits for an idle pooled connection, round-robin. */
    static Churn pooled(ScenarioOptions options, String variant) {
        long interval = SECOND / options.longParam(RATE);
        long duration = options.nanosParam(DURATION);
        int size = options.intParam(POOL, 1);
        try (Testbed tb = new Testbed(options, variant, true)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            tb.link(c, CLIENT, s, SERVER, tb.userPath());
            tb.trace("client");
            Listener l = s.listen(tb.any(), 80, 4096, new ConnectionOptions(), false);
            tb.start(duration);
            List<TcpConnection> pool = new ArrayList<>();
            for (int i = 0; i < size; i++) pool.add(c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), 0));
            c.userCallDone();
            List<TcpConnection> served = new ArrayList<>();
            byte[] request = new byte[100];
            byte[] buf = new byte[4096];
            long[] answered = {0};
            int[] next = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = tb.now();
                TcpConnection conn = pool.get(next[0]++ % pool.size());
                if (conn.state() == TcpState.ESTABLISHED) conn.write(request, 0, request.length, now);
                for (TcpConnection a; (a = l.accept()) != null; ) served.add(a);
                for (TcpConnection a : served) {
                    for (int n; (n = a.read(buf, 0, buf.length, now)) > 0; ) a.write(buf, 0, n, now); // echo
                }
                for (TcpConnection p : pool) {
                    for (int n; (n = p.read(buf, 0, buf.length, now)) > 0; ) answered[0] += n;
                }
                c.userCallDone();
                s.userCallDone();
                if (now + interval < duration) tb.sim().scheduleIn(interval, tick[0]);
            };
            tb.sim().schedule(10 * MS, tick[0]);
            tb.sim().runUntil(duration);
            return new Churn(-1, answered[0] / request.length, c.timeWaitCount(), c.timeWaitCount(), 0,
                    c.counters().get(Counter.ACTIVE_OPENS));
        }
    }
}
