package io.threeway.wire;

/**
 * What {@link Ipv4Header#parse} and {@link Ipv6Header#parse} learned about one IP packet: a mutable view,
 * reused for every inbound packet, holding offsets into the caller's buffer rather than copies.
 *
 * <p>Addresses are kept as raw bits (the layout of {@link IpAddress}) so that parsing allocates nothing;
 * {@link #source()} and {@link #destination()} build the {@code IpAddress} values on first use.
 */
public final class IpPacket {
    /** 4 or 6. */
    public int version;
    /** Upper-layer protocol: the IPv4 Protocol field, or the IPv6 Next Header after extension headers. */
    public int protocol;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** IPv4 TOS byte or IPv6 traffic class (DSCP and ECN bits). */
    public int trafficClass;
    /** IPv4 identification (0 for IPv6). */
    public int identification;
    /** Set when the packet is a fragment (IPv4 MF or non-zero offset; an IPv6 fragment header). */
    public boolean fragment;
    /** Offset of the IP header in the buffer. */
    public int headerOffset;
    /** Bytes of IP header: IHL * 4, or 40 plus any IPv6 extension headers walked. */
    public int headerLength;
    /** The upper-layer payload: {@code payloadLength} bytes from {@code payloadOffset}. */
    public int payloadOffset;
    public int payloadLength;

    /** Source and destination in {@link IpAddress}'s layout (IPv4 in the low 32 bits of {@code lo}). */
    public long srcHi, srcLo, dstHi, dstLo;

    private IpAddress source;
    private IpAddress destination;

    public boolean v6() {
        return version == 6;
    }

    /** The packet's total length as used: header plus payload (trailing link padding excluded). */
    public int totalLength() {
        return headerLength + payloadLength;
    }

    public IpAddress source() {
        IpAddress a = source;
        if (a == null) source = a = new IpAddress(srcHi, srcLo, v6());
        return a;
    }

    public IpAddress destination() {
        IpAddress a = destination;
        if (a == null) destination = a = new IpAddress(dstHi, dstLo, v6());
        return a;
    }

    /** Whether the source is {@code a}, without allocating. */
    public boolean sourceIs(IpAddress a) {
        return a.v6() == v6() && a.hi() == srcHi && a.lo() == srcLo;
    }

    /** Whether the destination is {@code a}, without allocating. */
    public boolean destinationIs(IpAddress a) {
        return a.v6() == v6() && a.hi() == dstHi && a.lo() == dstLo;
    }

    /** Forgets everything, ready for the next parse. */
    public void clear() {
        version = protocol = ttl = trafficClass = identification = 0;
        fragment = false;
        headerOffset = headerLength = payloadOffset = payloadLength = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        source = destination = null;
    }

    @Override
    public String toString() {
        return "IpPacket[v" + version + " " + source() + " > " + destination() + " proto " + protocol
                + " ttl " + ttl + " payload " + payloadOffset + "+" + payloadLength + (fragment ? " fragment" : "") + "]";
    }
}
