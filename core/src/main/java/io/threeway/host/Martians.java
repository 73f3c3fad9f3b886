package io.threeway.host;

import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import java.util.List;

/**
 * Sources no packet may come from, which the stack drops before anything answers them (a SYN-ACK to a broadcast
 * address, to a multicast group, to 0.0.0.0, to 127.0.0.1, or to itself for a LAND packet).
 *
 * <p>IPv4 follows Linux's ip_route_input_slow and fib_validate_source ("martian source"): a multicast
 * (224.0.0.0/4) or limited broadcast (255.255.255.255) source, one in 0.0.0.0/8, a loopback one (127.0.0.0/8,
 * unless {@code route_localnet}), one of our own addresses (fib_validate_source: the source's route is RTN_LOCAL)
 * or an interface's subnet broadcast (RTN_BROADCAST). Linux counts these in /proc/net/stat/rt_cache's
 * {@code in_martian_src}; the stack counts them in {@code TcpExtThreewayInMartianSrc}.
 *
 * <p>A packet to a loopback address the host has (its {@code lo}) is not judged, as Linux trusts its loopback
 * device.
 *
 * <p>IPv6 follows ip6_rcv_core: a multicast source (RFC 4291 §2.7) or a loopback source or destination
 * (§2.5.3) on a real interface is a header error ({@code InHdrErrors}). An unspecified (::), IPv4-mapped or own
 * source is also dropped, as martian: Linux answers its own address over {@code lo}, never on the wire, and
 * refuses mapped sources in tcp_v6_conn_request.
 */
final class Martians {
    private Martians() {}

    /** What to do with a packet's source. */
    enum Verdict {
        /** An ordinary source. */
        OK,
        /** A martian source: dropped, counted in ThreewayInMartianSrc. */
        MARTIAN,
        /** An IPv6 header error (ip6_rcv_core): dropped, counted in InHdrErrors. */
        HEADER_ERROR
    }

    /** Judges {@code ip}'s source (and an IPv6 loopback destination) against the host's interfaces. */
    static Verdict judge(IpPacket ip, List<Interface> interfaces, boolean routeLocalnet) {
        if (onLoopback(ip, interfaces)) return Verdict.OK;
        return ip.v6() ? judgeV6(ip, interfaces) : judgeV4(ip, interfaces, routeLocalnet);
    }

    /**
     * Whether the packet is for a loopback address the host has (127.0.0.0/8, ::1): it came over a loopback
     * interface, where Linux trusts loopback and own sources (IFF_LOOPBACK).
     */
    private static boolean onLoopback(IpPacket ip, List<Interface> interfaces) {
        for (int i = 0; i < interfaces.size(); i++) {
            IpAddress a = interfaces.get(i).address();
            if (a.isLoopback() && a.v6() == ip.v6() && a.hi() == ip.dstHi && a.lo() == ip.dstLo) return true;
        }
        return false;
    }

    private static Verdict judgeV4(IpPacket ip, List<Interface> interfaces, boolean routeLocalnet) {
        long src = ip.srcLo & 0xFFFFFFFFL;
        int top = (int) (src >>> 24);
        if ((top & 0xF0) == 0xE0 || src == 0xFFFFFFFFL || top == 0) return Verdict.MARTIAN;
        if (top == 127 && !routeLocalnet) return Verdict.MARTIAN;
        for (int i = 0; i < interfaces.size(); i++) {
            Interface ifc = interfaces.get(i);
            if (ifc.address().v6()) continue;
            long own = ifc.address().lo() & 0xFFFFFFFFL;
            if (src == own) return Verdict.MARTIAN;
            int bits = ifc.prefixLength();
            if (bits > 0 && bits < 31) {
                long host = 0xFFFFFFFFL >>> bits;
                if (src == (own | host)) return Verdict.MARTIAN; // the subnet's broadcast address
            }
        }
        return Verdict.OK;
    }

    private static Verdict judgeV6(IpPacket ip, List<Interface> interfaces) {
        boolean srcLoopback = ip.srcHi == 0 && ip.srcLo == 1;
        boolean dstLoopback = ip.dstHi == 0 && ip.dstLo == 1;
        if (srcLoopback || dstLoopback || (ip.srcHi >>> 56) == 0xFF) return Verdict.HEADER_ERROR;
        if (ip.srcHi == 0 && (ip.srcLo == 0 || (ip.srcLo >>> 32) == 0xFFFF)) return Verdict.MARTIAN;
        for (int i = 0; i < interfaces.size(); i++) {
            Interface ifc = interfaces.get(i);
            if (ifc.address().v6() && ifc.address().hi() == ip.srcHi && ifc.address().lo() == ip.srcLo) return Verdict.MARTIAN;
        }
        return Verdict.OK;
    }
}
