package io.threeway.sim;

import io.threeway.host.Host;
import io.threeway.host.PacketSink;
import java.util.SplittableRandom;

/**
 * A point-to-point link between two hosts: two independent {@link LinkDirection}s, each with its own
 * impairments, rules, statistics and random generator. Created by {@link Simulator#link}; each host
 * transmits into its own side's sink:
 *
 * <pre>{@code
 * Link link = sim.link(a, b, LinkConfig.builder().delay(Duration.ofMillis(50)).loss(0.01).build());
 * a.addInterface(addrA, 24, link.sinkAtoB());
 * b.addInterface(addrB, 24, link.sinkBtoA());
 * link.bToA().addRule(Rules.dropFirst(1, Packet::isSynAck));
 * }</pre>
 */
public final class Link {
    private final int id;
    private final Host a;
    private final Host b;
    private final LinkDirection aToB;
    private final LinkDirection bToA;

    Link(Simulator sim, int id, HostDriver a, HostDriver b, LinkConfig aToBConfig, LinkConfig bToAConfig,
            SplittableRandom random) {
        this.id = id;
        this.a = a.host;
        this.b = b.host;
        this.aToB = new LinkDirection(sim, a.host.name() + "->" + b.host.name(), b, aToBConfig, random.split());
        this.bToA = new LinkDirection(sim, b.host.name() + "->" + a.host.name(), a, bToAConfig, random.split());
    }

    /** The link's creation index in its simulator. */
    public int id() {
        return id;
    }

    public Host a() {
        return a;
    }

    public Host b() {
        return b;
    }

    /** The direction from {@link #a()} to {@link #b()}. */
    public LinkDirection aToB() {
        return aToB;
    }

    /** The direction from {@link #b()} to {@link #a()}. */
    public LinkDirection bToA() {
        return bToA;
    }

    /** Where host a transmits. */
    public PacketSink sinkAtoB() {
        return aToB;
    }

    /** Where host b transmits. */
    public PacketSink sinkBtoA() {
        return bToA;
    }

    /** The direction {@code sender} transmits into. */
    public LinkDirection from(Host sender) {
        if (sender == a) return aToB;
        if (sender == b) return bToA;
        throw new IllegalArgumentException(sender.name() + " is not on this link");
    }

    @Override
    public String toString() {
        return "link " + id + " [" + aToB + "; " + bToA + "]";
    }
}
