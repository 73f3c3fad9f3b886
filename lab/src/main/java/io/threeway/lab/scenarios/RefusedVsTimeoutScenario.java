package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Testbed;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Connection refused" against "Connection timed out": a SYN to a host with nothing listening on the port is
 * answered at once with an RST, so connect() fails after one round trip; a SYN to an address that never
 * answers (a firewall that drops, a host that is gone) is retransmitted until tcp_syn_retries runs out.
 */
public final class RefusedVsTimeoutScenario implements Scenario {
    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "duplicate", "a duplicated SYN or RST arrives after the first RST has failed connect(), and the silent "
                        + "address answers neither: nothing it measures changes",
                "queue", "one packet at a time each way: no queue ever holds two, whatever its size (--bandwidth still "
                        + "adds its serialization delay)",
                "mtu", "its packets are SYNs and RSTs (at most 60 bytes, 80 over IPv6), which any MTU carries whole");
    }

    @Override public String name() { return "refused-vs-timeout"; }

    @Override public String summary() { return "RST at once (Connection refused) against silence (Connection timed out)"; }

    @Override
    public List<String> help() {
        return List.of("Look for: one RTT to 'Connection refused', minutes to 'Connection timed out'. Then try: --sysctl net.ipv4.tcp_syn_retries=2, --rtt 300ms.",
                "A client connects to port 80 of a host where nothing listens, then to an address that "
                + "never answers. The first fails after one RTT (--rtt); the second after the SYN retries "
                + "(net.ipv4.tcp_syn_retries, net.ipv4.tcp_syn_linear_timeouts). The pcap holds the refused attempt.");
    }

    /** How one connect() ended. */
    record Attempt(long failedAfter, String error, long synsSent, List<String> lines) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Attempt refused = attempt(options, "refused", SERVER, true);
        Attempt silent = attempt(options, "timeout", NOBODY, false);
        Findings f = new Findings(name());
        f.say("connect() to " + Testbed.endpoint(options.ipv6(), SERVER, 80) + ", where nothing listens (as tcpdump on the client shows it):");
        for (String l : refused.lines) f.say("  " + l);
        f.say("connect() to " + Testbed.endpoint(options.ipv6(), NOBODY, 80) + ", which never answers: " + silent.synsSent + " SYNs, no reply.");
        f.group("refused").seconds("connect() failed after", refused.failedAfter).put("error", refused.error)
                .put("SYNs sent", refused.synsSent);
        f.group("timeout").seconds("connect() failed after", silent.failedAfter).put("error", silent.error)
                .put("SYNs sent", silent.synsSent);
        if (refused.failedAfter > 0 && silent.failedAfter > 0) {
            f.conclude(String.format(Locale.ROOT,
                    "Refused took one round trip; silence took %.0f times as long.",
                    (double) silent.failedAfter / refused.failedAfter));
        }
        f.print(options, out);
        return refused.error != null && silent.error != null ? 0 : 1;
    }

    static Attempt attempt(ScenarioOptions options, String variant, String target, boolean capture) {
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack client = tb.host("client");
            Stack server = tb.host("server");
            tb.link(client, CLIENT, server, SERVER, tb.userPath());
            TraceRecorder rec = tb.trace("client");
            tb.start(0);
            TcpConnection c = client.connect(tb.ip(target), 80, 0, new ConnectionOptions(), tb.now());
            client.userCallDone();
            tb.sim().runUntil(() -> c.state() == TcpState.CLOSED, 3600 * SECOND);
            long after = c.state() == TcpState.CLOSED ? tb.now() : -1;
            long syns = client.counters().get(Counter.ACTIVE_OPENS) + client.counters().get(Counter.TCP_SYN_RETRANS);
            List<String> lines = rec.packets().stream().map(CapturedPacket::line).toList();
            return new Attempt(after, c.error() == null ? null : c.error().message(), syns, lines);
        }
    }
}
