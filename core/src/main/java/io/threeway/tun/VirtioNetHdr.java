package io.threeway.tun;

/**
 * {@code struct virtio_net_hdr} (linux/virtio_net.h; the virtio specification, 5.1.6 "Device Operation"): the
 * 10 bytes in front of every packet on a TUN device opened with {@code IFF_VNET_HDR}. In host byte order, which
 * on this little-endian machine is the order the kernel's TUN uses without TUNSETVNETLE:
 * <pre>
 *   u8   flags        VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum at csum_start + csum_offset holds only the
 *                     pseudo-header's sum; the rest is to be summed from csum_start to the end
 *   u8   gso_type     VIRTIO_NET_HDR_GSO_NONE, _TCPV4, _TCPV6 (| _ECN): a super-packet to cut into gso_size pieces
 *   le16 hdr_len      the IP and TCP headers' length
 *   le16 gso_size     the payload of each segment the super-packet stands for (the MSS)
 *   le16 csum_start   where the checksummed part starts (the TCP header)
 *   le16 csum_offset  where in it the checksum field is (16 for TCP)
 * </pre>
 * One instance is a reusable view: {@link #parse} fills it from a frame, {@link #write} writes one.
 */
final class VirtioNetHdr {
    /** sizeof(struct virtio_net_hdr): what TUNSETVNETHDRSZ is given. */
    static final int LENGTH = 10;
    /** VIRTIO_NET_HDR_F_NEEDS_CSUM. */
    static final int F_NEEDS_CSUM = 1;
    /** VIRTIO_NET_HDR_F_DATA_VALID: the checksum was verified (receive side only). */
    static final int F_DATA_VALID = 2;
    /** VIRTIO_NET_HDR_GSO_NONE: one packet. */
    static final int GSO_NONE = 0;
    /** VIRTIO_NET_HDR_GSO_TCPV4: a TCP over IPv4 super-packet. */
    static final int GSO_TCPV4 = 1;
    /** VIRTIO_NET_HDR_GSO_TCPV6: a TCP over IPv6 super-packet. */
    static final int GSO_TCPV6 = 4;
    /** VIRTIO_NET_HDR_GSO_ECN: the super-packet's TCP header has CWR set (only on the first segment). */
    static final int GSO_ECN = 0x80;
    /** Where the TCP checksum is in the TCP header. */
    static final int TCP_CSUM_OFFSET = 16;

    /** The flags byte. */
    int flags;
    /** The GSO type, {@link #GSO_ECN} included. */
    int gsoType;
    /** hdr_len. */
    int hdrLen;
    /** gso_size. */
    int gsoSize;
    /** csum_start. */
    int csumStart;
    /** csum_offset. */
    int csumOffset;

    /** Reads the header at {@code b[off, off + LENGTH)}. */
    void parse(byte[] b, int off) {
        flags = b[off] & 0xFF;
        gsoType = b[off + 1] & 0xFF;
        hdrLen = le16(b, off + 2);
        gsoSize = le16(b, off + 4);
        csumStart = le16(b, off + 6);
        csumOffset = le16(b, off + 8);
    }

    /** Writes this header at {@code b[off, off + LENGTH)}. */
    void write(byte[] b, int off) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        putLe16(b, off + 2, hdrLen);
        putLe16(b, off + 4, gsoSize);
        putLe16(b, off + 6, csumStart);
        putLe16(b, off + 8, csumOffset);
    }

    /** A header for one ordinary packet whose checksums are complete: all zero. */
    void clear() {
        flags = gsoType = hdrLen = gsoSize = csumStart = csumOffset = 0;
    }

    /** Whether the packet is a super-packet (TCP over IPv4 or IPv6). */
    boolean isGso() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    /** Whether the transport checksum is partial (to be completed from {@link #csumStart}). */
    boolean needsChecksum() {
        return (flags & F_NEEDS_CSUM) != 0;
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    @Override
    public String toString() {
        return "virtio_net_hdr[flags " + flags + " gso " + gsoType + " hdr_len " + hdrLen + " gso_size " + gsoSize
                + " csum " + csumStart + "+" + csumOffset + "]";
    }
}
