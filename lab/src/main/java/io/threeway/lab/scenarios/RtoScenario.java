package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.sim.Link;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.TcpSegment;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The retransmission timer (RFC 6298 with Linux's floor): request/answer rounds over a path with jitter, from which
 * the client's SRTT, RTTVAR and RTO follow; then a blackout during which the path carries nothing, and the
 * client's retransmissions of one request, each after twice the previous wait (exponential backoff); then the path
 * back, and what the late acknowledgment does to SRTT: with timestamps (RFC 7323) the echo names the transmission
 * it answers, so the sample is the true round trip; without, Karn's rule takes no sample from a retransmitted
 * segment. Run twice: net.ipv4.tcp_timestamps=1, then 0.
 */
public final class RtoScenario implements Scenario {
    static final ScenarioParameter ROUNDS = ScenarioParameter.integer("rounds", 50, 1, 1_000_000,
            "Request/answer rounds before the blackout (the RTT samples).");
    static final ScenarioParameter BLACKOUT = ScenarioParameter.duration("blackout", "10s", "0s", null,
            "How long the path carries nothing after the rounds.");

    /** Runs over IPv6 too ({@code -6}). */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("mtu", "each round's request and answer are a few bytes, which any MTU carries "
                + "whole: the RTT samples and the RTO do not change");
    }

    @Override public String name() { return "rto"; }

    @Override public String summary() { return "RTT estimation, the RTO and its exponential backoff, Karn's rule and timestamps, under jitter"; }

    @Override
    public List<String> help() {
        return List.of("Look for: SRTT near the RTT and RTO at SRTT + 4 RTTVAR but at least 200 ms more than the RTT; the "
                        + "retransmissions' gaps doubling during the blackout; SRTT unchanged by the late ACK. Then try: "
                        + "--jitter 45ms (RTTVAR and the RTO grow), --rtt 20ms, --blackout 60s, "
                        + "--sysctl net.ipv4.tcp_rto_min_us=50000.",
                "The path is 100 ms RTT with 20 ms of jitter each way by default. The pcap holds the run with timestamps.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(ROUNDS, BLACKOUT); }

    @Override
    public Map<String, String> optionDefaults() { return Map.of("jitter", "20ms"); }

    /**
     * One run's figures (ns).
     *
     * @param samples        the round trips of the rounds, request sent to answer read
     * @param retransmitGaps the waits before each retransmission of the request sent into the blackout
     */
    record Outcome(boolean timestamps, List<Long> samples, long srtt, long rttvar, long rto, List<Long> retransmitGaps,
                   long srttAfter, long rtoAfter, long timeouts, boolean delivered) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome ts = exchange(options.withSysctl("net.ipv4.tcp_timestamps=1"), true);
        Outcome karn = exchange(options.withSysctl("net.ipv4.tcp_timestamps=0"), false);
        Findings f = new Findings(name());
        f.say(options.param(ROUNDS) + " request/answer rounds over " + options.rtt().toMillis() + " ms RTT with "
                + options.link().jitter().toMillis() + " ms of jitter each way, then " + options.param(BLACKOUT)
                + " in which the path carries nothing while the client sends one more request.");
        report(f.group("tcp_timestamps=1"), ts);
        report(f.group("tcp_timestamps=0"), karn);
        f.conclude(String.format(Locale.ROOT, "The RTO before the blackout was %.1f ms: SRTT %.1f plus the larger of 4 x "
                        + "RTTVAR (%.1f) and Linux's 200 ms floor (tcp_rto_min); the retransmissions waited %s ms: "
                        + "first a tail loss probe, capped at one RTO (tcp_schedule_loss_probe: 2 x SRTT + 200 ms for a "
                        + "lone segment), then the RTO from the probe, each timeout twice the last. "
                        + "After the blackout SRTT was %.1f ms with timestamps (the echo names the retransmission it "
                        + "answers, so its round trip is a true sample) and %.1f ms without (Karn's rule: no sample from a "
                        + "retransmitted segment): neither took the blackout as a round trip.", ts.rto / 1e6, ts.srtt / 1e6, 4 * ts.rttvar / 1e6,
                join(ts.retransmitGaps), ts.srttAfter / 1e6, karn.srttAfter / 1e6));
        f.print(options, out);
        return ts.delivered && karn.delivered ? 0 : 1;
    }

    private static String join(List<Long> gaps) {
        List<String> s = new ArrayList<>();
        for (long g : gaps) s.add(String.format(Locale.ROOT, "%.0f", g / 1e6));
        return String.join(", ", s);
    }

    private static void report(Findings.Group g, Outcome o) {
        long min = o.samples.stream().mapToLong(Long::longValue).min().orElse(-1);
        long max = o.samples.stream().mapToLong(Long::longValue).max().orElse(-1);
        g.put("round trips measured", o.samples.size()).millisOrNever("shortest round trip", min)
                .millisOrNever("longest round trip", max).millis("SRTT before the blackout", o.srtt)
                .millis("RTTVAR before the blackout", o.rttvar).millis("RTO before the blackout", o.rto)
                .secondsList("waits before each retransmission", o.retransmitGaps, 3)
                .put("retransmission timeouts (TCPTimeouts)", o.timeouts)
                .millis("SRTT after the blackout", o.srttAfter).millis("RTO after the blackout", o.rtoAfter)
                .put("request answered after the blackout", o.delivered);
    }

    static Outcome exchange(ScenarioOptions options, boolean timestamps) {
        int rounds = options.intParam(ROUNDS, 1);
        long blackout = options.nanosParam(BLACKOUT);
        try (Testbed tb = new Testbed(options, "tcp_timestamps=" + (timestamps ? 1 : 0), timestamps)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            Link link = tb.link(c, CLIENT, s, SERVER, tb.userPath());
            TraceRecorder rec = tb.trace("client");
            Listener l = s.listen(tb.any(), 80, 8, new ConnectionOptions(), false);
            tb.start(0);
            ConnectionOptions noDelay = new ConnectionOptions();
            noDelay.noDelay = true;
            TcpConnection conn = c.connect(tb.ip(SERVER), 80, 0, noDelay, tb.now());
            c.userCallDone();
            tb.sim().runUntil(() -> conn.state() == TcpState.ESTABLISHED && l.acceptQueueLength() > 0, 60 * SECOND);
            TcpConnection server = l.accept();
            List<Long> samples = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Long rtt = round(tb, c, s, conn, server, 30 * SECOND);
                if (rtt == null) break;
                samples.add(rtt);
            }
            TcpInfo before = conn.info(tb.now());
            long srtt = before.srtt(), rttvar = before.rttvar(), rto = before.rto();
            long timeoutsBefore = c.counters().get(Counter.TCP_TIMEOUTS);
            long start = tb.now();
            link.aToB().addRule(Rules.blackholeBetween(start, start + blackout));
            link.bToA().addRule(Rules.blackholeBetween(start, start + blackout));
            int firstPacket = rec.packets().size();
            Long late = round(tb, c, s, conn, server, blackout + 600 * SECOND);
            List<Long> sends = new ArrayList<>();
            for (CapturedPacket p : rec.packets().subList(firstPacket, rec.packets().size())) {
                TcpSegment seg = CapturedSegments.tcp(p);
                if (p.outbound() && seg != null && seg.payloadLength > 0 && p.timeNanos() < start + blackout) sends.add(p.timeNanos());
            }
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < sends.size(); i++) gaps.add(sends.get(i) - sends.get(i - 1));
            TcpInfo after = conn.info(tb.now());
            return new Outcome(timestamps, samples, srtt, rttvar, rto, gaps, after.srtt(), after.rto(),
                    c.counters().get(Counter.TCP_TIMEOUTS) - timeoutsBefore, late != null);
        }
    }

    /** One request and its answer: the time from the write to the whole answer read, or null if it never came. */
    private static Long round(Testbed tb, Stack c, Stack s, TcpConnection conn, TcpConnection server, long patience) {
        byte[] msg = new byte[100];
        byte[] buf = new byte[4096];
        long start = tb.now();
        conn.write(msg, 0, msg.length, start);
        c.userCallDone();
        int[] got = {0, 0};
        boolean done = tb.sim().runUntil(() -> {
            long now = tb.now();
            for (int n; (n = server.read(buf, 0, buf.length, now)) > 0; ) got[0] += n;
            if (got[0] >= msg.length) {
                got[0] -= msg.length;
                server.write(msg, 0, msg.length, now);
            }
            s.userCallDone();
            for (int n; (n = conn.read(buf, 0, buf.length, now)) > 0; ) got[1] += n;
            c.userCallDone();
            return got[1] >= msg.length;
        }, start + patience);
        return done ? tb.now() - start : null;
    }
}
