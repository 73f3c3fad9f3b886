package io.threeway.conformance.run;

import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.ParseResult;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;
import java.util.List;

/**
 * A packet the stack sent, captured at its interface, with its TCP header decoded and its option bytes
 * kept raw (packetdrill compares options byte for byte: their order and padding matter).
 *
 * @param flags the TCP flags, with AE (the accurate-ECN bit) as 0x100
 * @param tos the IPv4 TOS or IPv6 traffic class byte (its low two bits are the ECN field)
 * @param ttl the TTL or hop limit
 */
record SentPacket(long timeNs, byte[] packet, boolean tcp, int srcPort, int dstPort, long seq, long ack, int flags,
                  int window, int urgent, byte[] options, int payload, int tos, int ttl) {

    /** Decodes a captured IP packet; a packet that is not TCP has {@code tcp} false. */
    static SentPacket decode(long timeNs, byte[] p, int length) {
        IpPacket ip = new IpPacket();
        int version = (p[0] >> 4) & 0xF;
        ParseResult r = version == 6 ? Ipv6Header.parse(p, 0, length, ip) : Ipv4Header.parse(p, 0, length, ip);
        TcpSegment seg = new TcpSegment();
        if (!r.ok() || ip.protocol != 6 || !TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, seg).ok()) {
            return new SentPacket(timeNs, p, false, 0, 0, 0, 0, 0, 0, 0, new byte[0], 0, r.ok() ? ip.trafficClass : 0, 0);
        }
        int dataOffset = ((p[ip.payloadOffset + 12] & 0xFF) >>> 4) * 4;
        int ae = (p[ip.payloadOffset + 12] & 1) != 0 ? Flags.AE : 0;
        byte[] options = Arrays.copyOfRange(p, ip.payloadOffset + 20, ip.payloadOffset + dataOffset);
        return new SentPacket(timeNs, p, true, seg.srcPort, seg.dstPort, Integer.toUnsignedLong(seg.seq),
                Integer.toUnsignedLong(seg.ack), (seg.flags & 0xFF) | ae, seg.window, seg.urgentPointer, options, seg.payloadLength,
                ip.trafficClass, ip.ttl);
    }

    /**
     * Why {@code next} cannot follow {@code prev} as a fragment of one expected segment (packetdrill's
     * verify_packet_fragments, non-strict: SYN, RST, ACK, URG, ECE and AE alike, contiguous sequence numbers, the
     * same ACK, window, urgent pointer and header length), or null when it can.
     */
    static String fragmentMismatch(SentPacket prev, SentPacket next) {
        int checked = 0x02 | 0x04 | 0x10 | 0x20 | 0x40 | Flags.AE;
        if ((prev.flags & checked) != (next.flags & checked)) return "flags differ";
        if (next.seq != ((prev.seq + prev.payload) & 0xFFFFFFFFL)) return "sequence numbers not contiguous";
        if (next.ack != prev.ack) return "ACK numbers differ";
        if (next.window != prev.window) return "windows differ";
        if (next.urgent != prev.urgent) return "urgent pointers differ";
        if (next.options.length != prev.options.length) return "header lengths differ";
        return null;
    }

    /**
     * Consecutive fragments as one packet, as packetdrill's aggregate_packets builds it: the last one's headers
     * and time, the first one's sequence number and CWR bit, all the payload.
     */
    static SentPacket aggregate(List<SentPacket> parts) {
        SentPacket first = parts.get(0);
        SentPacket last = parts.get(parts.size() - 1);
        int payload = 0;
        for (SentPacket p : parts) payload += p.payload;
        int flags = (last.flags & ~0x80) | (first.flags & 0x80);
        return new SentPacket(last.timeNs, last.packet, true, last.srcPort, last.dstPort, first.seq, last.ack, flags, last.window,
                last.urgent, last.options, payload, last.tos, last.ttl);
    }
}
