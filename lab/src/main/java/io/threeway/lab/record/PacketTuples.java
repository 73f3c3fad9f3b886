package io.threeway.lab.record;

import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;

/** The four-tuple of a TCP packet, as the sending or the receiving host names it. */
public final class PacketTuples {
    private static final int TCP = 6;

    private PacketTuples() {}

    /**
     * The tuple of the IPv4 or IPv6 TCP packet {@code p}: (source, destination) for its sender
     * ({@code outbound}), (destination, source) for its receiver; null for anything else.
     */
    public static FourTuple of(byte[] p, boolean outbound) {
        if (p.length < 20) return null;
        int version = (p[0] & 0xFF) >>> 4;
        IpAddress src;
        IpAddress dst;
        int tcp;
        if (version == 4) {
            if ((p[9] & 0xFF) != TCP) return null;
            tcp = (p[0] & 0x0F) * 4;
            src = IpAddress.read(p, 12, false);
            dst = IpAddress.read(p, 16, false);
        } else if (version == 6 && p.length >= 40) {
            if ((p[6] & 0xFF) != TCP) return null;
            tcp = 40;
            src = IpAddress.read(p, 8, true);
            dst = IpAddress.read(p, 24, true);
        } else {
            return null;
        }
        if (p.length < tcp + 4) return null;
        int sport = ((p[tcp] & 0xFF) << 8) | (p[tcp + 1] & 0xFF);
        int dport = ((p[tcp + 2] & 0xFF) << 8) | (p[tcp + 3] & 0xFF);
        return outbound ? new FourTuple(src, sport, dst, dport) : new FourTuple(dst, dport, src, sport);
    }
}
