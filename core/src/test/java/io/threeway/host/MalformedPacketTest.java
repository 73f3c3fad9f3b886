package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A corpus of malformed packets handed to a listening stack: each is dropped and counted under Linux's
 * counter for its fault, nothing is sent in reply, and no exception escapes.
 */
class MalformedPacketTest {
    static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    private final List<byte[]> sent = new ArrayList<>();

    private Stack server() {
        Stack s = new Stack("server", 7);
        s.addInterface(SERVER, 15, (p, len, now) -> sent.add(p));
        s.listen(IpAddress.ANY4, 80, 128, new ConnectionOptions(), false);
        return s;
    }

    private static byte[] syn() {
        TcpSegment seg = new TcpSegment();
        seg.srcPort = 40000;
        seg.dstPort = 80;
        seg.seq = 1000;
        seg.flags = TcpFlags.SYN;
        seg.window = 65535;
        seg.options.mss = 1460;
        return PacketBuilder.buildTcp(CLIENT, SERVER, seg, 1);
    }

    /** Recomputes the IPv4 header checksum after a test changed a header field. */
    private static void fixIpChecksum(byte[] p) {
        if (p.length < 20 || (p[0] & 0xF) * 4 > p.length) return;
        p[10] = 0;
        p[11] = 0;
        int ihl = (p[0] & 0xF) * 4;
        long sum = 0;
        for (int i = 0; i < ihl; i += 2) sum += Bytes.getU16(p, i);
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        Bytes.putU16(p, 10, (int) (~sum & 0xFFFF));
    }

    /** Recomputes the TCP checksum so that only the intended fault remains. */
    private static void fixTcpChecksum(byte[] p) {
        int ihl = (p[0] & 0xF) * 4;
        int len = Bytes.getU16(p, 2) - ihl;
        if (ihl + 18 > p.length || ihl + len > p.length || len < 18) return; // no room for a checksum: leave it bad
        p[ihl + 16] = 0;
        p[ihl + 17] = 0;
        long sum = Bytes.getU16(p, 12) + Bytes.getU16(p, 14) + Bytes.getU16(p, 16) + Bytes.getU16(p, 18) + 6 + len;
        for (int i = 0; i < len; i += 2) {
            int hi = p[ihl + i] & 0xFF;
            int lo = i + 1 < len ? p[ihl + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        Bytes.putU16(p, ihl + 16, (int) (~sum & 0xFFFF));
    }

    private void assertDropped(String what, byte[] packet, int length, Counter counter) {
        Stack s = server();
        sent.clear();
        s.receive(packet, 0, length, 0);
        assertEquals(1, s.counters().get(counter), what + ": counted in " + counter.nstatName());
        assertEquals(0, s.counters().get(Counter.PASSIVE_OPENS), what + ": no connection");
        assertTrue(sent.isEmpty(), what + ": nothing sent in reply");
        assertEquals(0, s.internalErrors(), what + ": no exception inside the stack");
    }

    @Test
    void theValidSynIsAccepted() {
        Stack s = server();
        byte[] p = syn();
        s.receive(p, 0, p.length, 0);
        assertEquals(1, s.counters().get(Counter.PASSIVE_OPENS));
        assertEquals(1, sent.size(), "SYN-ACK");
    }

    @Test
    void shortIpHeader() {
        assertDropped("12 bytes", syn(), 12, Counter.IP_IN_HDR_ERRORS);
        assertDropped("empty", new byte[0], 0, Counter.IP_IN_HDR_ERRORS);
    }

    @Test
    void badVersionAndHeaderLength() {
        byte[] p = syn();
        p[0] = 0x55;
        assertDropped("version 5", p, p.length, Counter.IP_IN_HDR_ERRORS);
        p = syn();
        p[0] = 0x44; // IHL 4 (16 bytes)
        fixIpChecksum(p);
        assertDropped("IHL 4", p, p.length, Counter.IP_IN_HDR_ERRORS);
    }

    @Test
    void badIpTotalLength() {
        byte[] p = syn();
        Bytes.putU16(p, 2, p.length + 100);
        fixIpChecksum(p);
        assertDropped("total length beyond the packet", p, p.length, Counter.IP_IN_HDR_ERRORS);
        p = syn();
        Bytes.putU16(p, 2, 10);
        fixIpChecksum(p);
        assertDropped("total length below the header", p, p.length, Counter.IP_IN_HDR_ERRORS);
    }

    @Test
    void badIpHeaderChecksum() {
        byte[] p = syn();
        p[10] ^= 0x55;
        assertDropped("IP checksum", p, p.length, Counter.IP_IN_HDR_ERRORS);
    }

    @Test
    void badTcpChecksum() {
        byte[] p = syn();
        p[p.length - 1] ^= 0x01;
        Stack s = server();
        s.receive(p, 0, p.length, 0);
        assertEquals(1, s.counters().get(Counter.IN_CSUM_ERRORS));
        assertEquals(1, s.counters().get(Counter.IN_ERRS));
        assertEquals(0, s.counters().get(Counter.IN_SEGS));
    }

    @Test
    void shortTcpHeader() {
        byte[] p = syn();
        byte[] cut = java.util.Arrays.copyOf(p, 30);
        Bytes.putU16(cut, 2, 30);
        fixIpChecksum(cut);
        fixTcpChecksum(cut);
        assertDropped("10-byte TCP header", cut, cut.length, Counter.IN_ERRS);
    }

    @Test
    void badDataOffset() {
        byte[] p = syn();
        p[32] = (byte) ((4 << 4) | (p[32] & 0xF)); // data offset 4
        fixTcpChecksum(p);
        assertDropped("data offset 4", p, p.length, Counter.IN_ERRS);
        p = syn();
        p[32] = (byte) ((15 << 4) | (p[32] & 0xF)); // 60 bytes, beyond the segment
        fixTcpChecksum(p);
        assertDropped("data offset past the end", p, p.length, Counter.IN_ERRS);
    }

    @Test
    void aBadOptionLengthEndsOptionParsingAndTheSegmentIsKept() {
        // Linux's tcp_parse_options returns at an option of length 0 or 1 or one that overruns the header, and
        // tcp_v4_rcv goes on with the options read before it: the SYN is answered.
        for (int bad : new int[] {0, 1, 40}) {
            byte[] p = syn();
            // The SYN's first option is MSS at TCP offset 20: kind 2, length 4.
            p[20 + 20 + 1] = (byte) bad;
            fixTcpChecksum(p);
            Stack s = server();
            sent.clear();
            s.receive(p, 0, p.length, 0);
            assertEquals(0, s.counters().get(Counter.IN_ERRS), "option length " + bad + ": not an error");
            assertEquals(1, s.counters().get(Counter.PASSIVE_OPENS), "option length " + bad + ": the SYN is kept");
            assertEquals(1, sent.size(), "option length " + bad + ": a SYN-ACK");
            assertEquals(0, s.internalErrors());
        }
    }

    /** A SYN from {@code source}, with its checksums right. */
    private static byte[] synFrom(IpAddress source) {
        TcpSegment seg = new TcpSegment();
        seg.srcPort = 40000;
        seg.dstPort = 80;
        seg.seq = 1000;
        seg.flags = TcpFlags.SYN;
        seg.window = 65535;
        seg.options.mss = 1460;
        return PacketBuilder.buildTcp(source, SERVER, seg, 1);
    }

    @Test
    void martianSourcesAreNeverAnsweredAndAreCounted() {
        // ip_route_input_slow's martian sources: broadcast, multicast, 0.0.0.0/8, loopback, our own address (LAND)
        // and our subnet's broadcast (198.18.0.0/15 ends at 198.19.255.255).
        for (String src : new String[] {"255.255.255.255", "224.0.0.1", "239.1.2.3", "0.0.0.0", "0.1.2.3", "127.0.0.1",
                "198.18.0.2", "198.19.255.255"}) {
            byte[] p = synFrom(IpAddress.parse(src));
            assertDropped("source " + src, p, p.length, Counter.THREEWAY_IN_MARTIAN_SRC);
        }
        // route_localnet=1 lets loopback sources in, as on Linux.
        Stack s = server();
        s.sysctls().set("net.ipv4.conf.all.route_localnet", "1");
        byte[] p = synFrom(IpAddress.parse("127.0.0.1"));
        s.receive(p, 0, p.length, 0);
        assertEquals(1, s.counters().get(Counter.PASSIVE_OPENS));
        // An ordinary neighbour and class E (not martian for Linux) are answered.
        for (String src : new String[] {"198.18.0.1", "240.0.0.1"}) {
            Stack t = server();
            byte[] q = synFrom(IpAddress.parse(src));
            t.receive(q, 0, q.length, 0);
            assertEquals(1, t.counters().get(Counter.PASSIVE_OPENS), src);
        }
    }

    @Test
    void ipv6MulticastAndLoopbackSourcesAreHeaderErrorsOwnAndMappedAreMartian() {
        IpAddress server6 = IpAddress.parse("2001:db8::2");
        for (IpAddress source : new IpAddress[] {IpAddress.parse("ff02::1"), IpAddress.parse("::1"), server6,
                IpAddress.parse("::"), IpAddress.v6(0, 0xFFFF_C612_0001L)}) {
            String src = source.toString();
            Stack s = new Stack("server", 7);
            s.addInterface(server6, 64, (p, len, now) -> sent.add(p));
            s.listen(IpAddress.ANY6, 80, 128, new ConnectionOptions(), false);
            sent.clear();
            TcpSegment seg = new TcpSegment();
            seg.srcPort = 40000;
            seg.dstPort = 80;
            seg.seq = 1000;
            seg.flags = TcpFlags.SYN;
            seg.window = 65535;
            byte[] p = PacketBuilder.buildTcp(source, server6, seg, 1);
            s.receive(p, 0, p.length, 0);
            Counter expected = src.startsWith("ff") || src.equals("::1") ? Counter.IP_IN_HDR_ERRORS : Counter.THREEWAY_IN_MARTIAN_SRC;
            assertEquals(1, s.counters().get(expected), src);
            assertEquals(0, s.counters().get(Counter.PASSIVE_OPENS), src);
            assertTrue(sent.isEmpty(), src + ": nothing sent");
        }
    }

    @Test
    void seededMutationsNeverEscapeAndAreAccounted() {
        SplittableRandom r = new SplittableRandom(42);
        Stack s = server();
        byte[] base = syn();
        for (int i = 0; i < 50_000; i++) {
            byte[] p = base.clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) p[r.nextInt(p.length)] = (byte) r.nextInt(256);
            if (r.nextBoolean()) fixIpChecksum(p);
            if (r.nextBoolean() && (p[0] & 0xF) >= 5) {
                fixTcpChecksum(p);
            }
            int len = r.nextInt(10) == 0 ? r.nextInt(p.length + 1) : p.length;
            s.receive(p, 0, len, i);
        }
        assertEquals(0, s.internalErrors(), () -> "exception inside the stack: " + s.lastInternalError());
        long dropped = s.counters().get(Counter.IP_IN_HDR_ERRORS) + s.counters().get(Counter.IP_IN_ADDR_ERRORS)
                + s.counters().get(Counter.THREEWAY_IN_MARTIAN_SRC) + s.counters().get(Counter.IP_REASM_REQDS)
                + s.counters().get(Counter.IP_IN_UNKNOWN_PROTOS) + s.counters().get(Counter.IN_ERRS);
        long accepted = s.counters().get(Counter.IN_SEGS);
        long icmp = s.counters().get(Counter.ICMP_IN_MSGS) + s.counters().get(Counter.ICMP6_IN_MSGS); // a mutated protocol byte
        assertEquals(50_000, dropped + accepted + icmp, "every packet is a segment, an ICMP message, or counted as dropped");
        assertTrue(s.connectionCount() <= 2048 + 1, "state stays bounded by the SYN backlog");
    }
}
