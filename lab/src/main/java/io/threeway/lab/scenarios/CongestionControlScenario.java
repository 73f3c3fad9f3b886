package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.OptionException;
import io.threeway.lab.Rates;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.sim.Link;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CUBIC (RFC 9438, Linux's default) against NewReno (RFC 5681/6582) through one bottleneck: each alone, then
 * both at once, each connection's algorithm set with TCP_CONGESTION as an application would. Alone, CUBIC's
 * window grows back faster after each loss at the full queue; together, the two share the link, and Jain's
 * fairness index says how evenly.
 */
public final class CongestionControlScenario implements Scenario {
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "20s", "2s", null,
            "How long the senders send.");
    static final ScenarioParameter MEASURE_FROM = ScenarioParameter.duration("measure-from", "5s", "0s", null,
            "Goodput is measured from this time to the end (after slow start).");
    static final ScenarioParameter ALGORITHMS = ScenarioParameter.choice("pair", "cubic,reno",
            "The two algorithms compared.", "cubic,reno", "reno,cubic", "cubic,cubic", "reno,reno");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "congestion-control"; }

    @Override public String summary() { return "CUBIC and NewReno through one bottleneck, alone and sharing it: throughput, cwnd, fairness"; }

    @Override
    public List<String> help() {
        return List.of("Look for: each algorithm's goodput alone, then their shares of the link together and Jain's "
                        + "fairness index (1: equal shares). Then try: --rtt 20ms (CUBIC's growth is in real time, "
                        + "NewReno's per RTT), --queue 100 (a shallow buffer), --pair cubic,cubic.",
                "The path: 20 Mbit/s each way (--bandwidth) with a drop-tail --queue of packets, 100 ms RTT. The pcap "
                        + "holds the shared run, captured at the sender.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(DURATION, MEASURE_FROM, ALGORITHMS); }

    @Override
    public Map<String, String> optionDefaults() { return Map.of("bandwidth", "20mbit"); }

    /**
     * One run: its connections, the bottleneck's drops and what it carried in the measured window.
     *
     * @param flows      the connections, in the order of the pair
     * @param queueDrops packets the bottleneck's full queue dropped (sender to receiver)
     * @param meter      what the bottleneck delivered from {@code measureFrom} to {@code end}
     */
    record Run(List<BulkFlows.Flow> flows, long queueDrops, BottleneckMeter meter) {
        /** Flow {@code i}'s goodput: its payload bytes that first reached the receiver in the window, bits a second. */
        double goodput(int i) { return meter.goodput(flows.get(i).senderPort()); }

        /** The share of the window the bottleneck spent sending, 0 to 1. */
        double utilisation() { return meter.utilisation(); }

        /** Jain's fairness index over the flows' goodputs: (Σx)² / (n Σx²). */
        double fairness() {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < flows.size(); i++) {
                sum += goodput(i);
                squares += goodput(i) * goodput(i);
            }
            return squares == 0 ? 0 : sum * sum / (flows.size() * squares);
        }
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        List<String> pair = List.of(options.param(ALGORITHMS).split(","));
        if (options.link().bandwidth() == 0) {
            throw new OptionException("bandwidth", "congestion-control needs a bottleneck: give --bandwidth");
        }
        Run first = flows(options, List.of(pair.get(0)), "alone: " + pair.get(0), false);
        Run second = flows(options, List.of(pair.get(1)), "alone: " + pair.get(1), false);
        Run shared = flows(options, pair, "sharing", true);
        Findings f = new Findings(name());
        f.say("Bulk senders over a " + Rates.format(options.link().bandwidth()) + " bottleneck, "
                + options.rtt().toMillis() + " ms RTT, a " + options.link().queue() + "-packet queue; from "
                + options.param(MEASURE_FROM) + " to " + options.param(DURATION) + ", counted at the bottleneck: goodput is "
                + "each connection's data reaching the receiver for the first time, link utilisation the share of the time "
                + "it spent sending (headers, retransmissions and packets lost after it included).");
        alone(f.group("alone: " + pair.get(0)), first, options);
        alone(f.group("alone: " + pair.get(1)), second, options);
        var g = f.group("sharing the bottleneck");
        for (int i = 0; i < 2; i++) {
            g.put("goodput of " + pair.get(i) + " (" + (i + 1) + ")", mbit(shared.goodput(i)), "Mbit/s")
                    .put("cwnd at the end, " + pair.get(i) + " (" + (i + 1) + ")", shared.flows().get(i).cwndEnd(), "segments");
        }
        g.put("link utilisation", utilisation(shared, options), "%")
                .put("Jain's fairness index", Math.round(1000 * shared.fairness()) / 1000.0)
                .put("packets dropped by the full queue", shared.queueDrops());
        f.conclude(String.format(Locale.ROOT, "Alone, %s moved %.2f Mbit/s and %s %.2f; sharing, %s took %.0f%% of what they "
                        + "moved together (fairness index %.3f).", pair.get(0), mbit(first.goodput(0)), pair.get(1),
                mbit(second.goodput(0)), pair.get(0), 100 * shared.goodput(0) / (shared.goodput(0) + shared.goodput(1)),
                shared.fairness()));
        f.print(options, out);
        return 0;
    }

    private static double mbit(double bps) {
        return Math.round(bps / 1e4) / 100.0;
    }

    /** The share of the window the bottleneck spent sending, in percent to a tenth. */
    private static double utilisation(Run r, ScenarioOptions options) {
        return Math.round(1000 * r.utilisation()) / 10.0;
    }

    private static void alone(Findings.Group g, Run r, ScenarioOptions options) {
        BulkFlows.Flow x = r.flows().getFirst();
        g.put("goodput", mbit(r.goodput(0)), "Mbit/s")
                .put("link utilisation", utilisation(r, options), "%")
                .put("cwnd at the end", x.cwndEnd(), "segments").millis("smoothed RTT at the end", x.srttEnd())
                .put("bytes retransmitted", x.bytesRetrans(), "bytes").put("packets dropped by the full queue", r.queueDrops());
    }

    static Run flows(ScenarioOptions options, List<String> algorithms, String variant, boolean capture) {
        long duration = options.nanosParam(DURATION);
        long from = options.nanosParam(MEASURE_FROM);
        if (from >= duration) throw new OptionException("measure-from", "must be before --duration ends");
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack sender = tb.host("sender");
            Stack receiver = tb.host("receiver");
            Link link = tb.link(sender, CLIENT, receiver, SERVER, tb.userPath());
            tb.trace("sender");
            BottleneckMeter meter = BottleneckMeter.on(tb.sim(), link.aToB(), from, duration);
            tb.start(duration);
            List<BulkFlows.Flow> flows = BulkFlows.run(tb, sender, receiver, algorithms, -1, from, duration);
            meter.close();
            return new Run(flows, link.aToB().stats().droppedByQueue(), meter);
        }
    }
}
