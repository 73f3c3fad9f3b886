package io.threeway.sim;

/**
 * A hook on one direction of a {@link Link} that sees every packet the sender transmits, before the MTU
 * check and the impairments, and may drop it, delay it, or rewrite it. The lab's fault injection is made of
 * these ("drop the first SYN-ACK", "blackhole everything after t = 5 s"); {@link Rules} has the common ones.
 *
 * <p>A rule runs on the simulator thread, at transmit time, with the {@link Packet} view reused across
 * calls: keep nothing from it. Rules may keep state (a count, a flag); an instance added to two directions
 * shares that state.
 */
@FunctionalInterface
public interface Rule {
    /** Decides the fate of {@code packet}, transmitted at virtual time {@code now} (ns). */
    Verdict apply(Packet packet, long now);
}
