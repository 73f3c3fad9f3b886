package io.threeway.conformance.run;

/**
 * The runner's network device, as packetdrill's tun device behaves: it takes whatever the stack hands it,
 * including TSO/GSO super-segments larger than the MTU (a packet with several MSS of payload), and passes them to
 * the script unsplit; {@code ethtool -K tun0 gso off tso off} asks for segments of at most one MSS instead. Its
 * queue is a plain FIFO ({@code tc qdisc ... pfifo}, what defaults.sh installs); {@code fq} would pace.
 */
final class ScriptDevice {
    /** Whether the device takes GSO/TSO super-segments (packetdrill's tun device: yes, unless ethtool said off). */
    boolean gso = true;
    /** The queueing discipline the script asked for ({@code pfifo} by default). */
    String qdisc = "pfifo";
    /**
     * {@code pfifo limit 0}: a queue that holds nothing, so every packet the stack hands the device is dropped
     * there (packetdrill's tun device otherwise drains at once: no other limit ever drops).
     */
    boolean dropsEverything;
    /** Packets dropped by the queue, never seen by the script. */
    int dropped;
}
