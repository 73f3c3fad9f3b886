package io.threeway.lab.record;

import io.threeway.sim.PacketFate;

/**
 * One packet a host put on a link, with its fate.
 *
 * @param index      its position among the variant's packets (0, 1, ...)
 * @param from       the sending host's name (for a spoofed packet: the host on the sending side of the link)
 * @param to         the receiving host's name
 * @param sent       when it entered the link (virtual ns)
 * @param arrival    when it reached {@code to}, or -1 if it never did
 * @param duplicated it arrived twice
 * @param fate       delivered, or why it was dropped
 * @param data       the IP packet as sent
 * @param line       the packet as {@code tcpdump -nn} prints it, without the time stamp (sequence numbers
 *                   relative, as tcpdump shows them)
 */
public record RecordedPacket(int index, String from, String to, long sent, long arrival, boolean duplicated,
                             PacketFate fate, byte[] data, String line) {}
