package io.threeway.wire;

/**
 * Builds complete IP packets, exactly as long as they need to be, ready to hand to a
 * {@code PacketSink}: IP header, transport header, payload, both checksums filled in.
 */
public final class PacketBuilder {
    private PacketBuilder() {}

    /**
     * An IPv4 or IPv6 packet (by the family of {@code src}, which must match {@code dst}) carrying
     * {@code seg}: header and options laid out by {@code layout}, payload copied from
     * {@code seg.payload[payloadOffset, +payloadLength)}. {@code ipId} fills the IPv4 identification field
     * and is ignored for IPv6.
     */
    public static byte[] buildTcp(IpAddress src, IpAddress dst, TcpSegment seg, OptionLayout layout, int ipId) {
        byte[] p = new byte[tcpPacketLength(src.v6(), seg, layout)];
        buildTcp(src, dst, seg, layout, ipId, p);
        return p;
    }

    /** The length of the IP packet {@link #buildTcp} makes for {@code seg}: IP header, TCP header and options, payload. */
    public static int tcpPacketLength(boolean v6, TcpSegment seg, OptionLayout layout) {
        int ipLen = v6 ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        return ipLen + TcpCodec.headerLength(seg, layout) + seg.payloadLength;
    }

    /**
     * {@link #buildTcp(IpAddress, IpAddress, TcpSegment, OptionLayout, int)} into {@code p} from index 0, which must
     * hold {@link #tcpPacketLength} bytes (a buffer a link reuses); returns the packet's length. Allocates nothing.
     */
    public static int buildTcp(IpAddress src, IpAddress dst, TcpSegment seg, OptionLayout layout, int ipId, byte[] p) {
        if (src.v6() != dst.v6()) throw new IllegalArgumentException("address families differ: " + src + " > " + dst);
        int ipLen = src.v6() ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        int tcpHeader = TcpCodec.headerLength(seg, layout);
        int tcpLen = tcpHeader + seg.payloadLength;
        int ecn = seg.ecn & 3; // the low two bits of the TOS byte / traffic class (RFC 3168 §5)
        if (src.v6()) {
            Ipv6Header.write(p, 0, src, dst, IpProtocol.TCP, tcpLen, Ipv6Header.DEFAULT_HOP_LIMIT, ecn, 0);
        } else {
            Ipv4Header.write(p, 0, src, dst, IpProtocol.TCP, tcpLen, ipId, Ipv4Header.DEFAULT_TTL, ecn);
        }
        TcpCodec.write(seg, layout, p, ipLen);
        if (seg.payloadLength > 0) System.arraycopy(seg.payload, seg.payloadOffset, p, ipLen + tcpHeader, seg.payloadLength);
        TcpCodec.fillChecksum(p, ipLen, tcpLen, src, dst);
        return ipLen + tcpLen;
    }

    /** {@link #buildTcp(IpAddress, IpAddress, TcpSegment, OptionLayout, int)} with Linux's option layout. */
    public static byte[] buildTcp(IpAddress src, IpAddress dst, TcpSegment seg, int ipId) {
        return buildTcp(src, dst, seg, OptionLayout.LINUX, ipId);
    }

    /**
     * An ICMP (IPv4, RFC 792) or ICMPv6 (RFC 4443) packet carrying the {@code len}-byte message at
     * {@code message[off]} (type, code, checksum, body); the checksum field is computed here, over the
     * message alone for ICMP and with the pseudo-header for ICMPv6 (RFC 4443 §2.3).
     */
    public static byte[] buildIcmp(IpAddress src, IpAddress dst, byte[] message, int off, int len, int ipId) {
        if (src.v6() != dst.v6()) throw new IllegalArgumentException("address families differ: " + src + " > " + dst);
        int ipLen = src.v6() ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        byte[] p = new byte[ipLen + len];
        System.arraycopy(message, off, p, ipLen, len);
        if (src.v6()) {
            Ipv6Header.write(p, 0, src, dst, IpProtocol.ICMPV6, len);
            Checksum.fillTransport(p, ipLen, len, 2, src, dst, IpProtocol.ICMPV6);
        } else {
            Ipv4Header.write(p, 0, src, dst, IpProtocol.ICMP, len, ipId);
            p[ipLen + 2] = 0;
            p[ipLen + 3] = 0;
            Bytes.putU16(p, ipLen + 2, Checksum.compute(p, ipLen, len));
        }
        return p;
    }
}
