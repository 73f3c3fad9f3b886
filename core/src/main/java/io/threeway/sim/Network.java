package io.threeway.sim;

import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.wire.IpAddress;

/**
 * The usual shape of an experiment: stacks with addresses, joined by simulated links, on one simulator.
 * Each stack's randomness is derived from the simulator's seed and the stack's name, so a run is
 * reproducible and adding a host does not disturb the others.
 */
public final class Network implements AutoCloseable {
    private final Simulator sim;

    public Network(long seed) {
        this.sim = new Simulator(seed);
    }

    public Simulator sim() { return sim; }

    public long now() { return sim.now(); }

    /** A stack with Linux's default settings. */
    public Stack host(String name) {
        return host(name, new Sysctls());
    }

    public Stack host(String name, Sysctls sysctls) {
        Stack s = new Stack(name, sysctls, sim.seed() * 31 + name.hashCode());
        sim.attach(s);
        return s;
    }

    /**
     * Joins {@code a} (at {@code aAddress}) and {@code b} (at {@code bAddress}) with a link that behaves as
     * {@code config} in each direction; both addresses get the given prefix and the link's MTU.
     */
    public Link link(Stack a, String aAddress, Stack b, String bAddress, int prefix, LinkConfig aToB, LinkConfig bToA) {
        Link link = sim.link(a, b, aToB, bToA);
        a.addInterface(IpAddress.parse(aAddress), prefix, link.sinkAtoB(), aToB.mtu());
        b.addInterface(IpAddress.parse(bAddress), prefix, link.sinkBtoA(), bToA.mtu());
        return link;
    }

    public Link link(Stack a, String aAddress, Stack b, String bAddress, LinkConfig config) {
        IpAddress addr = IpAddress.parse(aAddress);
        return link(a, aAddress, b, bAddress, addr.v6() ? 64 : 15, config, config);
    }

    @Override
    public void close() {
        sim.close();
    }
}
