package io.threeway.host;

/**
 * Where a stack sends IP packets: a simulated link, a TUN device, an in-memory pipe. The sink takes
 * ownership of {@code packet} (the stack never touches the array again), so a link can hold it in flight
 * without copying.
 *
 * <p>The stack builds each packet in an array it asks the sink for ({@link #buffer}): a sink that hands out
 * arrays it gets back (a {@link PacketPool}, once the packet has been delivered or written) makes the stack's
 * output allocate nothing; the default makes a new array for every packet.
 */
@FunctionalInterface
public interface PacketSink {
    /** Sends one IP packet of {@code length} bytes starting at index 0, at time {@code now} (ns). */
    void transmit(byte[] packet, int length, long now);

    /** An array of at least {@code length} bytes to build the next packet in (handed back through {@link #transmit}). */
    default byte[] buffer(int length) {
        return new byte[length];
    }

    /**
     * The stack's call (a packet received, timers advanced, a user call) has ended: a sink that holds packets
     * back to send several at once (a TUN device merging segments into one GSO super-packet) sends them now.
     * Called at the end of every such call, whether or not it transmitted.
     */
    default void flush() {
    }
}
