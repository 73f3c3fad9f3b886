package io.threeway.trace;

/**
 * One record read from a pcap file: the IP packet (link-layer header already removed), the time it was
 * captured in nanoseconds since the epoch (or since the simulation's start), and its length on the wire,
 * which exceeds {@code data.length} when the capture was cut at the snap length.
 */
public record PcapPacket(long timeNanos, byte[] data, int originalLength) {
    public boolean truncated() {
        return originalLength > data.length;
    }
}
