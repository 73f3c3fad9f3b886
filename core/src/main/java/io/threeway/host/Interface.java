package io.threeway.host;

import io.threeway.wire.IpAddress;

/** One of a stack's network interfaces: an address in a prefix, the link it sends on, and its MTU. */
public record Interface(IpAddress address, int prefixLength, PacketSink sink, int mtu) {

    /** Whether {@code dst} lies in this interface's prefix. */
    public boolean contains(IpAddress dst) {
        if (dst.v6() != address.v6()) return false;
        if (!address.v6()) {
            if (prefixLength == 0) return true;
            long mask = (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
            return (dst.lo() & mask) == (address.lo() & mask);
        }
        int bits = prefixLength;
        long hiMask = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long loMask = bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
        return (dst.hi() & hiMask) == (address.hi() & hiMask) && (dst.lo() & loMask) == (address.lo() & loMask);
    }
}
