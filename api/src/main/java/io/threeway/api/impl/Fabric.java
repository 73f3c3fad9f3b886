package io.threeway.api.impl;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.wire.IpAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins every host of a network to every other: each host has one interface, and each packet it transmits goes
 * into the wire of the pair (sender, destination), made the first time the pair talks (or is configured) with
 * the network's default impairments. A packet for an address no host has is dropped and counted, as a packet
 * to a neighbour that never answers ARP.
 */
public final class Fabric {
    /** The engine that makes the wires. */
    private final Engine engine;
    /** Every host's addresses. */
    private final Map<IpAddress, Stack> byAddress = new HashMap<>();
    /** The wires out of each host, by destination host. */
    private final Map<Stack, Map<Stack, Wire>> wires = new IdentityHashMap<>();
    /** The impairments a pair's link starts with. */
    private LinkConfig defaults = LinkConfig.PERFECT;
    /** Packets dropped for want of a host at their destination. */
    private long unroutable;
    /** Each host's interface sink (one per host, for both its addresses). */
    private final Map<Stack, HostSink> sinks = new IdentityHashMap<>();

    /** A fabric whose wires {@code engine} makes. */
    public Fabric(Engine engine) {
        this.engine = engine;
    }

    /** Gives {@code stack} an interface at {@code address} on the fabric. */
    public void join(Stack stack, IpAddress address, int prefix) {
        if (byAddress.containsKey(address)) throw new IllegalArgumentException("address " + address + " is taken");
        byAddress.put(address, stack);
        stack.addInterface(address, prefix, sinks.computeIfAbsent(stack, HostSink::new), defaults.mtu());
    }

    /**
     * Turns segmentation offload on or off for {@code stack}'s interface (ethtool -K tso/gso): with it, its
     * connections send super-segments of several MSS, carried whole by the wires (the MTU applies to each segment
     * one stands for), as over the kernel's loopback.
     */
    public void setOffload(Stack stack, boolean on) {
        sinks.computeIfAbsent(stack, HostSink::new).gsoMaxSize = on ? LinkConfig.GSO_MAX_SIZE : 0;
    }

    /** Whether {@code stack}'s interface offloads segmentation. */
    public boolean offload(Stack stack) {
        HostSink sink = sinks.get(stack);
        return sink != null && sink.gsoMaxSize > 0;
    }

    /** The impairments new links start with. */
    public void setDefaults(LinkConfig config) {
        this.defaults = config;
    }

    /** The host at {@code address}, or null. */
    public Stack at(IpAddress address) {
        return byAddress.get(address);
    }

    /** The two wires between {@code a} and {@code b} (a to b, b to a), made now if the pair never talked. */
    public Wire[] pair(Stack a, Stack b) {
        if (a == b) throw new IllegalArgumentException("a host has no link to itself");
        Wire ab = wires.computeIfAbsent(a, k -> new IdentityHashMap<>()).get(b);
        if (ab != null) return new Wire[] {ab, wires.get(b).get(a)};
        Wire[] made = engine.connect(a, b, defaults, defaults);
        wires.get(a).put(b, made[0]);
        wires.computeIfAbsent(b, k -> new IdentityHashMap<>()).put(a, made[1]);
        return made;
    }

    /** Every wire out of {@code stack}, in the order the pairs were made. */
    public Iterable<Wire> wiresFrom(Stack stack) {
        return wires.getOrDefault(stack, Map.of()).values();
    }

    /** Every wire into {@code stack}. */
    public Iterable<Wire> wiresTo(Stack stack) {
        List<Wire> in = new ArrayList<>();
        for (Map.Entry<Stack, Map<Stack, Wire>> e : wires.entrySet()) {
            Wire w = e.getValue().get(stack);
            if (w != null) in.add(w);
        }
        return in;
    }

    /** Packets dropped because no host had their destination address. */
    public long unroutable() {
        return unroutable;
    }

    /** Where a host transmits: the wire towards each packet's destination. */
    private final class HostSink implements PacketSink {
        /** The sending host. */
        private final Stack from;
        /** The largest super-segment it may send (0: segmentation offload off, the default). */
        private int gsoMaxSize;

        HostSink(Stack from) {
            this.from = from;
        }

        @Override
        public int gsoMaxSize() {
            return gsoMaxSize;
        }

        @Override
        public byte[] buffer(int length) {
            return engine.buffer(length);
        }

        @Override
        public void transmit(byte[] packet, int length, long now) {
            transmit(packet, length, 0, now);
        }

        @Override
        public void transmit(byte[] packet, int length, int gsoSize, long now) {
            Stack to = byAddress.get(destination(packet, length));
            if (to == null || to == from) {
                unroutable++;
                return;
            }
            pair(from, to)[0].sink().transmit(packet, length, gsoSize, now);
        }
    }

    /** The destination address of an IPv4 or IPv6 packet, or null when the header is short. */
    private static IpAddress destination(byte[] p, int length) {
        if (length < 1) return null;
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4 && length >= 20) return IpAddress.read(p, 16, false);
        if (version == 6 && length >= 40) return IpAddress.read(p, 24, true);
        return null;
    }
}
