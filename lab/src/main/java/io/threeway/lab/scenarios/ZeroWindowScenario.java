package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.IpAddress;
import io.threeway.wire.TcpSegment;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import io.threeway.settings.Sysctl;

/**
 * Flow control at its limit (RFC 9293 §3.8.6.1). A sender streams to a receiver whose application stops
 * reading: the receive queue fills, the receiver's ACKs say {@code win 0}, and the sender, with data waiting
 * and nothing in flight, arms the persist timer and probes the closed window with a byte-less segment one
 * below SND.UNA, the receiver answering each with its window. The probes back off as retransmissions do.
 * When the application reads again the receiver announces the opened window and the transfer completes.
 */
public final class ZeroWindowScenario implements Scenario {
    static final ScenarioParameter SIZE = ScenarioParameter.integer("size", 2_000_000, 1, Integer.MAX_VALUE, "Bytes the sender sends.");
    static final ScenarioParameter STOP = ScenarioParameter.duration("stop-reading-at", "500ms", "0s", null, "When the receiving application stops reading.");
    static final ScenarioParameter RESUME = ScenarioParameter.duration("resume-at", "20s", "0s", null, "When it reads again.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "zero-window"; }

    @Override public String summary() { return "A receiver stops reading: Recv-Q fills, win 0, persist probes backing off, then the window reopens"; }

    @Override
    public List<String> help() {
        return List.of("Look for: win 0 in the capture, the persist probes' doubling gaps, and the window reopening without a probe. Then try: --rtt 300ms, --resume-at 60s, --size 1000 (the window never closes).",
                "Settings that matter: net.ipv4.tcp_rmem (the receive buffer the window is offered from), "
                + "net.ipv4.tcp_retries2 (how many unanswered probes end the connection; answered ones never do), "
                + "--rtt (the first probe waits one RTO). See the persist timer with "
                + "'threeway lab run zero-window --at 5s --ss -tnoi'. The pcap holds the whole run, captured at the sender.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(SIZE, STOP, RESUME); }

    /**
     * What the run measured.
     *
     * @param firstZeroWindow when the sender first read {@code win 0}, ns
     * @param probes          when the sender sent each zero-window probe, ns
     * @param reopened        when the sender first read a non-zero window after the probes, ns
     * @param completed       when the receiving application had every byte, ns (-1: never)
     * @param lines           tcpdump lines of the moments that tell the story
     */
    record Outcome(long firstZeroWindow, List<Long> probes, long reopened, long completed, int peakRecvQ,
                   int sendQAtStall, long received, long toZeroWindowAdv, List<String> lines) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome o = stall(options, true);
        Findings f = new Findings(name());
        f.say("The sender streams " + options.longParam(SIZE) + " bytes; the receiving application stops reading at "
                + options.param(STOP) + " and reads again at " + options.param(RESUME) + ". At the sender, tcpdump shows:");
        for (String line : o.lines) f.say("  " + line);
        if (o.firstZeroWindow < 0) {
            f.group("zero window").put("largest Recv-Q at the receiver", o.peakRecvQ, "bytes")
                    .put("TCPToZeroWindowAdv (receiver)", o.toZeroWindowAdv)
                    .seconds("transfer complete at", o.completed).put("bytes delivered", o.received, "bytes");
            f.conclude("The window never closed: all " + o.received + " bytes fit in the receiver's buffer (net.ipv4.tcp_rmem "
                    + options.sysctls().getString(Sysctl.TCP_RMEM).replace('\t', ' ')
                    + "), so no probe was needed. Send more than the buffer holds (--size) to see win 0 and the persist timer.");
            f.print(options, out);
            return o.completed < 0 ? 1 : 0;
        }
        Findings.Group g = f.group("zero window");
        g.put("largest Recv-Q at the receiver", o.peakRecvQ, "bytes").put("Send-Q at the sender while stalled", o.sendQAtStall, "bytes")
                .seconds("first win 0 at", o.firstZeroWindow).put("TCPToZeroWindowAdv (receiver)", o.toZeroWindowAdv)
                .put("persist probes", o.probes.size())
                .seconds("first probe after win 0", o.probes.isEmpty() ? -1 : o.probes.getFirst() - o.firstZeroWindow)
                .secondsList("probe times", o.probes, 3)
                .secondsList("gaps between probes", gaps(o.probes), 3)
                .seconds("window reopened at", o.reopened)
                .seconds("transfer complete at", o.completed).put("bytes delivered", o.received, "bytes");
        if (o.probes.size() >= 2 && o.reopened >= 0) {
            f.conclude(String.format(Locale.ROOT, "The first probe went %.3f s after win 0 (one RTO), the next ones %s s "
                            + "apart: each wait doubles, as the retransmission timer's does. The opened window reached the "
                            + "sender %.3f s after the application read again, without waiting for a probe.",
                    (o.probes.getFirst() - o.firstZeroWindow) / 1e9, joinSeconds(gaps(o.probes), 0).replace(" ", ", "),
                    (o.reopened - options.nanosParam(RESUME)) / 1e9));
        }
        if (o.completed < 0) {
            f.conclude("The transfer did not complete: " + o.received + " of " + options.longParam(SIZE)
                    + " bytes delivered by the end of the run.");
        }
        f.print(options, out);
        return o.completed < 0 ? 1 : 0;
    }

    static List<Long> gaps(List<Long> times) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) out.add(times.get(i) - times.get(i - 1));
        return out;
    }

    private static String joinSeconds(List<Long> nanos, long origin) {
        StringJoiner j = new StringJoiner(" ");
        for (long t : nanos) j.add(String.format(Locale.ROOT, "%.3f", (t - origin) / 1e9));
        return j.toString();
    }

    static Outcome stall(ScenarioOptions options, boolean capture) {
        long size = options.longParam(SIZE);
        long stop = options.nanosParam(STOP);
        long resume = options.nanosParam(RESUME);
        if (resume <= stop) throw new IllegalArgumentException("--resume-at must come after --stop-reading-at");
        try (Testbed tb = new Testbed(options, "", capture)) {
            Stack sender = tb.host("sender");
            Stack receiver = tb.host("receiver");
            tb.link(sender, CLIENT, receiver, SERVER, tb.userPath());
            TraceRecorder trace = tb.trace("sender");
            Listener l = receiver.listen(tb.any(), 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = sender.connect(tb.ip(SERVER), 5001, 0, new ConnectionOptions(), 0);
            sender.userCallDone();
            long deadline = resume + 600 * SECOND;
            tb.start(resume + SECOND);
            byte[] buf = new byte[64 * 1024];
            long[] sent = {0};
            long[] received = {0};
            long[] completed = {-1};
            int[] peakRecvQ = {0};
            int[] sendQAtStall = {0};
            TcpConnection[] rcv = {null};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = tb.now();
                if (rcv[0] == null) rcv[0] = l.accept();
                while (sent[0] < size) {
                    int n = snd.write(buf, 0, (int) Math.min(buf.length, size - sent[0]), now);
                    if (n <= 0) break;
                    sent[0] += n;
                }
                if (sent[0] == size && !snd.writeClosed()) snd.close(now);
                if (rcv[0] != null) {
                    peakRecvQ[0] = Math.max(peakRecvQ[0], rcv[0].readable());
                    if (now < stop || now >= resume) {
                        for (int n; (n = rcv[0].read(buf, 0, buf.length, now)) > 0; ) received[0] += n;
                    }
                    if (rcv[0].atEof() && completed[0] < 0) {
                        completed[0] = now;
                        rcv[0].close(now);
                    }
                }
                if (now < resume) sendQAtStall[0] = snd.sendQueue();
                sender.userCallDone();
                receiver.userCallDone();
                if (completed[0] < 0 && now < deadline) tb.sim().scheduleIn(MS, tick[0]);
            };
            tb.sim().schedule(0, tick[0]);
            tb.sim().runUntil(() -> completed[0] >= 0, deadline);
            tb.sim().runUntil(tb.now() + SECOND);
            return read(trace.packets(), completed[0], peakRecvQ[0], sendQAtStall[0], received[0],
                    receiver.counters().get(Counter.TCP_TO_ZERO_WINDOW_ADV));
        }
    }

    /** Finds the zero windows, the probes and the reopening in the sender's capture. */
    private static Outcome read(List<CapturedPacket> packets, long completed, int peakRecvQ, int sendQAtStall,
                                long received, long toZero) {
        long firstZero = -1;
        long reopened = -1;
        int lastAck = 0;
        boolean ackSeen = false;
        List<Long> probes = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (CapturedPacket p : packets) {
            TcpSegment seg = CapturedSegments.tcp(p);
            if (seg == null || seg.syn()) continue;
            if (!p.outbound() && seg.ackFlag()) {
                lastAck = seg.ack;
                ackSeen = true;
                if (seg.window == 0 && firstZero < 0) {
                    firstZero = p.timeNanos();
                    lines.add("win 0:    " + p.line());
                } else if (seg.window == 0 && !probes.isEmpty() && probes.size() <= 2) {
                    lines.add("answer:   " + p.line());
                } else if (seg.window > 0 && !probes.isEmpty() && reopened < 0) {
                    reopened = p.timeNanos();
                    lines.add("...");
                    lines.add("reopened: " + p.line());
                }
            } else if (p.outbound() && ackSeen && seg.payloadLength == 0 && !seg.fin() && seg.seq == lastAck - 1) {
                probes.add(p.timeNanos()); // a byte-less segment one below SND.UNA: the zero-window probe
                if (probes.size() <= 2) lines.add("probe:    " + p.line());
            }
        }
        return new Outcome(firstZero, probes, reopened, completed, peakRecvQ, sendQAtStall, received, toZero, lines);
    }
}
