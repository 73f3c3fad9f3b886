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
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * tcp_retries2: a connection whose peer goes silent in the middle of a transfer retransmits with a doubling
 * RTO until Linux's tcp_model_timeout for tcp_retries2 has passed, then fails with ETIMEDOUT: about 924.6 s
 * (15 minutes) with the default 15, about 12.6 s with 5. The path is 1 ms RTT by default, so the RTO starts at the
 * 200 ms floor (plus the RTT) as the seeds assume.
 */
public final class Retries2Scenario implements Scenario {
    static final ScenarioParameter VALUES = ScenarioParameter.text("values", "15,5", "The tcp_retries2 values to compare, comma-separated.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "loss", "the peer goes silent right after the handshake, so a lost retransmission looks like an "
                        + "unanswered one, and a handshake packet lost and resent still gives the same RTT sample (its "
                        + "timestamp echo): nothing it measures changes",
                "duplicate", "only the handshake crosses the path before it goes silent, and TCP ignores a duplicated "
                        + "SYN, SYN-ACK or ACK: nothing it measures changes",
                "queue", "only the handshake crosses the path, one packet at a time: no queue ever holds two",
                "mtu", "the peer is silent, so each timeout resends one segment whatever the MSS: neither the timeouts "
                        + "nor their number change");
    }

    @Override public String name() { return "retries2"; }

    @Override public String summary() { return "A peer goes silent mid-transfer: how long tcp_retries2 15 and 5 keep retransmitting"; }

    @Override
    public List<String> help() {
        return List.of("Look for: the doubling gaps between retransmissions and the 15 minutes tcp_retries2=15 takes. Then try: --values 8,3, --rtt 100ms (a longer first RTO), --sysctl net.ipv4.tcp_rto_max_ms=10000.",
                "Settings that matter: net.ipv4.tcp_retries2 (set per run from --values), net.ipv4.tcp_rto_min_us, "
                + "net.ipv4.tcp_rto_max_ms. The pcap holds the first run.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(VALUES); }

    /** A data-centre path, so the RTO starts at its 200 ms floor as the seeds' arithmetic assumes. */
    @Override
    public Map<String, String> optionDefaults() { return Map.of("rtt", "1ms"); }

    record Outcome(int retries2, long failedAfter, long retransmissions, String error) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        List<Outcome> outcomes = new ArrayList<>();
        boolean first = true;
        for (String v : options.param(VALUES).split(",")) {
            int value;
            try {
                value = Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--values: '" + v.strip() + "' is not a whole number");
            }
            outcomes.add(silence(options.withSysctl("net.ipv4.tcp_retries2=" + value), "tcp_retries2=" + value, first, value));
            first = false;
        }
        Findings f = new Findings(name());
        f.say("The client writes 1,000 bytes; the server has gone silent; the client retransmits until it gives up.");
        for (Outcome o : outcomes) {
            f.group("tcp_retries2=" + o.retries2).seconds("write failed after", o.failedAfter)
                    .put("retransmissions", o.retransmissions).put("error", o.error);
        }
        f.print(options, out);
        return 0;
    }

    static Outcome silence(ScenarioOptions options, String variant, boolean capture, int value) {
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            Link link = tb.link(c, CLIENT, s, SERVER, tb.userPath());
            tb.trace("client");
            Listener l = s.listen(tb.any(), 80, 16, new ConnectionOptions(), false);
            TcpConnection conn = c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), 0);
            c.userCallDone();
            tb.start(0);
            tb.sim().runUntil(() -> l.acceptQueueLength() == 1, 10 * SECOND);
            l.accept();
            link.bToA().addRule(Rules.dropMatching(p -> true));
            link.aToB().addRule(Rules.dropMatching(p -> true));
            long start = tb.now();
            byte[] data = new byte[1000];
            conn.write(data, 0, data.length, start);
            c.userCallDone();
            tb.sim().runUntil(() -> conn.state() == TcpState.CLOSED, start + 7200 * SECOND);
            boolean closed = conn.state() == TcpState.CLOSED;
            return new Outcome(value, closed ? tb.now() - start : -1, c.counters().get(Counter.RETRANS_SEGS),
                    conn.error() == null ? null : conn.error().message());
        }
    }
}
