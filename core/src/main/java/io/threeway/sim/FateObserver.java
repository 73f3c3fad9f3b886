package io.threeway.sim;

/**
 * Learns the fate of every packet a host transmits into a {@link LinkDirection}, the moment it is decided
 * (when the packet enters the link): delivered at a known time, or dropped and why. Called on the simulator
 * thread; the bytes are the packet as the sender wrote it and must not be modified or kept (copy them).
 * A link with no observer pays nothing for this.
 */
@FunctionalInterface
public interface FateObserver {

    /**
     * @param direction  the link direction the packet entered
     * @param packet     the IP packet as sent (before any rule rewrote it)
     * @param length     its length in bytes
     * @param sent       when the host transmitted it (virtual ns)
     * @param arrival    when it reaches the far end, or -1 when dropped
     * @param duplicated it arrives a second time right after the first
     * @param fate       delivered, or why it was dropped
     */
    void fate(LinkDirection direction, byte[] packet, int length, long sent, long arrival, boolean duplicated,
              PacketFate fate);
}
