package io.threeway.conformance.run;

import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.ParseResult;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;

/**
 * A packet the stack sent, captured at its interface, with its TCP header decoded and its option bytes
 * kept raw (packetdrill compares options byte for byte: their order and padding matter).
 */
record SentPacket(long timeNs, byte[] packet, boolean tcp, int srcPort, int dstPort, long seq, long ack, int flags,
                  int window, int urgent, byte[] options, int payload) {

    /** Decodes a captured IP packet; a packet that is not TCP has {@code tcp} false. */
    static SentPacket decode(long timeNs, byte[] p, int length) {
        IpPacket ip = new IpPacket();
        int version = (p[0] >> 4) & 0xF;
        ParseResult r = version == 6 ? Ipv6Header.parse(p, 0, length, ip) : Ipv4Header.parse(p, 0, length, ip);
        TcpSegment seg = new TcpSegment();
        if (!r.ok() || ip.protocol != 6 || !TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, seg).ok()) {
            return new SentPacket(timeNs, p, false, 0, 0, 0, 0, 0, 0, 0, new byte[0], 0);
        }
        int dataOffset = ((p[ip.payloadOffset + 12] & 0xFF) >>> 4) * 4;
        byte[] options = Arrays.copyOfRange(p, ip.payloadOffset + 20, ip.payloadOffset + dataOffset);
        return new SentPacket(timeNs, p, true, seg.srcPort, seg.dstPort, Integer.toUnsignedLong(seg.seq),
                Integer.toUnsignedLong(seg.ack), seg.flags, seg.window, seg.urgentPointer, options, seg.payloadLength);
    }
}
