package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.ParseResult;
import java.util.Arrays;
import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;

/**
 * The IPv4 ({@code ipv4}) or IPv6 ({@code ipv6}) header parser, then the whole stack's inbound path with the same
 * packet. The first byte of an input is a mode: bit 0 fixes the IPv4 header checksum (so the fuzzer gets past
 * it), bit 1 writes the stack's address as the destination (so the packet is delivered), bits 2-3 put 0 to 3
 * bytes before the packet in the buffer and bits 4-5 cut 0 to 3 bytes off its end. The rest is the packet.
 *
 * <p>Invariants: the parser never throws; what it reports stays inside the buffer it was given; a packet it
 * accepts has version, lengths and (IPv4) checksum right; the stack then takes the packet without an internal
 * error, whatever it holds.
 */
final class IpTarget implements FuzzTarget {
    private final boolean v6;

    IpTarget(boolean v6) {
        this.v6 = v6;
    }

    @Override
    public String name() { return v6 ? "ipv6" : "ipv4"; }

    @Override
    public String description() {
        return (v6 ? "IPv6 header and extension headers" : "IPv4 header") + " (Ipv" + (v6 ? 6 : 4)
                + "Header.parse), then the stack's inbound path";
    }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int mode = in.nextByte();
        byte[] packet = in.rest();
        if ((mode & 2) != 0) aimAtStack(packet);
        if (!v6 && (mode & 1) != 0 && packet.length > 0) FuzzStack.fixIpv4Checksum(packet);
        int off = (mode >>> 2) & 3;
        int len = Math.max(0, packet.length - ((mode >>> 4) & 3));
        byte[] buffer = new byte[off + packet.length];
        System.arraycopy(packet, 0, buffer, off, packet.length);
        IpPacket ip = new IpPacket();
        ParseResult r = v6 ? Ipv6Header.parse(buffer, off, len, ip) : Ipv4Header.parse(buffer, off, len, ip);
        check(r != null, "null result");
        if (r == ParseResult.OK || r == ParseResult.FRAGMENT) checkAccepted(buffer, off, len, ip, r);
        if (r.ok() || (mode & 2) != 0) new FuzzStack().deliver(Arrays.copyOfRange(buffer, off, off + len));
    }

    private void checkAccepted(byte[] b, int off, int len, IpPacket ip, ParseResult r) {
        check(ip.version == (v6 ? 6 : 4), () -> "version " + ip.version + " accepted");
        check(ip.headerOffset == off, "header offset moved");
        check(ip.payloadOffset == off + ip.headerLength, "payload does not follow the header");
        check(ip.payloadLength >= 0 && ip.payloadOffset + ip.payloadLength <= off + len,
                () -> "payload " + ip.payloadOffset + "+" + ip.payloadLength + " outside " + off + "+" + len);
        check(ip.fragment == (r == ParseResult.FRAGMENT), "fragment flag and result disagree");
        if (v6) {
            check(ip.headerLength >= Ipv6Header.LENGTH, "IPv6 header shorter than 40");
            check(ip.totalLength() == Ipv6Header.LENGTH + Bytes.getU16(b, off + 4), "IPv6 length");
        } else {
            check(ip.headerLength >= Ipv4Header.LENGTH && ip.headerLength <= 60, "IPv4 IHL out of range");
            check(ip.totalLength() == Bytes.getU16(b, off + 2), "IPv4 total length");
            check(Checksum.verifies(Checksum.add(0, b, off, ip.headerLength)),
                    "IPv4 header with a bad checksum accepted");
        }
    }

    /** Writes the version, the peer as source and the stack as destination where the packet has room. */
    private void aimAtStack(byte[] p) {
        if (p.length == 0) return;
        p[0] = (byte) ((v6 ? 0x60 : 0x40) | (p[0] & 0x0F));
        IpAddress src = v6 ? FuzzStack.PEER6 : FuzzStack.PEER4;
        IpAddress dst = v6 ? FuzzStack.V6 : FuzzStack.V4;
        byte[] s = new byte[src.byteLength()];
        byte[] d = new byte[dst.byteLength()];
        src.write(s, 0);
        dst.write(d, 0);
        int at = v6 ? 8 : 12;
        for (int i = 0; i < s.length && at + i < p.length; i++) p[at + i] = s[i];
        for (int i = 0; i < d.length && at + s.length + i < p.length; i++) p[at + s.length + i] = d[i];
    }
}
