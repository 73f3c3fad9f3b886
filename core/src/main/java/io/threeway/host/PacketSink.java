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
    /** The usual largest super-segment, IP header included (Linux's GSO_LEGACY_MAX_SIZE, sk_gso_max_size's default). */
    int GSO_MAX_SIZE = 65536;

    /** Sends one IP packet of {@code length} bytes starting at index 0, at time {@code now} (ns). */
    void transmit(byte[] packet, int length, long now);

    /** An array of at least {@code length} bytes to build the next packet in (handed back through {@link #transmit}). */
    default byte[] buffer(int length) {
        return new byte[length];
    }

    /**
     * The largest super-segment this sink takes whole (Linux's gso_max_size of a device with NETIF_F_TSO/GSO), IP
     * header included; 0 (the default) when it takes only packets of the interface's MTU. A stack sends a
     * connection's data in super-segments of several MSS (tcp_tso_autosize) only through a sink that says so.
     */
    default int gsoMaxSize() {
        return 0;
    }

    /**
     * Sends a super-segment of {@code length} bytes whose TCP payload stands for segments of {@code gsoSize} bytes
     * each (Linux's gso_size), as one packet: called only on a sink whose {@link #gsoMaxSize} is not 0. By default
     * the packet goes as it is (an in-memory link carries it whole, as the kernel's loopback); a sink that must know
     * the segment size (a TUN device's virtio_net_hdr, a link whose MTU applies to each segment) overrides this.
     */
    default void transmit(byte[] packet, int length, int gsoSize, long now) {
        transmit(packet, length, now);
    }

    /**
     * The stack's call (a packet received, timers advanced, a user call) has ended: a sink that holds packets
     * back to send several at once (a TUN device merging segments into one GSO super-packet) sends them now.
     * Called at the end of every such call, whether or not it transmitted.
     */
    default void flush() {
    }
}
