package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SYN's backoff schedule: a client connects to an address that never answers and retransmits its SYN
 * until net.ipv4.tcp_syn_retries is spent. Run twice: with the linear start Linux 6.x uses
 * (net.ipv4.tcp_syn_linear_timeouts, 4 by default: 1 s between the first SYNs) and with the purely
 * exponential schedule of every older kernel (linear timeouts 0: 1, 2, 4, 8 ... s).
 */
public final class SynRetriesScenario implements Scenario {
    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The start of every refusal: what this scenario measures is the client's timer alone. */
    private static final String NOTHING_COMES_BACK = "the SYNs go to an address no host holds and nothing comes back: "
            + "the schedule is the client's retransmission timer alone, changed by none of ";
    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "rtt", NOTHING_COMES_BACK + "the path's delay",
                "loss", NOTHING_COMES_BACK + "a lost SYN, which looks to the client like an unanswered one",
                "jitter", NOTHING_COMES_BACK + "the path's jitter",
                "reorder", NOTHING_COMES_BACK + "reordering",
                "duplicate", NOTHING_COMES_BACK + "a duplicated SYN",
                "bandwidth", NOTHING_COMES_BACK + "the path's bandwidth",
                "queue", NOTHING_COMES_BACK + "a queue",
                "mtu", NOTHING_COMES_BACK + "the MTU (only the MSS the SYNs offer)");
    }

    @Override public String name() { return "syn-retries"; }

    @Override public String summary() { return "The SYN's retransmission schedule, linear start and exponential, until connect() gives up"; }

    @Override
    public List<String> help() {
        return List.of("Look for: the 1 s gaps of the linear start, then the doubling. Then try: --sysctl net.ipv4.tcp_syn_retries=3, --sysctl net.ipv4.tcp_syn_linear_timeouts=0.",
                "Settings that matter: net.ipv4.tcp_syn_retries (6), net.ipv4.tcp_syn_linear_timeouts (4; "
                + "the exponential run forces 0). The pcap holds the linear run.");
    }

    /** When each SYN left and when connect() failed (ns), for one schedule. */
    record Schedule(List<Long> synTimes, long failedAt, String error) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        int linear = options.sysctls().get(Sysctl.TCP_SYN_LINEAR_TIMEOUTS);
        Findings f = new Findings(name());
        f.say("A client connects to " + Testbed.endpoint(options.ipv6(), NOBODY, 80) + ", which never answers; tcp_syn_retries = "
                + options.sysctls().get(Sysctl.TCP_SYN_RETRIES) + ".");
        Schedule first = schedule(options, linear > 0 ? "linear" : "exponential", true);
        if (linear > 0) {
            Schedule exp = schedule(options.withSysctl("net.ipv4.tcp_syn_linear_timeouts=0"), "exponential", false);
            report(f.group("linear (tcp_syn_linear_timeouts=" + linear + ")"), first);
            report(f.group("exponential (tcp_syn_linear_timeouts=0)"), exp);
            f.print(options, out);
            return first.error != null && exp.error != null ? 0 : 1;
        }
        // With linear timeouts already off, the comparison run would be this one again: say so instead.
        report(f.group("exponential (tcp_syn_linear_timeouts=0, as set)"), first);
        f.conclude("tcp_syn_linear_timeouts is 0, so the schedule is exponential from the first SYN, as on kernels "
                + "before 6.x; the default (4) starts with 1 s gaps.");
        f.print(options, out);
        return first.error != null ? 0 : 1;
    }

    private static void report(Findings.Group g, Schedule s) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < s.synTimes.size(); i++) gaps.add(s.synTimes.get(i) - s.synTimes.get(i - 1));
        g.put("SYNs sent", s.synTimes.size()).secondsList("SYNs left at", s.synTimes)
                .secondsList("gaps between SYNs", gaps).seconds("connect() failed at", s.failedAt)
                .put("error", s.error);
    }

    static Schedule schedule(ScenarioOptions options, String variant, boolean capture) {
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack client = tb.host("client");
            Stack server = tb.host("server");
            tb.link(client, CLIENT, server, SERVER, tb.userPath());
            TraceRecorder rec = tb.trace("client");
            tb.start(0);
            TcpConnection c = client.connect(tb.ip(NOBODY), 80, 0, new ConnectionOptions(), tb.now());
            client.userCallDone();
            tb.sim().runUntil(() -> c.state() == TcpState.CLOSED, 3600 * SECOND);
            List<Long> syns = new ArrayList<>();
            for (CapturedPacket p : rec.packets()) if (p.outbound() && p.line().contains("Flags [S]")) syns.add(p.timeNanos());
            return new Schedule(syns, c.state() == TcpState.CLOSED ? tb.now() : -1,
                    c.error() == null ? null : c.error().message());
        }
    }
}
