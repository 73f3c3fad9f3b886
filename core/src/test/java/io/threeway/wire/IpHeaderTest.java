package io.threeway.wire;

import static io.threeway.wire.TestPackets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class IpHeaderTest {
    final IpPacket ip = new IpPacket();

    static byte[] v4() {
        return packet(A4, B4, withPayload(segment(1, 2, 3, 4, TcpFlags.ACK, 5), 10));
    }

    static void fixChecksum(byte[] p) {
        p[10] = 0;
        p[11] = 0;
        Bytes.putU16(p, 10, Checksum.compute(p, 0, (p[0] & 0x0F) * 4));
    }

    @Test
    void writesWhatLinuxSends() {
        byte[] p = v4();
        assertEquals(0x45, p[0] & 0xFF);
        assertEquals(0x4000, Bytes.getU16(p, 6), "DF set, no fragment offset");
        assertEquals(64, p[8] & 0xFF);
        assertEquals(6, p[9] & 0xFF);
        assertEquals(p.length, Bytes.getU16(p, 2));
        assertEquals(ParseResult.OK, Ipv4Header.parse(p, 0, p.length, ip));
        assertEquals(4, ip.version);
        assertEquals(A4, ip.source());
        assertEquals(B4, ip.destination());
        assertTrue(ip.sourceIs(A4) && ip.destinationIs(B4));
        assertEquals(IpProtocol.TCP, ip.protocol);
        assertEquals(20, ip.payloadOffset);
        assertEquals(30, ip.payloadLength);
        assertEquals(64, ip.ttl);
    }

    @Test
    void idFieldIsTheCallersValue() {
        byte[] p = new byte[20];
        Ipv4Header.write(p, 0, A4, B4, IpProtocol.ICMP, 0, 0xBEEF);
        assertEquals(0xBEEF, Bytes.getU16(p, 4));
        assertEquals(ParseResult.OK, Ipv4Header.parse(p, 0, 20, ip));
        assertEquals(0xBEEF, ip.identification);
    }

    @Test
    void ignoresLinkPaddingBeyondTotalLength() {
        byte[] p = Arrays.copyOf(v4(), 80);
        assertEquals(ParseResult.OK, Ipv4Header.parse(p, 0, p.length, ip));
        assertEquals(30, ip.payloadLength);
    }

    @Test
    void parsesAtAnOffset() {
        byte[] p = v4();
        byte[] q = new byte[p.length + 7];
        System.arraycopy(p, 0, q, 5, p.length);
        assertEquals(ParseResult.OK, Ipv4Header.parse(q, 5, p.length, ip));
        assertEquals(25, ip.payloadOffset);
        assertTrue(TcpCodec.checksumOk(q, ip));
    }

    @Test
    void v4Malformed() {
        byte[] p = v4();
        assertEquals(ParseResult.TOO_SHORT, Ipv4Header.parse(p, 0, 19, ip));
        assertEquals(ParseResult.TOO_SHORT, Ipv4Header.parse(p, 0, 0, ip));

        byte[] badVersion = v4();
        badVersion[0] = 0x55;
        assertEquals(ParseResult.BAD_VERSION, Ipv4Header.parse(badVersion, 0, badVersion.length, ip));

        byte[] badIhl = v4();
        badIhl[0] = 0x44;
        assertEquals(ParseResult.BAD_HEADER_LENGTH, Ipv4Header.parse(badIhl, 0, badIhl.length, ip));

        byte[] ihlBeyond = Arrays.copyOf(v4(), 40);
        ihlBeyond[0] = 0x4F; // 60-byte header in a 40-byte buffer
        assertEquals(ParseResult.BAD_HEADER_LENGTH, Ipv4Header.parse(ihlBeyond, 0, 40, ip));

        byte[] tooLong = v4();
        Bytes.putU16(tooLong, 2, tooLong.length + 1);
        fixChecksum(tooLong);
        assertEquals(ParseResult.TRUNCATED, Ipv4Header.parse(tooLong, 0, tooLong.length, ip));

        byte[] belowHeader = v4();
        Bytes.putU16(belowHeader, 2, 19);
        fixChecksum(belowHeader);
        assertEquals(ParseResult.BAD_TOTAL_LENGTH, Ipv4Header.parse(belowHeader, 0, belowHeader.length, ip));

        byte[] badSum = v4();
        badSum[8] = 63;
        assertEquals(ParseResult.BAD_CHECKSUM, Ipv4Header.parse(badSum, 0, badSum.length, ip));
    }

    @Test
    void v4FragmentsAreReported() {
        byte[] mf = v4();
        Bytes.putU16(mf, 6, 0x2000);
        fixChecksum(mf);
        assertEquals(ParseResult.FRAGMENT, Ipv4Header.parse(mf, 0, mf.length, ip));
        assertTrue(ip.fragment);

        byte[] offset = v4();
        Bytes.putU16(offset, 6, 0x0001);
        fixChecksum(offset);
        assertEquals(ParseResult.FRAGMENT, Ipv4Header.parse(offset, 0, offset.length, ip));
    }

    @Test
    void v4WithOptionsSkipsThem() {
        byte[] p = v4();
        byte[] q = new byte[p.length + 4];
        System.arraycopy(p, 0, q, 0, 20);
        System.arraycopy(p, 20, q, 24, p.length - 20);
        q[0] = 0x46;
        q[20] = 1; q[21] = 1; q[22] = 1; q[23] = 0; // NOP NOP NOP EOL
        Bytes.putU16(q, 2, q.length);
        fixChecksum(q);
        assertEquals(ParseResult.OK, Ipv4Header.parse(q, 0, q.length, ip));
        assertEquals(24, ip.payloadOffset);
        assertEquals(30, ip.payloadLength);
    }

    static byte[] v6() {
        return packet(A6, B6, withPayload(segment(1, 2, 3, 4, TcpFlags.ACK, 5), 10));
    }

    @Test
    void v6RoundTrip() {
        byte[] p = v6();
        assertEquals(0x60, p[0] & 0xFF);
        assertEquals(64, p[7] & 0xFF);
        assertEquals(ParseResult.OK, Ipv6Header.parse(p, 0, p.length, ip));
        assertEquals(6, ip.version);
        assertEquals(A6, ip.source());
        assertEquals(B6, ip.destination());
        assertEquals(IpProtocol.TCP, ip.protocol);
        assertEquals(40, ip.payloadOffset);
        assertEquals(30, ip.payloadLength);
        assertTrue(TcpCodec.checksumOk(p, ip));
    }

    @Test
    void v6Malformed() {
        byte[] p = v6();
        assertEquals(ParseResult.TOO_SHORT, Ipv6Header.parse(p, 0, 39, ip));
        byte[] badVersion = v6();
        badVersion[0] = 0x40;
        assertEquals(ParseResult.BAD_VERSION, Ipv6Header.parse(badVersion, 0, badVersion.length, ip));
        assertEquals(ParseResult.TRUNCATED, Ipv6Header.parse(p, 0, p.length - 1, ip));
    }

    /** An IPv6 packet with the given extension header (8 bytes, next header TCP) in front of the segment. */
    static byte[] v6WithExtension(int type, int secondByte, int fragOffsetWord) {
        byte[] p = v6();
        byte[] q = new byte[p.length + 8];
        System.arraycopy(p, 0, q, 0, 40);
        System.arraycopy(p, 40, q, 48, p.length - 40);
        q[6] = (byte) type;
        Bytes.putU16(q, 4, q.length - 40);
        q[40] = IpProtocol.TCP;
        q[41] = (byte) secondByte;
        Bytes.putU16(q, 42, fragOffsetWord);
        return q;
    }

    @Test
    void v6ExtensionHeadersAreWalked() {
        for (int type : new int[] {IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_DEST_OPTS}) {
            byte[] q = v6WithExtension(type, 0, 0);
            assertEquals(ParseResult.OK, Ipv6Header.parse(q, 0, q.length, ip), "type " + type);
            assertEquals(IpProtocol.TCP, ip.protocol);
            assertEquals(48, ip.payloadOffset);
            assertEquals(30, ip.payloadLength);
        }
        byte[] overrun = v6WithExtension(IpProtocol.HOP_BY_HOP, 200, 0);
        assertEquals(ParseResult.BAD_HEADER_LENGTH, Ipv6Header.parse(overrun, 0, overrun.length, ip));
    }

    @Test
    void v6FragmentHeaderIsReported() {
        byte[] q = v6WithExtension(IpProtocol.IPV6_FRAGMENT, 0, 0x0001);
        assertEquals(ParseResult.FRAGMENT, Ipv6Header.parse(q, 0, q.length, ip));
        assertTrue(ip.fragment);
    }
}
