package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.sim.Link;
import io.threeway.stats.Counter;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loss recovery with and without SACK (RFC 2018, RFC 6675): one bulk transfer over a lossy path, once with
 * net.ipv4.tcp_sack=1 on both hosts and once with 0. With SACK the receiver tells the sender which blocks arrived,
 * so several holes are repaired in one recovery and little is sent twice; without it NewReno (RFC 6582) repairs
 * one hole per round trip, and a burst of losses often ends in a retransmission timeout and go-back-N.
 */
public final class SackRecoveryScenario implements Scenario {
    static final ScenarioParameter SIZE = ScenarioParameter.integer("size", 5_000_000, 1, Integer.MAX_VALUE,
            "Bytes the sender sends.");
    /**
     * Long enough for ten times the default size without SACK at the default 5% loss (about 600 s of virtual
     * time: NewReno moves some 85 kB a second there); a stalled transfer costs little to simulate, so a generous
     * limit is cheap.
     */
    static final ScenarioParameter LIMIT = ScenarioParameter.duration("time-limit", "1h", "1s", null,
            "How long each transfer may take (virtual time) before the run stops it and reports what was delivered.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "sack-recovery"; }

    @Override public String summary() { return "A bulk transfer over a lossy path with and without SACK: bytes resent, timeouts, completion time"; }

    @Override
    public List<String> help() {
        return List.of("Look for: with SACK, fewer bytes sent twice and fewer timeouts (TCPTimeouts), so the transfer ends "
                        + "sooner; without it, TCPRenoRecovery and go-back-N after timeouts. Then try: --loss 5%, "
                        + "--seed 2 (other losses), --rtt 20ms, --bandwidth 100mbit.",
                "Settings that matter: net.ipv4.tcp_sack (set per run), net.ipv4.tcp_dsack, net.ipv4.tcp_reordering. "
                        + "The path is 100 ms RTT with 5% loss each way and 20 Mbit/s by default. The pcap holds the run "
                        + "with SACK, captured at the sender.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(SIZE, LIMIT); }

    @Override
    public Map<String, String> optionDefaults() { return Map.of("loss", "5%", "bandwidth", "20mbit"); }

    /** One run's figures. */
    record Outcome(boolean sack, BulkFlows.Flow flow, long retransSegs, long timeouts, long sackRecoveries,
                   long renoRecoveries, long fastRetrans, long lost) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome with = transfer(options, true, true);
        Outcome without = transfer(options, false, false);
        long size = options.longParam(SIZE);
        Findings f = new Findings(name());
        f.say("One connection sends " + size + " bytes over a path of " + options.rtt().toMillis() + " ms RTT with "
                + options.loss() * 100 + "% loss each way; once with SACK, once without.");
        report(f.group("tcp_sack=1"), with, size);
        report(f.group("tcp_sack=0"), without, size);
        if (with.flow.completedAt() > 0 && without.flow.completedAt() > 0) {
            f.conclude(String.format(Locale.ROOT, "With SACK the transfer took %.1f s and resent %d bytes (%d timeouts); "
                            + "without, %.1f s and %d bytes (%d timeouts).", with.flow.completedAt() / 1e9,
                    with.flow.bytesRetrans(), with.timeouts, without.flow.completedAt() / 1e9, without.flow.bytesRetrans(),
                    without.timeouts));
        } else {
            f.conclude("A transfer did not finish within --time-limit: see 'bytes delivered'.");
        }
        f.print(options, out);
        return with.flow.completedAt() > 0 && without.flow.completedAt() > 0 ? 0 : 1;
    }

    private static void report(Findings.Group g, Outcome o, long size) {
        g.seconds("transfer complete at", o.flow.completedAt()).put("bytes delivered", o.flow.delivered(), "bytes")
                .put("packets lost on the path", o.lost).put("segments retransmitted", o.retransSegs)
                .put("bytes retransmitted", o.flow.bytesRetrans(), "bytes")
                .put("bytes sent twice per byte delivered", Math.round(1e4 * o.flow.bytesRetrans() / (double) size) / 1e4)
                .put("retransmission timeouts (TCPTimeouts)", o.timeouts)
                .put("SACK recoveries (TCPSackRecovery)", o.sackRecoveries)
                .put("NewReno recoveries (TCPRenoRecovery)", o.renoRecoveries)
                .put("fast retransmits (TCPFastRetrans)", o.fastRetrans);
    }

    static Outcome transfer(ScenarioOptions options, boolean sack, boolean capture) {
        long size = options.longParam(SIZE);
        long limit = options.nanosParam(LIMIT);
        ScenarioOptions o = options.withSysctl("net.ipv4.tcp_sack=" + (sack ? 1 : 0));
        try (Testbed tb = new Testbed(o, "tcp_sack=" + (sack ? 1 : 0), capture)) {
            Stack sender = tb.host("sender");
            Stack receiver = tb.host("receiver");
            Link link = tb.link(sender, CLIENT, receiver, SERVER, tb.userPath());
            tb.trace("sender");
            tb.start(limit);
            String cc = o.sysctls().getString(Sysctl.TCP_CONGESTION_CONTROL);
            BulkFlows.Flow flow = BulkFlows.run(tb, sender, receiver, List.of(cc), size, 0, limit).getFirst();
            return new Outcome(sack, flow, sender.counters().get(Counter.RETRANS_SEGS),
                    sender.counters().get(Counter.TCP_TIMEOUTS), sender.counters().get(Counter.TCP_SACK_RECOVERY),
                    sender.counters().get(Counter.TCP_RENO_RECOVERY), sender.counters().get(Counter.TCP_FAST_RETRANS),
                    link.aToB().stats().lost() + link.bToA().stats().lost());
        }
    }
}
