package io.threeway.trace;

/**
 * One packet as a {@link TraceRecorder} captured it.
 *
 * @param timeNanos virtual time of the capture
 * @param endpoint  the name of the stack whose interface it crossed
 * @param outbound  sent by that stack (false: received)
 * @param data      a copy of the IP packet
 * @param line      the packet as {@code tcpdump -tt -nn} prints it, timestamp first
 */
public record CapturedPacket(long timeNanos, String endpoint, boolean outbound, byte[] data, String line)
        implements TraceEvent {

    /** The tcpdump line without its leading timestamp. */
    public String lineWithoutTime() {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(sp + 1);
    }
}
