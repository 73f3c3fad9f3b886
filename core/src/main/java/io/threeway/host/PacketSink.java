package io.threeway.host;

/**
 * Where a stack sends IP packets: a simulated link, a TUN device, an in-memory pipe. The sink takes
 * ownership of {@code packet} (the stack never touches the array again), so a link can hold it in flight
 * without copying.
 */
@FunctionalInterface
public interface PacketSink {
    /** Sends one IP packet of {@code length} bytes starting at index 0, at time {@code now} (ns). */
    void transmit(byte[] packet, int length, long now);
}
