package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.ParseResult;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;

/**
 * The TCP header and options parser ({@code TcpCodec.parse}), a write-and-parse-again round trip, then the stack
 * with the segment in a valid IP packet (checksums right) from the peer. The first byte is a mode: bit 0 IPv6,
 * bit 1 aims the segment at the listening port, bits 2-3 put 0 to 3 bytes before it in the buffer. The rest is the
 * segment.
 *
 * <p>Invariants: the parser never throws and keeps to its buffer; option values it reports are ones RFC 9293,
 * 7323, 2018 and 7413 allow; a segment it accepts, written back with Linux's layout, parses to the same header
 * and the same options (SACK blocks and Fast Open may be cut to fit 40 bytes, as the writer documents); the
 * stack takes the segment without an internal error.
 */
final class TcpTarget implements FuzzTarget {
    @Override
    public String name() { return "tcp"; }

    @Override
    public String description() { return "TCP header and options (TcpCodec.parse), a round trip, then the stack"; }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int mode = in.nextByte();
        byte[] segment = in.rest();
        if ((mode & 2) != 0 && segment.length >= 4) Bytes.putU16(segment, 2, FuzzStack.PORT);
        int off = (mode >>> 2) & 3;
        byte[] buffer = new byte[off + segment.length];
        System.arraycopy(segment, 0, buffer, off, segment.length);
        TcpSegment seg = new TcpSegment();
        ParseResult r = TcpCodec.parse(buffer, off, segment.length, seg);
        if (r.ok()) {
            checkAccepted(seg, off, segment.length);
            roundTrip(seg);
        }
        new FuzzStack().deliver(inIp(segment, (mode & 1) != 0));
    }

    private static void checkAccepted(TcpSegment seg, int off, int len) {
        check(seg.payloadOffset >= off + TcpCodec.HEADER_LENGTH && seg.payloadOffset <= off + len, "payload offset");
        check(seg.payloadOffset + seg.payloadLength == off + len, "payload does not end with the segment");
        TcpOptions o = seg.options;
        check(o.sackBlocks >= 0 && o.sackBlocks <= TcpOptions.MAX_SACK_BLOCKS, () -> o.sackBlocks + " SACK blocks");
        check(o.mss >= -1 && o.mss <= 0xFFFF && o.windowScale >= -1 && o.windowScale <= 0xFF, "MSS or window scale");
        int cookie = o.fastOpenCookieLength;
        check(!o.fastOpen || cookie == 0 || (cookie >= 4 && cookie <= 16 && cookie % 2 == 0), () -> "cookie of " + cookie);
    }

    private static void roundTrip(TcpSegment seg) {
        byte[] b = new byte[TcpCodec.MAX_HEADER_LENGTH];
        int hlen = TcpCodec.write(seg, b, 0);
        TcpSegment again = new TcpSegment();
        check(TcpCodec.parse(b, 0, hlen, again).ok(), "what the writer wrote does not parse");
        check(again.srcPort == seg.srcPort && again.dstPort == seg.dstPort && again.seq == seg.seq
                && again.ack == seg.ack && again.flags == seg.flags && again.window == seg.window
                && again.urgentPointer == seg.urgentPointer, () -> "header fields changed: " + seg + " -> " + again);
        TcpOptions o = seg.options;
        TcpOptions a = again.options;
        check(a.mss == o.mss && a.windowScale == o.windowScale && a.sackPermitted == o.sackPermitted,
                () -> "MSS, window scale or SACK-permitted changed: " + seg + " -> " + again);
        check(a.timestamps == o.timestamps && (!o.timestamps || (a.tsVal == o.tsVal && a.tsEcr == o.tsEcr)),
                () -> "timestamps changed: " + seg + " -> " + again);
        check(a.sackBlocks <= o.sackBlocks, "SACK blocks appeared");
        for (int i = 0; i < a.sackBlocks; i++) {
            check(a.sackLeft[i] == o.sackLeft[i] && a.sackRight[i] == o.sackRight[i], "SACK block changed");
        }
        check(!a.fastOpen || a.fastOpenCookieLength == o.fastOpenCookieLength, "Fast Open cookie length changed");
    }

    /** The segment in an IP packet from the peer to the stack, with both checksums right. */
    private static byte[] inIp(byte[] segment, boolean v6) {
        IpAddress src = v6 ? FuzzStack.PEER6 : FuzzStack.PEER4;
        IpAddress dst = v6 ? FuzzStack.V6 : FuzzStack.V4;
        int ipLen = v6 ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        int len = Math.min(segment.length, 0xFFFF - ipLen);
        byte[] p = new byte[ipLen + len];
        if (v6) Ipv6Header.write(p, 0, src, dst, IpProtocol.TCP, len);
        else Ipv4Header.write(p, 0, src, dst, IpProtocol.TCP, len, 1);
        System.arraycopy(segment, 0, p, ipLen, len);
        FuzzStack.fixTransportChecksum(p, src, dst, IpProtocol.TCP);
        return p;
    }
}
