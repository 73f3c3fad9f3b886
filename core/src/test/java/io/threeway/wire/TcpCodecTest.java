package io.threeway.wire;

import static io.threeway.wire.TestPackets.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TcpCodecTest {
    final TcpSegment out = new TcpSegment();

    /** Encodes {@code s} and parses it back. */
    TcpSegment roundTrip(TcpSegment s, OptionLayout layout) {
        int hlen = TcpCodec.headerLength(s, layout);
        byte[] b = new byte[3 + hlen + s.payloadLength];
        assertEquals(hlen, TcpCodec.write(s, layout, b, 3));
        if (s.payloadLength > 0) System.arraycopy(s.payload, s.payloadOffset, b, 3 + hlen, s.payloadLength);
        assertEquals(ParseResult.OK, TcpCodec.parse(b, 3, b.length - 3, out));
        assertSame(b, out.payload);
        assertEquals(3 + hlen, out.payloadOffset);
        return out;
    }

    static void assertSameOptions(TcpOptions want, TcpOptions got) {
        assertEquals(want.mss, got.mss);
        assertEquals(want.windowScale, got.windowScale);
        assertEquals(want.sackPermitted, got.sackPermitted);
        assertEquals(want.timestamps, got.timestamps);
        assertEquals(want.tsVal, got.tsVal);
        assertEquals(want.tsEcr, got.tsEcr);
        assertEquals(want.sackBlocks, got.sackBlocks);
        for (int i = 0; i < want.sackBlocks; i++) {
            assertEquals(want.sackLeft[i], got.sackLeft[i]);
            assertEquals(want.sackRight[i], got.sackRight[i]);
        }
        assertEquals(want.fastOpen, got.fastOpen);
        assertEquals(want.fastOpenExperimental, got.fastOpenExperimental);
        assertEquals(want.fastOpenCookieLength, got.fastOpenCookieLength);
        assertArrayEquals(Arrays.copyOf(want.fastOpenCookie, want.fastOpenCookieLength),
                Arrays.copyOf(got.fastOpenCookie, got.fastOpenCookieLength));
    }

    @Test
    void headerFieldsRoundTrip() {
        TcpSegment s = withPayload(segment(65535, 1, 0xFFFFFFFF, 0x80000000, 0xFF, 0xFFFF), 17);
        s.urgentPointer = 0xABCD;
        for (OptionLayout layout : new OptionLayout[] {OptionLayout.LINUX, OptionLayout.FREEBSD}) {
            TcpSegment r = roundTrip(s, layout);
            assertEquals(65535, r.srcPort);
            assertEquals(1, r.dstPort);
            assertEquals(0xFFFFFFFF, r.seq);
            assertEquals(0x80000000, r.ack);
            assertEquals(0xFF, r.flags);
            assertEquals(0xFFFF, r.window);
            assertEquals(0xABCD, r.urgentPointer);
            assertEquals(17, r.payloadLength);
            assertEquals(20, r.payloadOffset - 3);
        }
    }

    @Test
    void everyOptionCombinationRoundTripsInEveryLayout() {
        Random rnd = new Random(42);
        for (OptionLayout layout : new OptionLayout[] {OptionLayout.LINUX, OptionLayout.FREEBSD}) {
            for (int mask = 0; mask < 64; mask++) {
                for (int variant = 0; variant < 6; variant++) {
                    TcpSegment s = segment(1000, 2000, rnd.nextInt(), rnd.nextInt(), TcpFlags.SYN | TcpFlags.ACK, 1234);
                    TcpOptions o = s.options;
                    if ((mask & 1) != 0) o.mss = rnd.nextInt(65536);
                    if ((mask & 2) != 0) o.windowScale = rnd.nextInt(15);
                    if ((mask & 4) != 0) o.sackPermitted = true;
                    if ((mask & 8) != 0) {
                        o.timestamps = true;
                        o.tsVal = rnd.nextInt();
                        o.tsEcr = rnd.nextInt();
                    }
                    if ((mask & 16) != 0) {
                        int n = 1 + variant % 4;
                        for (int i = 0; i < n; i++) o.addSack(rnd.nextInt(), rnd.nextInt());
                    }
                    if ((mask & 32) != 0) {
                        int len = new int[] {0, 4, 6, 8, 12, 16}[variant];
                        byte[] c = new byte[len];
                        rnd.nextBytes(c);
                        o.setFastOpenCookie(c, len);
                        o.fastOpenExperimental = rnd.nextBoolean();
                    }
                    int hlen = TcpCodec.headerLength(s, layout);
                    assertTrue(hlen <= 60 && hlen % 4 == 0);
                    TcpSegment r = roundTrip(s, layout);
                    // What did not fit was left out: compare with the expectation computed from the encoding.
                    TcpOptions expected = new TcpOptions();
                    expected.copyFrom(o);
                    trimToWhatFits(expected, r.options);
                    assertSameOptions(expected, r.options);
                }
            }
        }
    }

    /** Options may be dropped for space (SACK blocks, then Fast Open); everything else must survive. */
    private static void trimToWhatFits(TcpOptions want, TcpOptions got) {
        if (got.sackBlocks < want.sackBlocks) want.sackBlocks = got.sackBlocks;
        if (!got.fastOpen && want.fastOpen) {
            want.fastOpen = false;
            want.fastOpenExperimental = false;
            want.fastOpenCookieLength = 0;
        }
    }

    /** A 20-byte SYN header followed by the given option bytes (padded with zeros to a multiple of 4). */
    static byte[] withOptions(int... opts) {
        int optLen = (opts.length + 3) & ~3;
        byte[] b = new byte[20 + optLen];
        TcpCodec.write(segment(1, 2, 3, 4, TcpFlags.SYN, 5), b, 0);
        for (int i = 0; i < opts.length; i++) b[20 + i] = (byte) opts[i];
        b[12] = (byte) ((20 + optLen) << 2);
        return b;
    }

    ParseResult parse(byte[] b) {
        return TcpCodec.parse(b, 0, b.length, out);
    }

    @Test
    void malformedHeaders() {
        byte[] ok = withOptions();
        assertEquals(ParseResult.TOO_SHORT, TcpCodec.parse(ok, 0, 19, out));
        assertEquals(ParseResult.TOO_SHORT, TcpCodec.parse(ok, 0, 0, out));
        byte[] small = withOptions();
        small[12] = 0x40;
        assertEquals(ParseResult.BAD_DATA_OFFSET, parse(small));
        byte[] big = withOptions(1, 1, 1, 1);
        big[12] = 0x60 + 0x10; // 28 bytes claimed in 24
        assertEquals(ParseResult.BAD_DATA_OFFSET, parse(big));
    }

    @Test
    void malformedOptions() {
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(2, 0, 0, 0)), "length 0");
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(2, 1, 0, 0)), "length 1");
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(1, 1, 1, 8)), "kind without room for a length");
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(2, 4, 5, 0xB4, 8, 10, 0, 0)), "overruns the header");
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(99, 9, 0, 0, 0, 0, 0, 0)), "unknown kind overrunning");
        // Fields before the bad option are still filled in.
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(2, 4, 5, 0xB4, 3, 0, 0, 0)));
        assertEquals(1460, out.options.mss);
    }

    @Test
    void wrongLengthKnownOptionsAreIgnoredLikeLinux() {
        assertEquals(ParseResult.OK, parse(withOptions(2, 5, 5, 0xB4, 0, 3, 4, 1, 4, 4, 3, 0)));
        assertEquals(-1, out.options.mss, "MSS of length 5");
        assertEquals(-1, out.options.windowScale, "wscale of length 4");
        assertFalse(out.options.sackPermitted, "sackOK of length 3");
        assertEquals(ParseResult.OK, parse(withOptions(8, 8, 0, 0, 0, 1, 0, 0, 5, 6, 0, 0, 0, 1)));
        assertFalse(out.options.timestamps, "TS of length 8");
        assertEquals(0, out.options.sackBlocks, "SACK of length 6");
        int[] fiveBlocks = new int[2 + 40];
        fiveBlocks[0] = 5;
        fiveBlocks[1] = 42;
        // 42 bytes cannot fit a 40-byte option area: this one overruns.
        assertEquals(ParseResult.BAD_OPTION, parse(withOptions(Arrays.copyOf(fiveBlocks, 38))));
        assertEquals(ParseResult.OK, parse(withOptions(34, 3, 0, 1)));
        assertFalse(out.options.fastOpen, "odd Fast Open cookie");
        assertEquals(ParseResult.OK, parse(withOptions(34, 4, 0, 0)));
        assertFalse(out.options.fastOpen, "2-byte cookie is too short");
        assertEquals(ParseResult.OK, parse(withOptions(254, 4, 0x12, 0x34)));
        assertFalse(out.options.fastOpen, "experimental option with another magic");
        assertEquals(ParseResult.OK, parse(withOptions(77, 4, 0, 0, 2, 4, 1, 0)));
        assertEquals(256, out.options.mss, "unknown kinds are skipped by their length");
    }

    @Test
    void eolEndsTheList() {
        assertEquals(ParseResult.OK, parse(withOptions(0, 2, 0, 0, 2, 4, 1, 0)));
        assertEquals(-1, out.options.mss);
    }

    @Test
    void fastOpenForms() {
        assertEquals(ParseResult.OK, parse(withOptions(34, 2, 1, 1)));
        assertTrue(out.options.fastOpen);
        assertEquals(0, out.options.fastOpenCookieLength);
        assertEquals(ParseResult.OK, parse(withOptions(254, 8, 0xF9, 0x89, 1, 2, 3, 4)));
        assertTrue(out.options.fastOpen && out.options.fastOpenExperimental);
        assertEquals(4, out.options.fastOpenCookieLength);
        assertEquals(3, out.options.fastOpenCookie[2]);
    }

    @Test
    void packetBuilderBuildsExactPackets() {
        TcpSegment s = withPayload(linuxSyn(52431, 80, 1000), 100);
        byte[] p = PacketBuilder.buildTcp(A4, B4, s, 9);
        assertEquals(20 + 40 + 100, p.length);
        IpPacket ip = new IpPacket();
        assertEquals(ParseResult.OK, Ipv4Header.parse(p, 0, p.length, ip));
        assertEquals(9, ip.identification);
        assertTrue(TcpCodec.checksumOk(p, ip));
        assertEquals(ParseResult.OK, TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, out));
        assertEquals(100, out.payloadLength);
        assertEquals('a' + 3, out.payload[out.payloadOffset]);
        assertSameOptions(s.options, out.options);

        byte[] p6 = PacketBuilder.buildTcp(A6, B6, s, OptionLayout.FREEBSD, 0);
        assertEquals(40 + 40 + 100, p6.length);
        assertEquals(ParseResult.OK, Ipv6Header.parse(p6, 0, p6.length, ip));
        assertTrue(TcpCodec.checksumOk(p6, ip));
    }

    @Test
    void icmpPacketsHaveValidChecksums() {
        byte[] m = new byte[16];
        m[0] = 8;
        byte[] p = PacketBuilder.buildIcmp(A4, B4, m, 0, 16, 1);
        IpPacket ip = new IpPacket();
        assertEquals(ParseResult.OK, Ipv4Header.parse(p, 0, p.length, ip));
        assertEquals(IpProtocol.ICMP, ip.protocol);
        assertTrue(Checksum.verifyIcmpV4(p, ip));
        m[0] = (byte) 128;
        byte[] p6 = PacketBuilder.buildIcmp(A6, B6, m, 0, 16, 0);
        assertEquals(ParseResult.OK, Ipv6Header.parse(p6, 0, p6.length, ip));
        assertEquals(IpProtocol.ICMPV6, ip.protocol);
        assertTrue(Checksum.verifyTransport(p6, ip));
    }

    /** 100,000 random mutations of valid packets: parsers return a result and never throw. */
    @Test
    void fuzzNeverThrows() {
        Random rnd = new Random(20240601);
        byte[][] seeds = {
                packet(A4, B4, withPayload(linuxSyn(1, 2, 3), 20)),
                packet(A6, B6, linuxSyn(1, 2, 3)),
                IpHeaderTest.v6WithExtension(IpProtocol.HOP_BY_HOP, 0, 0),
                PacketBuilder.buildTcp(A4, B4, sackSegment(), OptionLayout.FREEBSD, 0),
        };
        IpPacket ip = new IpPacket();
        TcpSegment seg = new TcpSegment();
        io.threeway.trace.TcpdumpFormatter fmt = new io.threeway.trace.TcpdumpFormatter();
        int ok = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] seed = seeds[rnd.nextInt(seeds.length)];
            int len = rnd.nextInt(8) == 0 ? rnd.nextInt(seed.length + 1) : seed.length;
            byte[] p = Arrays.copyOf(seed, len);
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips && len > 0; f++) {
                int at = rnd.nextInt(8) == 0 ? rnd.nextInt(len) : Math.min(len - 1, rnd.nextInt(64));
                p[at] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : p[at] ^ (1 << rnd.nextInt(8)));
            }
            ParseResult r = (len > 0 && (p[0] & 0xF0) == 0x60) ? Ipv6Header.parse(p, 0, len, ip) : Ipv4Header.parse(p, 0, len, ip);
            assertNotNull(r);
            if (r == ParseResult.OK && ip.protocol == IpProtocol.TCP) {
                TcpCodec.checksumOk(p, ip);
                assertNotNull(TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, seg));
                ok++;
            }
            // The TCP parser straight on the mutated bytes too, at every plausible offset.
            assertNotNull(TcpCodec.parse(p, Math.min(len, 20), Math.max(0, len - 20), seg));
            assertNotNull(fmt.format(p, 0, len, i));
        }
        assertTrue(ok > 1000, "the fuzz loop should still reach the TCP parser often, reached " + ok);
    }

    static TcpSegment sackSegment() {
        TcpSegment s = segment(80, 5000, 10, 20, TcpFlags.ACK, 100);
        s.options.timestamps = true;
        s.options.addSack(100, 200);
        s.options.addSack(300, 400);
        return s;
    }
}
