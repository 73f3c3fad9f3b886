package io.threeway.cli;

import io.threeway.wire.IpAddress;

/**
 * The fields of one captured IP packet that {@code dump}'s filters and {@code -v} read, decoded straight from the
 * bytes (no checksum check, no option parsing): version, protocol, addresses, and for TCP the ports and flags.
 * A field the packet is too short to hold reads as absent ({@code tcp} false, ports -1).
 *
 * @param version       4 or 6, or 0 for anything else
 * @param protocol      the transport protocol number (IPv4's protocol, IPv6's next header), or -1
 * @param src           the source address, or null
 * @param dst           the destination address, or null
 * @param ipHeaderLength bytes before the transport header
 * @param srcPort       the TCP or UDP source port, or -1
 * @param dstPort       the TCP or UDP destination port, or -1
 * @param tcpFlags      the TCP header's 13th byte (CWR ECE URG ACK PSH RST SYN FIN), or -1
 */
record PacketFields(int version, int protocol, IpAddress src, IpAddress dst, int ipHeaderLength, int srcPort, int dstPort,
                    int tcpFlags) {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    static PacketFields of(byte[] p) {
        if (p.length < 1) return new PacketFields(0, -1, null, null, 0, -1, -1, -1);
        int version = (p[0] & 0xff) >> 4;
        int proto;
        int hl;
        IpAddress src;
        IpAddress dst;
        if (version == 4 && p.length >= 20) {
            hl = (p[0] & 0x0f) * 4;
            proto = p[9] & 0xff;
            src = IpAddress.read(p, 12, false);
            dst = IpAddress.read(p, 16, false);
        } else if (version == 6 && p.length >= 40) {
            hl = 40;
            proto = p[6] & 0xff;
            src = IpAddress.read(p, 8, true);
            dst = IpAddress.read(p, 24, true);
        } else {
            return new PacketFields(version == 4 || version == 6 ? version : 0, -1, null, null, 0, -1, -1, -1);
        }
        boolean ports = (proto == TCP || proto == UDP) && p.length >= hl + 4;
        int sport = ports ? u16(p, hl) : -1;
        int dport = ports ? u16(p, hl + 2) : -1;
        int flags = proto == TCP && p.length > hl + 13 ? p[hl + 13] & 0xff : -1;
        return new PacketFields(version, proto, src, dst, hl, sport, dport, flags);
    }

    static int u16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }
}
