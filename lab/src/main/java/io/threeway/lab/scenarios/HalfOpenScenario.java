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
import io.threeway.sim.Link;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * Half-open connections: the server goes away while the client's connection is idle. If it crashed and
 * restarted, it has forgotten the connection and answers the client's next segment with an RST
 * ("Connection reset by peer"). If it vanished silently, an idle client notices nothing unless keepalive
 * probes for it: after tcp_keepalive_time + tcp_keepalive_probes x tcp_keepalive_intvl with the defaults
 * (2 h 11 min 15 s), or sooner with TCP_KEEPIDLE/KEEPINTVL/KEEPCNT tuned.
 */
public final class HalfOpenScenario implements Scenario {
    static final ScenarioParameter IDLE = ScenarioParameter.integer("keepidle", 30, 1, 32_767, "TCP_KEEPIDLE of the tuned run (seconds).");
    static final ScenarioParameter INTVL = ScenarioParameter.integer("keepintvl", 10, 1, 32_767, "TCP_KEEPINTVL of the tuned run (seconds).");
    static final ScenarioParameter CNT = ScenarioParameter.integer("keepcnt", 3, 1, 127, "TCP_KEEPCNT of the tuned run.");
    static final ScenarioParameter WATCH = ScenarioParameter.duration("watch", "3h", "1s", null, "How long the run without keepalive is watched.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "queue", "a few small packets at a time (a write, keepalive probes): no queue ever holds two",
                "mtu", "its segments are a few bytes, which any MTU carries whole: nothing it measures changes");
    }

    @Override public String name() { return "half-open"; }

    @Override public String summary() { return "A peer that crashed and restarted (RST), or vanished: keepalive off, default and tuned"; }

    @Override
    public List<String> help() {
        return List.of("Look for: how long the client keeps a connection to a crashed peer without keepalive, and with it. Then try: --keepidle 10 --keepintvl 5 --keepcnt 2, --sysctl net.ipv4.tcp_keepalive_time=60.",
                "Settings that matter: net.ipv4.tcp_keepalive_time (7200), _intvl (75), _probes (9); the "
                + "tuned run sets the socket options instead. The pcap holds the crash-and-restart run.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(IDLE, INTVL, CNT, WATCH); }

    /** How one run ended: when the client learnt (ns after the server went away, or -1) and how. */
    record Outcome(long noticedAfter, String error, String stateAtEnd, long probes) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome crash = watch(options, "crash-restart", new ConnectionOptions(), true);
        Outcome off = watch(options, "silent, no keepalive", new ConnectionOptions(), false);
        ConnectionOptions ka = new ConnectionOptions();
        ka.keepAlive = true;
        Outcome def = watch(options, "silent, keepalive", ka, false);
        ConnectionOptions tuned = ka.copy();
        tuned.keepIdle = options.intParam(IDLE, 1);
        tuned.keepIntvl = options.intParam(INTVL, 1);
        tuned.keepCnt = options.intParam(CNT, 1);
        Outcome tun = watch(options, "silent, keepalive tuned", tuned, false);
        Findings f = new Findings(name());
        f.say("The client's connection is idle when the server goes away; the client writes (crash-restart) or "
                + "only waits (silent).");
        report(f.group("crash-restart"), crash);
        report(f.group("silent, no keepalive"), off);
        report(f.group("silent, keepalive " + options.sysctls().get(Sysctl.TCP_KEEPALIVE_TIME) + "/"
                + options.sysctls().get(Sysctl.TCP_KEEPALIVE_INTVL) + "/" + options.sysctls().get(Sysctl.TCP_KEEPALIVE_PROBES)), def);
        report(f.group("silent, keepalive " + tuned.keepIdle + "/" + tuned.keepIntvl + "/" + tuned.keepCnt), tun);
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o) {
        g.seconds("client noticed after", o.noticedAfter).put("error", o.error).put("client state at the end", o.stateAtEnd)
                .put("keepalive probes", o.probes);
    }

    static Outcome watch(ScenarioOptions options, String variant, ConnectionOptions clientOptions, boolean crash) {
        try (Testbed tb = new Testbed(options, variant, crash)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            Link link = tb.link(c, CLIENT, s, SERVER, tb.userPath());
            tb.trace("client");
            Listener l = s.listen(tb.any(), 80, 16, new ConnectionOptions(), false);
            TcpConnection conn = c.connect(tb.ip(SERVER), 80, 0, clientOptions, 0);
            c.userCallDone();
            tb.start(0);
            tb.sim().runUntil(() -> l.acceptQueueLength() == 1, 10 * SECOND);
            l.accept();
            long start = tb.now();
            if (crash) {
                s.reboot(start);
                byte[] hello = "are you there?".getBytes(StandardCharsets.US_ASCII);
                conn.write(hello, 0, hello.length, start);
                c.userCallDone();
            } else {
                link.bToA().addRule(Rules.dropMatching(p -> true));
                link.aToB().addRule(Rules.dropMatching(p -> true));
            }
            long limit = crash ? 600 * SECOND : clientOptions.keepAlive ? 24 * 3600 * SECOND : options.nanosParam(WATCH);
            tb.sim().runUntil(() -> conn.state() == TcpState.CLOSED, start + limit);
            boolean closed = conn.state() == TcpState.CLOSED;
            return new Outcome(closed ? tb.now() - start : -1, conn.error() == null ? null : conn.error().message(),
                    conn.state().ssName(), c.counters().get(Counter.TCP_KEEP_ALIVE));
        }
    }
}
