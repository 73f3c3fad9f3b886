package io.threeway.web;

/**
 * One packet as the views draw it, from a recorded run or a capture file.
 *
 * @param from    the sending host's name (for a capture: its address)
 * @param to      the receiving host's name
 * @param sent    when it left (virtual ns for a run; capture time for a file)
 * @param arrival when it arrived, or -1 when it was dropped; equal to {@code sent} for a capture (one
 *                vantage point: the flight time is not known)
 * @param dup     it arrived twice
 * @param fate    {@code delivered}, or why it was dropped ({@code lost}, {@code rule}, {@code queue}, {@code mtu})
 * @param why     the fate in words
 * @param data    the IP packet
 * @param line    the tcpdump line for it, without the time stamp, or null: {@link TraceView#line} formats it
 *                when it is first asked for (a capture file's)
 */
public record TracePacket(String from, String to, long sent, long arrival, boolean dup, String fate, String why,
                          byte[] data, String line) {}
