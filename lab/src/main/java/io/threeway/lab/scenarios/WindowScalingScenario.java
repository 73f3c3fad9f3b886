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
import io.threeway.lab.OptionException;
import io.threeway.lab.Rates;
import io.threeway.sim.Link;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 7323's reason for being. The window field has 16 bits, so without scaling a sender may have at most
 * 65,535 bytes unacknowledged: one connection then moves at most 65,535 bytes per round trip, about
 * 5.2 Mbit/s at 100 ms whatever the link. With window scaling (negotiated in the SYN and SYN-ACK) and buffers
 * as large as the bandwidth-delay product, the same connection fills the link.
 */
public final class WindowScalingScenario implements Scenario {
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "8s", "1ms", null, "How long the sender keeps sending.");
    static final ScenarioParameter MEASURE_FROM = ScenarioParameter.duration("measure-from", "4s", "0s", null, "Goodput is measured from this time to the end (after slow start).");
    static final ScenarioParameter BUFFER_MAX = ScenarioParameter.integer("buffer-max", 67_108_864, 4096, Integer.MAX_VALUE, 
            "Bytes: the maximum of net.ipv4.tcp_rmem and tcp_wmem on both hosts (Linux's 4 MiB tcp_wmem caps a 12.5 MB BDP).");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "window-scaling"; }

    @Override public String summary() { return "The 65,535-byte window caps one connection near 5.2 Mbit/s at 100 ms; window scaling fills the link"; }

    @Override
    public List<String> help() {
        return List.of("Look for: goodput capped near 65,535 bytes per RTT without scaling; the queue's drops with it. Then try: --bandwidth 100mbit --queue 100, --rtt 20ms, --buffer-max 4194304.",
                "One bulk transfer over a link of --bandwidth (1gbit here) and --rtt, through a --queue of packets, with net.ipv4.tcp_window_scaling=0, then 1. "
                + "Settings that matter: net.ipv4.tcp_window_scaling, net.ipv4.tcp_rmem and tcp_wmem (their maximum "
                + "is --buffer-max), net.ipv4.tcp_moderate_rcvbuf (receive autotuning). The pcap holds the run "
                + "without scaling (its handshake shows no wscale option).");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(DURATION, MEASURE_FROM, BUFFER_MAX); }

    /** A fast long path: the bandwidth-delay product (12.5 MB) is far beyond 65,535 bytes. */
    @Override
    public Map<String, String> optionDefaults() { return Map.of("bandwidth", "1gbit"); }

    /**
     * What one run measured.
     *
     * @param goodputBps   bits a second of data that first reached the receiver between measure-from and the end
     * @param utilisation  the share of that time the bottleneck spent sending, 0 to 1
     * @param largestWindow the largest window the receiver offered, in bytes (after scaling)
     * @param wscale       the receiver's window scale as the sender applied it (0: none)
     * @param srttNanos    the sender's smoothed RTT at the end
     */
    record Outcome(double goodputBps, double utilisation, long delivered, int largestWindow, int wscale, long srttNanos,
                   int rcvBufAtEnd, long queueDrops) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        long bandwidth = options.link().bandwidth();
        if (bandwidth == 0) throw new OptionException("bandwidth", "window-scaling needs a bandwidth limit: the link's rate is what the window must fill");
        Outcome off = transfer(options.withSysctl("net.ipv4.tcp_window_scaling=0"), "tcp_window_scaling=0", true);
        Outcome on = transfer(options.withSysctl("net.ipv4.tcp_window_scaling=1"), "tcp_window_scaling=1", false);
        Findings f = new Findings(name());
        f.say("One connection sends for " + options.param(DURATION) + " over a " + Rates.format(bandwidth) + " link with "
                + options.rtt().toMillis() + " ms RTT and a " + options.link().queue() + "-packet queue; from " + options.param(MEASURE_FROM) + " on, counted at the bottleneck: goodput is "
                + "the data reaching the receiver for the first time, link utilisation the share of the time it spent sending.");
        report(f.group("tcp_window_scaling=0"), off, bandwidth);
        report(f.group("tcp_window_scaling=1"), on, bandwidth);
        f.conclude(String.format(Locale.ROOT, "Without scaling: %,d bytes per %.1f ms round trip = %.2f Mbit/s at most; "
                        + "it got %.2f Mbit/s. With scaling (shift %d) the window reached %,d bytes and the connection %.1f Mbit/s, "
                        + "%.0f%% of the link.",
                off.largestWindow, off.srttNanos / 1e6, off.largestWindow * 8 / (off.srttNanos / 1e9) / 1e6, off.goodputBps / 1e6,
                on.wscale, on.largestWindow, on.goodputBps / 1e6, 100 * on.goodputBps / bandwidth));
        double queueMs = options.link().queue() * 1500 * 8e3 / bandwidth;
        if (on.srttNanos > 1.2 * options.rtt().toNanos() || on.queueDrops > 0) {
            f.conclude(String.format(Locale.ROOT, "With scaling the smoothed RTT was %.1f ms against the path's %d ms: the "
                            + "difference is time spent in the sender's queue, which holds up to %d packets (%.0f ms at %s "
                            + "for full-size packets); when it was full it dropped %d packets, and the sender reduced its "
                            + "window after each loss episode (--queue sets the depth).", on.srttNanos / 1e6,
                    options.rtt().toMillis(), options.link().queue(), queueMs, Rates.format(bandwidth), on.queueDrops));
        }
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o, long bandwidth) {
        g.put("window scale (receiver's shift)", o.wscale).put("largest window offered", o.largestWindow, "bytes")
                .millis("smoothed RTT", o.srttNanos)
                .put("goodput", Math.round(o.goodputBps / 1e4) / 100.0, "Mbit/s")
                .put("link utilisation", Math.round(1000 * o.utilisation) / 10.0, "%")
                .put("bytes delivered", o.delivered, "bytes")
                .put("receive buffer at the end", o.rcvBufAtEnd, "bytes")
                .put("packets dropped by the full queue", o.queueDrops);
    }

    static Outcome transfer(ScenarioOptions options, String variant, boolean capture) {
        long duration = options.nanosParam(DURATION);
        long from = options.nanosParam(MEASURE_FROM);
        if (from >= duration) throw new IllegalArgumentException("--measure-from must be before the end of --duration");
        int bufferMax = options.intParam(BUFFER_MAX, 4096);
        ScenarioOptions o = options
                .withSysctl("net.ipv4.tcp_rmem=" + options.sysctls().get(Sysctl.TCP_RMEM, 0) + " "
                        + options.sysctls().get(Sysctl.TCP_RMEM, 1) + " " + bufferMax)
                .withSysctl("net.ipv4.tcp_wmem=" + options.sysctls().get(Sysctl.TCP_WMEM, 0) + " "
                        + options.sysctls().get(Sysctl.TCP_WMEM, 1) + " " + bufferMax);
        try (Testbed tb = new Testbed(o, variant, capture)) {
            Stack sender = tb.host("sender");
            Stack receiver = tb.host("receiver");
            Link link = tb.link(sender, CLIENT, receiver, SERVER, tb.userPath());
            if (capture) tb.trace("sender");
            BottleneckMeter meter = BottleneckMeter.on(tb.sim(), link.aToB(), from, duration);
            Listener l = receiver.listen(tb.any(), 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = sender.connect(tb.ip(SERVER), 5001, 0, new ConnectionOptions(), 0);
            sender.userCallDone();
            tb.start(duration);
            byte[] chunk = new byte[256 * 1024];
            long[] received = {0};
            int[] largest = {0};
            TcpConnection[] rcv = {null};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = tb.now();
                if (rcv[0] == null) rcv[0] = l.accept();
                while (snd.write(chunk, 0, chunk.length, now) > 0) { }
                if (rcv[0] != null) for (int n; (n = rcv[0].read(chunk, 0, chunk.length, now)) > 0; ) received[0] += n;
                sender.userCallDone();
                receiver.userCallDone();
                largest[0] = Math.max(largest[0], snd.info(now).sndWnd());
                if (now < duration) tb.sim().scheduleIn(MS, tick[0]);
            };
            tb.sim().schedule(0, tick[0]);
            tb.sim().runUntil(duration);
            meter.close();
            TcpInfo info = snd.info(tb.now());
            return new Outcome(meter.goodput(snd.tuple().localPort()), meter.utilisation(), received[0], largest[0], info.windowScaling() ? info.sndWscale() : 0, info.srtt(),
                    rcv[0] == null ? 0 : rcv[0].info(tb.now()).rcvSpace(), link.aToB().stats().droppedByQueue());
        }
    }
}
