package io.threeway.lab.scenarios;

import io.threeway.trace.CapturedPacket;
import io.threeway.wire.IpPacket;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;

/** Reads a captured packet's TCP header back, as a scenario reading its own dump would. */
final class CapturedSegments {
    private CapturedSegments() {}

    /** The TCP segment in {@code p}, or null when it holds none (not TCP, or malformed). */
    static TcpSegment tcp(CapturedPacket p) {
        byte[] b = p.data();
        IpPacket ip = new IpPacket();
        boolean ok = b.length > 0 && (b[0] >>> 4 == 6 ? Ipv6Header.parse(b, 0, b.length, ip) : Ipv4Header.parse(b, 0, b.length, ip)).ok();
        if (!ok || ip.protocol != IpProtocol.TCP) return null;
        TcpSegment seg = new TcpSegment();
        return TcpCodec.parse(b, ip.payloadOffset, ip.payloadLength, seg).ok() ? seg : null;
    }
}
