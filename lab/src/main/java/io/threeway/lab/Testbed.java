package io.threeway.lab;

import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Simulator;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * One variant of a scenario's run: a {@link Network} whose hosts take the user's settings, the user's seed,
 * and the lab's common services: the moments the tools print ({@link Moments}), the pcap file, and the
 * progress of a long run. Close it when the variant's run is over.
 *
 * <p>Only the testbed made with {@code capture} true writes the pcap file (a file holds one run's packets;
 * scenarios say in their help which variant that is).
 */
public final class Testbed implements AutoCloseable {
    private final ScenarioOptions options;
    private final String variant;
    private final Network net;
    private final List<Stack> stacks = new ArrayList<>();
    private final boolean capture;
    private OutputStream pcapFile;
    private PcapWriter pcap;
    private TraceRecorder recorder;
    private boolean watched;

    public Testbed(ScenarioOptions options, String variant, boolean capture) {
        this.options = options;
        this.variant = variant;
        this.capture = capture && options.pcap() != null;
        this.net = new Network(options.seed());
    }

    public Network net() { return net; }

    /** The options of this run. */
    public ScenarioOptions options() { return options; }

    public Simulator sim() { return net.sim(); }

    public long now() { return net.now(); }

    /** A host with the user's settings (a copy: a variant may change its own). */
    public Stack host(String name) {
        Stack s = net.host(name, new Sysctls(options.sysctls()));
        stacks.add(s);
        if (options.recorder() != null) options.recorder().watch(variant, net.sim(), List.of(s));
        return s;
    }

    /** Joins two hosts with the same link in both directions, as {@link Network#link}. */
    public Link link(Stack a, String aAddress, Stack b, String bAddress, LinkConfig config) {
        Link l = net.link(a, address(aAddress), b, address(bAddress), config);
        if (options.recorder() != null) options.recorder().watch(variant, net.sim(), List.of());
        return l;
    }

    /**
     * Joins two hosts on a subnet of {@code v4Prefix} bits (64 over IPv6), the addresses mapped as {@link #address}
     * does: for scenarios whose hosts have several links, each its own subnet.
     */
    public Link link(Stack a, String aAddress, Stack b, String bAddress, int v4Prefix, LinkConfig config) {
        Link l = net.link(a, address(aAddress), b, address(bAddress), options.ipv6() || aAddress.indexOf(':') >= 0 ? 64 : v4Prefix,
                config, config);
        if (options.recorder() != null) options.recorder().watch(variant, net.sim(), List.of());
        return l;
    }

    /** A scenario's address for this run: itself, or with {@code -6} its IPv6 counterpart ({@link #map}). */
    public String address(String v4) {
        return map(options.ipv6(), v4);
    }

    /** {@link #address} parsed. */
    public IpAddress ip(String v4) {
        return IpAddress.parse(address(v4));
    }

    /** The wildcard address a listener binds: 0.0.0.0, or :: with {@code -6}. */
    public IpAddress any() {
        return options.ipv6() ? IpAddress.ANY6 : IpAddress.ANY4;
    }

    /** An address and port as a scenario's text names them: {@code 198.18.0.2:80} or {@code [2001:db8::2]:80}. */
    public static String endpoint(boolean v6, String v4, int port) {
        return v6 ? "[" + map(true, v4) + "]:" + port : v4 + ":" + port;
    }

    /** An address as an HTTP Host header names it (RFC 9110 §7.2): {@code 198.18.0.2}, or {@code [2001:db8::2]} with -6. */
    public String hostHeader(String v4) {
        return options.ipv6() ? "[" + address(v4) + "]" : v4;
    }

    /**
     * The lab's IPv6 counterpart of one of its IPv4 addresses (RFC 2544's 198.18.0.0/15 to RFC 3849's
     * 2001:db8::/32): {@code 198.18.C.D} becomes {@code 2001:db8:C::D} (hex), so 198.18.0.2 is 2001:db8::2 (written as RFC 5952 writes it).
     */
    public static String map(boolean v6, String v4) {
        if (!v6 || v4.indexOf(':') >= 0) return v4;
        String[] o = v4.split("\\.");
        if (o.length != 4 || !o[0].equals("198") || !(o[1].equals("18") || o[1].equals("19"))) {
            throw new IllegalArgumentException("no IPv6 counterpart for " + v4);
        }
        int c = (Integer.parseInt(o[1]) - 18) * 256 + Integer.parseInt(o[2]);
        return IpAddress.parse("2001:db8:" + Integer.toHexString(c) + "::" + Integer.toHexString(Integer.parseInt(o[3]))).toString();
    }

    /** The user's path ({@link LinkOptions}): half the RTT of delay each way, and every impairment asked for. */
    public LinkConfig userPath() {
        return options.link().config();
    }

    /**
     * Records the packets at {@code vantage} (every observed stack's transitions) and, for the capturing
     * testbed, writes them to the pcap file. Call once, after the hosts are made.
     */
    public TraceRecorder trace(String vantage) {
        if (recorder != null) return recorder;
        if (capture) {
            try {
                pcapFile = Files.newOutputStream(options.pcap());
                pcap = new PcapWriter(pcapFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + options.pcap() + ": " + e.getMessage(), e);
            }
        }
        recorder = new TraceRecorder(vantage, pcap, net.sim()::now);
        for (Stack s : stacks) s.addObserver(recorder);
        return recorder;
    }

    /** Starts the run's clock for the tools and the progress bar: call after the hosts are made. */
    public void start(long expectedNanos) {
        if (!watched) {
            if (options.moments() != null) options.moments().watch(variant, net.sim(), List.copyOf(stacks));
            if (options.recorder() != null) options.recorder().watch(variant, net.sim(), List.copyOf(stacks));
            watched = true;
        }
        if (expectedNanos > 0 && options.progress() != Progress.NONE) {
            long step = Math.max(1, expectedNanos / 50);
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                options.progress().update(variant, Math.min(1.0, (double) net.now() / expectedNanos));
                if (net.now() + step <= expectedNanos) net.sim().scheduleIn(step, tick[0]);
            };
            net.sim().schedule(0, tick[0]);
        }
    }

    /** The run is over: the final moment for the tools, the pcap file closed. */
    @Override
    public void close() {
        try {
            if (options.moments() != null) options.moments().finish(variant, net.now(), List.copyOf(stacks));
            if (options.recorder() != null) options.recorder().finish(variant, net.sim());
            options.progress().update(variant, 1.0);
            if (pcap != null) {
                pcap.close();
                if (recorder.pcapError() != null) {
                    throw new UncheckedIOException("cannot write " + options.pcap() + ": "
                            + recorder.pcapError().getMessage(), recorder.pcapError());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + options.pcap() + ": " + e.getMessage(), e);
        } finally {
            net.close();
        }
    }
}
