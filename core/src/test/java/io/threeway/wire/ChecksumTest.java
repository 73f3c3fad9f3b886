package io.threeway.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ChecksumTest {

    /** The textbook definition: 16-bit words, one at a time, end-around carry each step. */
    static int naive(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int w = (b[off + i] & 0xFF) << 8;
            if (i + 1 < len) w |= b[off + i + 1] & 0xFF;
            sum += w;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded); the checksum is its complement.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, Checksum.fold(Checksum.add(0, b, 0, b.length)));
        assertEquals(~0xddf2 & 0xFFFF, Checksum.compute(b, 0, b.length));
    }

    @Test
    void knownIpv4Header() {
        // A widely quoted example header: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7.
        byte[] h = hex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, Checksum.compute(h, 0, h.length));
        Bytes.putU16(h, 10, 0xb861);
        assertTrue(Checksum.verifies(Checksum.add(0, h, 0, h.length)));
    }

    @Test
    void matchesNaiveOnRandomData() {
        Random r = new Random(1071);
        for (int n = 0; n < 5000; n++) {
            int len = r.nextInt(1600);
            int off = r.nextInt(9);
            byte[] b = new byte[off + len + r.nextInt(9)];
            r.nextBytes(b);
            assertEquals(naive(b, off, len), Checksum.compute(b, off, len), "len " + len + " off " + off);
        }
    }

    @Test
    void allOnesDataStillFoldsCorrectly() {
        byte[] b = new byte[65536];
        java.util.Arrays.fill(b, (byte) 0xFF);
        assertEquals(naive(b, 0, b.length), Checksum.compute(b, 0, b.length));
    }

    @Test
    void chainingEvenRangesEqualsOneSum() {
        Random r = new Random(7);
        byte[] b = new byte[1001];
        r.nextBytes(b);
        long chained = Checksum.add(Checksum.add(Checksum.add(0, b, 0, 6), b, 6, 400), b, 406, 595);
        assertEquals(Checksum.compute(b, 0, b.length), Checksum.finish(chained));
    }

    @Test
    void tcpChecksumVerifiesAndDetectsCorruption() {
        for (IpAddress[] pair : new IpAddress[][] {{TestPackets.A4, TestPackets.B4}, {TestPackets.A6, TestPackets.B6}}) {
            byte[] p = TestPackets.packet(pair[0], pair[1], TestPackets.withPayload(TestPackets.linuxSyn(1, 2, 3), 33));
            IpPacket ip = new IpPacket();
            ParseResult r = pair[0].v6() ? Ipv6Header.parse(p, 0, p.length, ip) : Ipv4Header.parse(p, 0, p.length, ip);
            assertEquals(ParseResult.OK, r);
            assertTrue(TcpCodec.checksumOk(p, ip));
            p[p.length - 1] ^= 0x40;
            assertFalse(TcpCodec.checksumOk(p, ip));
        }
    }

    @Test
    void pseudoHeaderFromAddressesMatchesFromParsedPacket() {
        byte[] p = TestPackets.packet(TestPackets.A6, TestPackets.B6, TestPackets.linuxSyn(1, 2, 3));
        IpPacket ip = new IpPacket();
        Ipv6Header.parse(p, 0, p.length, ip);
        assertEquals(Checksum.fold(Checksum.pseudoHeader(TestPackets.A6, TestPackets.B6, 6, 40)),
                Checksum.fold(Checksum.pseudoHeader(ip, 6, 40)));
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
