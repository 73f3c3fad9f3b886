package io.threeway.wire;

/**
 * The IPv4 header (RFC 791 §3.1): reading it into an {@link IpPacket} and writing the header this stack
 * sends.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 * </pre>
 */
public final class Ipv4Header {
    private Ipv4Header() {}

    /** Header length without options. */
    public static final int LENGTH = 20;
    /** TTL of every packet sent: Linux's net.ipv4.ip_default_ttl. */
    public static final int DEFAULT_TTL = 64;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    /**
     * Parses the IPv4 packet of {@code len} bytes at {@code b[off]} into {@code out}. Checks, in the order
     * Linux's ip_rcv_core does: room for a header, version 4, IHL at least 5 and within the buffer, the header
     * checksum, then a total length no larger than the buffer and no smaller than the header. Bytes beyond
     * the total length (link padding) are ignored. A fragment parses fully and reports {@link
     * ParseResult#FRAGMENT}; the host puts fragments back together (host.IpReassembly).
     */
    public static ParseResult parse(byte[] b, int off, int len, IpPacket out) {
        out.clear();
        if (len < LENGTH) return ParseResult.TOO_SHORT;
        int vihl = b[off] & 0xFF;
        if (vihl >>> 4 != 4) return ParseResult.BAD_VERSION;
        int hlen = (vihl & 0x0F) * 4;
        if (hlen < LENGTH || hlen > len) return ParseResult.BAD_HEADER_LENGTH;
        out.version = 4;
        out.trafficClass = b[off + 1] & 0xFF;
        out.identification = Bytes.getU16(b, off + 4);
        out.ttl = b[off + 8] & 0xFF;
        out.protocol = b[off + 9] & 0xFF;
        out.srcLo = Bytes.getInt(b, off + 12) & 0xFFFFFFFFL;
        out.dstLo = Bytes.getInt(b, off + 16) & 0xFFFFFFFFL;
        out.headerOffset = off;
        out.headerLength = hlen;
        if (!Checksum.verifies(Checksum.add(0, b, off, hlen))) return ParseResult.BAD_CHECKSUM;
        int total = Bytes.getU16(b, off + 2);
        if (total > len) return ParseResult.TRUNCATED;
        if (total < hlen) return ParseResult.BAD_TOTAL_LENGTH;
        out.payloadOffset = off + hlen;
        out.payloadLength = total - hlen;
        int frag = Bytes.getU16(b, off + 6);
        if ((frag & (FLAG_MF | OFFSET_MASK)) != 0) {
            out.fragment = true;
            return ParseResult.FRAGMENT;
        }
        return ParseResult.OK;
    }

    /**
     * Writes a 20-byte header with DF set, TTL {@link #DEFAULT_TTL}, TOS 0 and the header checksum, for a
     * payload of {@code payloadLength} bytes. Returns {@link #LENGTH}.
     */
    public static int write(byte[] b, int off, IpAddress src, IpAddress dst, int protocol, int payloadLength, int id) {
        return write(b, off, src, dst, protocol, payloadLength, id, DEFAULT_TTL, 0);
    }

    /** As {@link #write(byte[], int, IpAddress, IpAddress, int, int, int)} with a chosen TTL and TOS byte. */
    public static int write(byte[] b, int off, IpAddress src, IpAddress dst, int protocol, int payloadLength,
                            int id, int ttl, int tos) {
        b[off] = 0x45;
        b[off + 1] = (byte) tos;
        Bytes.putU16(b, off + 2, LENGTH + payloadLength);
        Bytes.putU16(b, off + 4, id);
        Bytes.putU16(b, off + 6, FLAG_DF);
        b[off + 8] = (byte) ttl;
        b[off + 9] = (byte) protocol;
        b[off + 10] = 0;
        b[off + 11] = 0;
        Bytes.putInt(b, off + 12, src.v4Bits());
        Bytes.putInt(b, off + 16, dst.v4Bits());
        Bytes.putU16(b, off + 10, Checksum.compute(b, off, LENGTH));
        return LENGTH;
    }
}
