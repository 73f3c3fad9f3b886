package io.threeway.trace;

import static io.threeway.wire.TestPackets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

class TcpdumpFormatterTest {
    static final IpAddress C = IpAddress.parse("10.0.1.5");
    static final IpAddress S = IpAddress.parse("10.0.2.10");

    /** The four lines of formats.md, built from the same fields. */
    static List<byte[]> formatsMdConversation() {
        TcpSegment synAck = segment(8080, 52431, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK, 65160);
        synAck.options.mss = 1460;
        return List.of(
                packet(C, S, linuxSyn(52431, 8080, 1000)),
                packet(S, C, synAck),
                packet(C, S, segment(52431, 8080, 1001, 5001, TcpFlags.ACK, 502)),
                packet(C, S, withPayload(segment(52431, 8080, 1001, 5001, TcpFlags.PSH | TcpFlags.ACK, 502), 100)));
    }

    @Test
    void formatsMdHandshake() {
        TcpdumpFormatter f = new TcpdumpFormatter();
        List<byte[]> p = formatsMdConversation();
        long t0 = 12 * 3600_000_000_000L;
        assertEquals("12:00:00.000100 IP 10.0.1.5.52431 > 10.0.2.10.8080: Flags [S], seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0",
                f.format(p.get(0), 0, p.get(0).length, t0 + 100_000));
        assertEquals("12:00:00.000300 IP 10.0.2.10.8080 > 10.0.1.5.52431: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0",
                f.format(p.get(1), 0, p.get(1).length, t0 + 300_000));
        assertEquals("12:00:00.000400 IP 10.0.1.5.52431 > 10.0.2.10.8080: Flags [.], ack 1, win 502, length 0",
                f.format(p.get(2), 0, p.get(2).length, t0 + 400_000));
        // formats.md's fourth line omits tcpdump's HTTP summary, which tcpdump adds on port 8080.
        assertEquals("12:00:00.000500 IP 10.0.1.5.52431 > 10.0.2.10.8080: Flags [P.], seq 1:101, ack 1, win 502, length 100: HTTP",
                f.format(p.get(3), 0, p.get(3).length, t0 + 500_000));
    }

    @Test
    void absoluteSequenceNumbers() {
        TcpdumpFormatter f = new TcpdumpFormatter(TimestampFormat.NONE, true);
        List<byte[]> p = formatsMdConversation();
        for (byte[] b : p) f.format(b, 0, b.length, 0);
        assertEquals("IP 10.0.1.5.52431 > 10.0.2.10.8080: Flags [.], ack 5001, win 502, length 0",
                f.format(p.get(2), 0, p.get(2).length, 0));
    }

    @Test
    void timestampStyles() {
        byte[] p = formatsMdConversation().get(2);
        assertEquals("0.100000 IP", new TcpdumpFormatter(TimestampFormat.SECONDS, false).format(p, 0, p.length, 100_000_000).substring(0, 11));
        assertEquals("00:00:00.000000 IP", new TcpdumpFormatter().format(p, 0, p.length, 999).substring(0, 18));
        assertEquals("01:01:01.000001 IP", new TcpdumpFormatter().format(p, 0, p.length, 3661_000_001_000L).substring(0, 18));
        assertEquals("00:00:00.000000 IP", new TcpdumpFormatter().format(p, 0, p.length, 86_400_000_000_000L).substring(0, 18), "wraps at midnight");
    }

    @Test
    void ipv6Line() {
        TcpSegment syn = segment(8080, 52431, 7, 0, TcpFlags.SYN, 100);
        byte[] p = packet(A6, B6, syn);
        assertEquals("IP6 2001:db8::1.8080 > 2001:db8::2.52431: Flags [S], seq 7, win 100, length 0",
                new TcpdumpFormatter(TimestampFormat.NONE, false).format(p, 0, p.length, 0));
    }

    @Test
    void icmpEcho() {
        byte[] m = new byte[64];
        m[0] = 8;
        Bytes.putU16(m, 4, 1);
        Bytes.putU16(m, 6, 1);
        byte[] p = PacketBuilder.buildIcmp(IpAddress.parse("198.18.0.1"), IpAddress.parse("198.18.0.2"), m, 0, 64, 0);
        assertEquals("IP 198.18.0.1 > 198.18.0.2: ICMP echo request, id 1, seq 1, length 64",
                new TcpdumpFormatter(TimestampFormat.NONE, false).format(p, 0, p.length, 0));
    }

    @Test
    void flagsWithoutAnyBit() {
        byte[] p = packet(C, S, segment(1, 2, 3, 4, 0, 5));
        assertEquals("IP 10.0.1.5.1 > 10.0.2.10.2: Flags [none], win 5, length 0",
                new TcpdumpFormatter(TimestampFormat.NONE, false).format(p, 0, p.length, 0));
    }

    @Test
    void nothingThrowsOnGarbage() {
        TcpdumpFormatter f = new TcpdumpFormatter();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(80)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) b[0] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
            f.format(b, 0, b.length, i);
        }
        assertEquals("[|ip]", new TcpdumpFormatter(TimestampFormat.NONE, false).format(new byte[0], 0, 0, 0));
    }
}
