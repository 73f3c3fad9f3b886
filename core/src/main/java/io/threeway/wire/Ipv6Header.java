package io.threeway.wire;

/**
 * The IPv6 header (RFC 8200 §3) and the extension headers in front of the upper layer (§4): reading
 * them into an {@link IpPacket} and writing the fixed header this stack sends.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                    Source Address (128 bits)                  |
 * |                 Destination Address (128 bits)                |
 * </pre>
 */
public final class Ipv6Header {
    private Ipv6Header() {}

    public static final int LENGTH = 40;
    /** Hop limit of every packet sent: Linux's net.ipv6.conf.all.hop_limit. */
    public static final int DEFAULT_HOP_LIMIT = 64;

    /**
     * Parses the IPv6 packet of {@code len} bytes at {@code b[off]} into {@code out}: checks room for the
     * fixed header, version 6 and a payload length within the buffer, then walks Hop-by-Hop, Routing and
     * Destination Options headers (RFC 8200 §4.3-4.6; each must fit in the payload) to the upper-layer
     * protocol. A Fragment header (§4.5) reports {@link ParseResult#FRAGMENT}. A payload length of zero is
     * taken literally (jumbograms, RFC 2675, are not supported).
     */
    public static ParseResult parse(byte[] b, int off, int len, IpPacket out) {
        out.clear();
        if (len < LENGTH) return ParseResult.TOO_SHORT;
        int word0 = Bytes.getInt(b, off);
        if (word0 >>> 28 != 6) return ParseResult.BAD_VERSION;
        out.version = 6;
        out.trafficClass = (word0 >>> 20) & 0xFF;
        out.ttl = b[off + 7] & 0xFF;
        out.srcHi = Bytes.getLong(b, off + 8);
        out.srcLo = Bytes.getLong(b, off + 16);
        out.dstHi = Bytes.getLong(b, off + 24);
        out.dstLo = Bytes.getLong(b, off + 32);
        out.headerOffset = off;
        int payloadLength = Bytes.getU16(b, off + 4);
        if (LENGTH + payloadLength > len) {
            out.headerLength = LENGTH;
            out.protocol = b[off + 6] & 0xFF;
            return ParseResult.TRUNCATED;
        }
        int next = b[off + 6] & 0xFF;
        int p = off + LENGTH;
        int end = p + payloadLength;
        ParseResult result = ParseResult.OK;
        while (true) {
            if (next == IpProtocol.HOP_BY_HOP || next == IpProtocol.IPV6_ROUTING || next == IpProtocol.IPV6_DEST_OPTS) {
                if (end - p < 8) { result = ParseResult.BAD_HEADER_LENGTH; break; }
                int extLen = ((b[p + 1] & 0xFF) + 1) * 8;
                if (extLen > end - p) { result = ParseResult.BAD_HEADER_LENGTH; break; }
                next = b[p] & 0xFF;
                p += extLen;
            } else if (next == IpProtocol.IPV6_FRAGMENT) {
                if (end - p < 8) { result = ParseResult.BAD_HEADER_LENGTH; break; }
                out.fragment = true;
                next = b[p] & 0xFF;
                p += 8;
                result = ParseResult.FRAGMENT;
                break;
            } else {
                break;
            }
        }
        out.protocol = next;
        out.headerLength = p - off;
        out.payloadOffset = p;
        out.payloadLength = end - p;
        return result;
    }

    /**
     * Writes a 40-byte header: traffic class and flow label 0, hop limit {@link #DEFAULT_HOP_LIMIT}, next
     * header {@code nextHeader} (6 for TCP, 58 for ICMPv6). Returns {@link #LENGTH}.
     */
    public static int write(byte[] b, int off, IpAddress src, IpAddress dst, int nextHeader, int payloadLength) {
        return write(b, off, src, dst, nextHeader, payloadLength, DEFAULT_HOP_LIMIT, 0, 0);
    }

    /** As {@link #write(byte[], int, IpAddress, IpAddress, int, int)} with a chosen hop limit, class and flow label. */
    public static int write(byte[] b, int off, IpAddress src, IpAddress dst, int nextHeader, int payloadLength,
                            int hopLimit, int trafficClass, int flowLabel) {
        Bytes.putInt(b, off, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xFFFFF));
        Bytes.putU16(b, off + 4, payloadLength);
        b[off + 6] = (byte) nextHeader;
        b[off + 7] = (byte) hopLimit;
        src.write(b, off + 8);
        dst.write(b, off + 24);
        return LENGTH;
    }
}
