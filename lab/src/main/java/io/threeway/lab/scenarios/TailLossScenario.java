package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.OptionException;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.sim.Link;
import io.threeway.sim.Packet;
import io.threeway.sim.Rule;
import io.threeway.sim.Verdict;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.TcpSegment;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A tail loss (RFC 8985 §7): the last segments of a response are lost, so no later segment draws the duplicate
 * ACKs or SACKs that would reveal the loss, and without a probe only the retransmission timeout resends them. With
 * tail loss probes (Linux's tcp_early_retrans=3, the default) the server resends the last segment after the probe
 * timeout (tcp_schedule_loss_probe: 2 SRTT, plus 200 ms with one segment in flight, never later than the RTO) and the
 * ACK of the probe repairs the loss without an RTO's collapse of the window. Run twice, tcp_early_retrans=3 and 0,
 * each with a second response on the same connection that shows what the repair left of the window.
 */
public final class TailLossScenario implements Scenario {
    static final ScenarioParameter SEGMENTS = ScenarioParameter.integer("segments", 10, 1, 100_000,
            "The response, in full segments (the server's MSS each).");
    static final ScenarioParameter LOST = ScenarioParameter.integer("lost", 1, 1, 100_000,
            "How many of the response's last segments the path drops the first time they are sent.");

    /** The request's size, bytes (one segment). */
    static final int REQUEST = 100;
    /** How long a response may take before the run gives up on it. */
    static final long PATIENCE = 600 * SECOND;

    /** Runs over IPv6 too ({@code -6}). */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "tail-loss"; }

    @Override public String summary() { return "The last segments of a response lost: a tail loss probe against the retransmission timeout"; }

    @Override
    public List<String> help() {
        return List.of("Look for: with tcp_early_retrans=3 the server resends the last segment as a loss probe and "
                        + "TCPLossProbes, TCPLossProbeRecovery count it; with 0 only the RTO resends it (TCPTimeouts), "
                        + "the window falls to one segment and the next response takes longer. Then try: --lost 3 (the "
                        + "probe resends only the last segment; TCPTimeouts shows what the others waited for), "
                        + "--rtt 20ms (the probe's 2 SRTT against the RTO's 200 ms floor), --segments 40.",
                "The pcap holds the run with probes (tcp_early_retrans=3), captured at the server.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(SEGMENTS, LOST); }

    /**
     * One run (times in ns from the request's write, -1 when the event did not happen).
     *
     * @param probes         the server's TCPLossProbes
     * @param probeRecovered the server's TCPLossProbeRecovery
     * @param timeouts       the server's TCPTimeouts
     * @param retransSegs    the server's RetransSegs
     * @param tailSent       when the last lost segment was first sent
     * @param probeAt        when the first probe went out
     * @param rtoAt          when the retransmission timer first expired
     * @param resent         the first retransmission as tcpdump prints it at the server, or null
     * @param resentSegment  which of the response's segments it resent (1 = the first), or -1
     * @param complete       when the client had read the whole response
     * @param srttAtTail     the server's smoothed RTT when the tail went out
     * @param cwndAfter      the server's congestion window when the next request came, in segments
     * @param nextResponse   how long the next response took, request written to last byte read
     */
    record Outcome(int earlyRetrans, long probes, long probeRecovered, long timeouts, long retransSegs, long tailSent,
                   long probeAt, long rtoAt, String resent, int resentSegment, long complete, long srttAtTail,
                   int cwndAfter, long nextResponse) {
        boolean delivered() { return complete >= 0 && nextResponse >= 0; }
    }

    /** The response's size in segments and how many of its last are lost, checked against each other. */
    private static int[] shape(ScenarioOptions options) {
        int n = options.intParam(SEGMENTS, 1);
        int lost = options.intParam(LOST, 1);
        if (lost > n) throw new OptionException("lost", lost + " is more than the response's " + n + " segments (--segments)");
        return new int[] {n, lost};
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        shape(options);
        Outcome tlp = exchange(options, 3, true);
        Outcome rto = exchange(options, 0, false);
        int n = shape(options)[0];
        int lost = shape(options)[1];
        Findings f = new Findings(name());
        f.say("A client sends a " + REQUEST + "-byte request; the server answers with " + n + " full segments over "
                + options.rtt().toMillis() + " ms RTT, and the path drops the last " + lost + " of them the first time "
                + "they are sent; then a second request and response on the same connection, with nothing lost. "
                + "Run with tail loss probes (net.ipv4.tcp_early_retrans=3, Linux's default) and without (0).");
        report(f.group("tcp_early_retrans=3"), tlp);
        report(f.group("tcp_early_retrans=0"), rto);
        f.conclude(conclusion(tlp, rto));
        f.print(options, out);
        return tlp.delivered() && rto.delivered() ? 0 : 1;
    }

    private static void report(Findings.Group g, Outcome o) {
        g.millisOrNever("response complete after", o.complete)
                .millis("server's SRTT when the tail was sent", o.srttAtTail)
                .millisOrNever("loss probe sent, after the tail", o.probeAt < 0 ? -1 : o.probeAt - o.tailSent)
                .millisOrNever("retransmission timeout, after the tail", o.rtoAt < 0 ? -1 : o.rtoAt - o.tailSent)
                .put("first retransmission", o.resent == null ? "none" : o.resent)
                .put("segment it resent", o.resentSegment)
                .put("TCPLossProbes", o.probes).put("TCPLossProbeRecovery", o.probeRecovered)
                .put("TCPTimeouts", o.timeouts).put("segments retransmitted (RetransSegs)", o.retransSegs)
                .put("cwnd when the next request came", o.cwndAfter, "segments")
                .millisOrNever("next response complete after", o.nextResponse);
    }

    private static String conclusion(Outcome tlp, Outcome rto) {
        StringBuilder b = new StringBuilder("With tail loss probes ");
        b.append(tlp.probeAt < 0 ? "no probe went out"
                : String.format(Locale.ROOT, "a probe resent segment %d %.1f ms after the tail went out", tlp.resentSegment,
                        (tlp.probeAt - tlp.tailSent) / 1e6));
        if (tlp.rtoAt >= 0) {
            b.append(String.format(Locale.ROOT, ", yet the retransmission timer still expired %.1f ms after it (nothing "
                    + "marked the earlier lost segments lost when the probe was acknowledged)", (tlp.rtoAt - tlp.tailSent) / 1e6));
        }
        b.append(String.format(Locale.ROOT, ", and the response was complete after %.1f ms; without, the retransmission "
                        + "timeout resent segment %d %.1f ms after the tail and the response took %.1f ms. The next response "
                        + "took %.1f ms after the probe (cwnd %d) and %.1f ms after the timeout (cwnd %d).",
                tlp.complete / 1e6, rto.resentSegment, rto.rtoAt < 0 ? -1 : (rto.rtoAt - rto.tailSent) / 1e6,
                rto.complete / 1e6, tlp.nextResponse / 1e6, tlp.cwndAfter, rto.nextResponse / 1e6, rto.cwndAfter));
        if (tlp.probeAt >= 0 && rto.rtoAt >= 0 && tlp.probeAt - tlp.tailSent >= rto.rtoAt - rto.tailSent) {
            b.append(" The probe came no sooner than the timeout would have: Linux never schedules it later than the RTO "
                    + "(tcp_schedule_loss_probe), and with one segment in flight its 2 SRTT + 200 ms (room for a delayed "
                    + "ACK) is longer; what it saves is the timeout's collapse of the window.");
        }
        return b.toString();
    }

    /** The response's bytes the path drops on their first transmission: [from, to) in sequence numbers. */
    private static final class TailDrop implements Rule {
        /** The first sequence number dropped. */
        int from;
        /** One past the last. */
        int to;
        /** Whether the response has been written (the range is set). */
        boolean armed;
        /** Sequence numbers already sent once. */
        final Set<Integer> seen = new HashSet<>();
        /** When the last dropped segment was first sent, ns, or -1. */
        long tailSent = -1;

        @Override
        public Verdict apply(Packet p, long now) {
            if (!armed || !p.isTcp() || !p.hasPayload()) return Verdict.PASS;
            int seq = p.tcpSeq();
            if (seq - from < 0 || seq - to >= 0 || !seen.add(seq)) return Verdict.PASS;
            tailSent = now;
            return Verdict.DROP;
        }
    }

    static Outcome exchange(ScenarioOptions options, int earlyRetrans, boolean capture) {
        int n = shape(options)[0];
        int lost = shape(options)[1];
        ScenarioOptions o = options.withSysctl("net.ipv4.tcp_early_retrans=" + earlyRetrans);
        try (Testbed tb = new Testbed(o, "tcp_early_retrans=" + earlyRetrans, capture)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            Link link = tb.link(c, CLIENT, s, SERVER, tb.userPath());
            TailDrop drop = new TailDrop();
            link.bToA().addRule(drop);
            TraceRecorder rec = tb.trace("server");
            Listener l = s.listen(tb.any(), 80, 8, new ConnectionOptions(), false);
            tb.start(0);
            TcpConnection conn = c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), tb.now());
            c.userCallDone();
            tb.sim().runUntil(() -> conn.state() == TcpState.ESTABLISHED && l.acceptQueueLength() > 0, 60 * SECOND);
            TcpConnection server = l.accept();
            if (server == null) throw new IllegalStateException("the connection was not accepted");
            int mss = server.info(tb.now()).mss();
            int start = server.info(tb.now()).sndNxt();
            drop.from = start + (n - lost) * mss;
            drop.to = start + n * mss;
            drop.armed = true;
            Watch w = new Watch(s, drop);
            long t0 = tb.now();
            long complete = respond(tb, c, s, conn, server, n * mss, w, PATIENCE);
            drop.armed = false;
            int cwndAfter = server.info(tb.now()).cwnd();
            long next = respond(tb, c, s, conn, server, n * mss, null, PATIENCE);
            Resend r = firstResend(rec.packets(), start, mss);
            return new Outcome(earlyRetrans, s.counters().get(Counter.TCP_LOSS_PROBES),
                    s.counters().get(Counter.TCP_LOSS_PROBE_RECOVERY), s.counters().get(Counter.TCP_TIMEOUTS),
                    s.counters().get(Counter.RETRANS_SEGS), drop.tailSent < 0 ? -1 : drop.tailSent - t0,
                    w.probeAt < 0 ? -1 : w.probeAt - t0, w.rtoAt < 0 ? -1 : w.rtoAt - t0, r == null ? null : r.line,
                    r == null ? -1 : r.segment, complete, w.srttAtTail, cwndAfter, next);
        }
    }

    /**
     * One request and its response on an established connection: the client writes {@link #REQUEST} bytes, the
     * server reads them and writes {@code size} bytes. Returns the time from the request's write until the client
     * had read the whole response, or -1 when it had not after {@code patience}; runs on until the server has the
     * ACK of it all, so its counters include what those ACKs did.
     */
    private static long respond(Testbed tb, Stack c, Stack s, TcpConnection conn, TcpConnection server, int size,
                                Watch w, long patience) {
        byte[] buf = new byte[64 * 1024];
        long start = tb.now();
        conn.write(new byte[REQUEST], 0, REQUEST, start);
        c.userCallDone();
        long[] n = new long[3]; // request bytes the server read, response bytes it wrote, response bytes the client read
        long[] read = {-1};     // when the client had read it all
        boolean done = tb.sim().runUntil(() -> {
            long now = tb.now();
            for (int r; n[0] < REQUEST && (r = server.read(buf, 0, (int) (REQUEST - n[0]), now)) > 0; ) n[0] += r;
            for (int wr; n[0] >= REQUEST && n[1] < size
                    && (wr = server.write(buf, 0, (int) Math.min(buf.length, size - n[1]), now)) > 0; ) n[1] += wr;
            s.userCallDone();
            for (int r; (r = conn.read(buf, 0, buf.length, now)) > 0; ) n[2] += r;
            c.userCallDone();
            if (w != null) w.look(now, server);
            if (n[2] >= size && read[0] < 0) read[0] = now;
            TcpInfo i = server.info(now);
            return read[0] >= 0 && i.sndUna() == i.sndMax(); // and the server has heard that all arrived
        }, start + patience);
        return done ? read[0] - start : -1;
    }

    /** The first retransmission the server sent: its tcpdump line and which segment of the response it carried. */
    private record Resend(String line, int segment) {}

    private static Resend firstResend(List<CapturedPacket> packets, int start, int mss) {
        int highest = start;
        for (CapturedPacket p : packets) {
            TcpSegment seg = CapturedSegments.tcp(p);
            if (!p.outbound() || seg == null || seg.payloadLength == 0) continue;
            int end = seg.seq + seg.payloadLength;
            if (seg.seq - highest < 0) return new Resend(p.lineWithoutTime(), (seg.seq - start) / mss + 1);
            if (end - highest > 0) highest = end;
        }
        return null;
    }

    /** Watches the server's counters after every event of a response: when the first probe and the first RTO came. */
    static final class Watch {
        /** The server. */
        private final Stack server;
        /** Its TCPLossProbes when the watch began. */
        private final long probes;
        /** Its TCPTimeouts when the watch began. */
        private final long timeouts;
        /** When the first probe went out, or -1. */
        long probeAt = -1;
        /** When the retransmission timer first expired, or -1. */
        long rtoAt = -1;
        /** The server's SRTT when the last lost segment was first sent, or -1. */
        long srttAtTail = -1;
        /** The path's drop, which knows when the tail went out. */
        private final TailDrop drop;

        Watch(Stack server, TailDrop drop) {
            this.server = server;
            this.drop = drop;
            this.probes = server.counters().get(Counter.TCP_LOSS_PROBES);
            this.timeouts = server.counters().get(Counter.TCP_TIMEOUTS);
        }

        /** Looks at the server after an event at {@code now}; {@code conn} is its end of the connection. */
        void look(long now, TcpConnection conn) {
            if (probeAt < 0 && server.counters().get(Counter.TCP_LOSS_PROBES) > probes) probeAt = now;
            if (rtoAt < 0 && server.counters().get(Counter.TCP_TIMEOUTS) > timeouts) rtoAt = now;
            if (srttAtTail < 0 && drop.tailSent >= 0) srttAtTail = conn.info(now).srtt();
        }
    }
}
