package io.threeway.fuzz;

import java.util.List;

/** Every fuzz target, by name. */
public final class FuzzTargets {
    private FuzzTargets() {}

    /** The targets, in the order {@code threeway fuzz --list} shows them. */
    public static final List<FuzzTarget> ALL = List.of(
            new IpTarget(false),
            new IpTarget(true),
            new TcpTarget(),
            new IcmpTarget(),
            new EngineTarget(),
            new StackPairTarget(),
            new PacketdrillTarget(),
            new PcapTarget(),
            new HttpRequestTarget(),
            new SysctlTarget());

    /** The target called {@code name}; IllegalArgumentException naming the targets when there is none. */
    public static FuzzTarget get(String name) {
        for (FuzzTarget t : ALL) {
            if (t.name().equals(name)) return t;
        }
        throw new IllegalArgumentException("no fuzz target '" + name + "' (targets: "
                + String.join(", ", ALL.stream().map(FuzzTarget::name).toList()) + ")");
    }
}
