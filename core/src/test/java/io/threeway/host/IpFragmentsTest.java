package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IP fragments as Linux's ip_defrag and ipv6_frag_rcv take them: a SYN cut in fragments arriving in any order is
 * answered once whole; an overlapping fragment gives the datagram up; an unfinished datagram times out after
 * ipfrag_time; no new datagram starts while fragments hold more than ipfrag_high_thresh. Each counted as Linux
 * counts it (ReasmReqds, ReasmOKs, ReasmFails, ReasmTimeout).
 */
class IpFragmentsTest {
    static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");
    static final IpAddress CLIENT6 = IpAddress.parse("2001:db8::1");
    static final IpAddress SERVER6 = IpAddress.parse("2001:db8::2");
    static final long S = 1_000_000_000L;

    private final List<byte[]> sent = new ArrayList<>();

    private Stack server() {
        Stack s = new Stack("server", 7);
        s.addInterface(SERVER, 15, (p, len, now) -> sent.add(p));
        s.addInterface(SERVER6, 64, (p, len, now) -> sent.add(p));
        s.listen(IpAddress.ANY6, 80, 128, new ConnectionOptions(), false); // both families, as [::] without V6ONLY
        return s;
    }

    /** A SYN with every option (a 40-byte TCP header) and 24 bytes of data (a Fast Open try). */
    private static byte[] syn(IpAddress src, IpAddress dst, int port) {
        TcpSegment seg = new TcpSegment();
        seg.srcPort = port;
        seg.dstPort = 80;
        seg.seq = 1000;
        seg.flags = TcpFlags.SYN;
        seg.window = 65535;
        seg.options.mss = 1460;
        seg.options.windowScale = 7;
        seg.options.sackPermitted = true;
        seg.options.timestamps = true;
        seg.options.tsVal = 1;
        return PacketBuilder.buildTcp(src, dst, seg, 77);
    }

    /** IPv4 fragment of {@code whole}'s payload [from, to), MF unless it ends the payload. */
    private static byte[] fragment4(byte[] whole, int from, int to, int id) {
        int payload = Bytes.getU16(whole, 2) - 20;
        byte[] f = new byte[20 + to - from];
        System.arraycopy(whole, 0, f, 0, 20);
        System.arraycopy(whole, 20 + from, f, 20, to - from);
        Bytes.putU16(f, 2, f.length);
        Bytes.putU16(f, 4, id);
        Bytes.putU16(f, 6, (to < payload ? 0x2000 : 0) | (from / 8));
        f[10] = 0;
        f[11] = 0;
        Bytes.putU16(f, 10, Checksum.compute(f, 0, 20));
        return f;
    }

    /** IPv6 fragment of {@code whole}'s payload [from, to) behind a Fragment header. */
    private static byte[] fragment6(byte[] whole, int from, int to, int id) {
        int payload = Bytes.getU16(whole, 4);
        byte[] f = new byte[48 + to - from];
        System.arraycopy(whole, 0, f, 0, 40);
        Bytes.putU16(f, 4, 8 + to - from);
        f[6] = (byte) IpProtocol.IPV6_FRAGMENT;
        f[40] = (byte) IpProtocol.TCP;
        Bytes.putU16(f, 42, from | (to < payload ? 1 : 0));
        Bytes.putInt(f, 44, id);
        System.arraycopy(whole, 40 + from, f, 48, to - from);
        return f;
    }

    private static void receive(Stack s, byte[] p, long now) {
        s.receive(p, 0, p.length, now);
    }

    @Test
    void aSynInFragmentsOutOfOrderIsAnsweredOnceWhole() {
        Stack s = server();
        byte[] whole = syn(CLIENT, SERVER, 40000); // 20 + 40 bytes
        receive(s, fragment4(whole, 32, 40, 9), 0);
        receive(s, fragment4(whole, 0, 16, 9), 0);
        receive(s, fragment4(whole, 0, 16, 9), 0); // an exact duplicate: dropped quietly
        assertTrue(sent.isEmpty(), "nothing before the datagram is whole");
        receive(s, fragment4(whole, 16, 32, 9), 0);
        assertEquals(1, sent.size(), "one SYN-ACK");
        assertEquals(1, s.counters().get(Counter.PASSIVE_OPENS));
        assertEquals(4, s.counters().get(Counter.IP_REASM_REQDS));
        assertEquals(1, s.counters().get(Counter.IP_REASM_OKS));
        assertEquals(0, s.counters().get(Counter.IP_REASM_FAILS));
        assertEquals(0, s.reassembly.memory(), "nothing held after");
    }

    @Test
    void ipv6FragmentsAndAnAtomicFragmentAreReassembled() {
        Stack s = server();
        byte[] whole = syn(CLIENT6, SERVER6, 40001);
        receive(s, fragment6(whole, 24, 40, 5), 0);
        receive(s, fragment6(whole, 0, 24, 5), 0);
        assertEquals(1, sent.size(), "SYN-ACK to the reassembled SYN");
        byte[] other = syn(CLIENT6, SERVER6, 40002);
        receive(s, fragment6(other, 0, 40, 6), 0); // offset 0 and M clear: RFC 6946's atomic fragment
        assertEquals(2, sent.size());
        assertEquals(3, s.counters().get(Counter.IP_REASM_REQDS));
        assertEquals(2, s.counters().get(Counter.IP_REASM_OKS));
    }

    @Test
    void anOverlapGivesTheDatagramUp() {
        Stack s = server();
        byte[] whole = syn(CLIENT, SERVER, 40000);
        receive(s, fragment4(whole, 0, 24, 3), 0);
        receive(s, fragment4(whole, 16, 40, 3), 0); // overlaps 16..24 with other bytes' place: RFC 5722, Linux 4.19+
        assertEquals(1, s.counters().get(Counter.IP_REASM_FAILS));
        receive(s, fragment4(whole, 24, 40, 3), 0); // a new datagram now, never completed
        assertTrue(sent.isEmpty());
        assertEquals(0, s.counters().get(Counter.IP_REASM_OKS));
    }

    @Test
    void anUnfinishedDatagramTimesOutAfterIpfragTime() {
        Stack s = server();
        byte[] whole = syn(CLIENT, SERVER, 40000);
        receive(s, fragment4(whole, 0, 16, 4), 0);
        assertEquals(30 * S, s.nextDeadline(), "ipfrag_time 30 s");
        s.advance(30 * S - 1);
        assertEquals(0, s.counters().get(Counter.IP_REASM_TIMEOUT));
        s.advance(30 * S);
        assertEquals(1, s.counters().get(Counter.IP_REASM_TIMEOUT));
        assertEquals(1, s.counters().get(Counter.IP_REASM_FAILS));
        assertEquals(0, s.reassembly.memory());
        assertEquals(Long.MAX_VALUE, s.nextDeadline());
    }

    @Test
    void noNewDatagramStartsAboveIpfragHighThresh() {
        Stack s = server();
        s.sysctls().set("net.ipv4.ipfrag_high_thresh", "100000");
        byte[] whole = syn(CLIENT, SERVER, 40000);
        for (int id = 0; id < 10_000; id++) receive(s, fragment4(whole, 32, 40, id), 0);
        long fails = s.counters().get(Counter.IP_REASM_FAILS);
        assertTrue(fails > 9_000, fails + " refused");
        assertTrue(s.reassembly.memory() <= 100_000 + 1_000, s.reassembly.memory() + " bytes held");
        assertEquals(10_000 - fails, s.reassembly.pending());
        assertEquals(0, s.internalErrors());
    }

    @Test
    void anOversizedDatagramIsGivenUp() {
        Stack s = server();
        byte[] whole = syn(CLIENT, SERVER, 40000);
        byte[] last = fragment4(whole, 32, 40, 8);
        Bytes.putU16(last, 6, 8190); // offset 65520: the datagram would be longer than 65,535 bytes
        last[10] = 0;
        last[11] = 0;
        Bytes.putU16(last, 10, Checksum.compute(last, 0, 20));
        receive(s, last, 0);
        assertEquals(1, s.counters().get(Counter.IP_REASM_FAILS));
        assertEquals(0, s.reassembly.pending());
        assertTrue(Arrays.equals(new byte[0], new byte[sent.size()]));
    }

    /**
     * ip_expire: a datagram whose first fragment came and that timed out is answered with ICMP time exceeded, code 1
     * (fragment reassembly time exceeded), quoting the first fragment, to its source from the address it was sent
     * to; one whose first fragment never came is dropped without a word. IPv6 alike (ip6_expire_frag_queue: ICMPv6
     * type 3 code 1).
     */
    @Test
    void aTimedOutDatagramWhoseFirstFragmentCameIsAnsweredWithTimeExceeded() {
        Stack s = server();
        byte[] whole = syn(CLIENT, SERVER, 40001);
        byte[] first = fragment4(whole, 0, 16, 99);
        s.receive(first, 0, first.length, S);
        byte[] tailOnly = fragment4(syn(CLIENT, SERVER, 40002), 16, 40, 98); // another datagram, its first never comes
        s.receive(tailOnly, 0, tailOnly.length, S);
        sent.clear();
        s.advance(S + 31 * S); // past ipfrag_time (30 s)
        assertEquals(1, sent.size(), "one answer: only the datagram whose first fragment came");
        byte[] icmp = sent.getFirst();
        assertEquals(IpProtocol.ICMP, icmp[9] & 0xFF);
        assertEquals(SERVER, IpAddress.read(icmp, 12, false), "from the address the datagram was sent to");
        assertEquals(CLIENT, IpAddress.read(icmp, 16, false));
        assertEquals(11, icmp[20] & 0xFF, "time exceeded");
        assertEquals(1, icmp[21] & 0xFF, "fragment reassembly time exceeded");
        assertEquals(0, Checksum.compute(icmp, 20, icmp.length - 20), "a right ICMP checksum");
        assertTrue(Arrays.equals(first, Arrays.copyOfRange(icmp, 28, icmp.length)), "the first fragment, quoted whole");
        assertEquals(1, s.counters().get(Counter.ICMP_OUT_TIME_EXCDS));
        assertEquals(2, s.counters().get(Counter.IP_REASM_TIMEOUT));
    }

    @Test
    void anIpv6DatagramTimedOutAfterItsFirstFragmentIsAnsweredWithIcmpv6TimeExceeded() {
        Stack s = server();
        byte[] first = fragment6(syn(CLIENT6, SERVER6, 40003), 0, 16, 7);
        s.receive(first, 0, first.length, S);
        sent.clear();
        s.advance(S + 61 * S); // past ip6frag_time (60 s)
        assertEquals(1, sent.size());
        byte[] icmp = sent.getFirst();
        assertEquals(IpProtocol.ICMPV6, icmp[6] & 0xFF);
        assertEquals(SERVER6, IpAddress.read(icmp, 8, true));
        assertEquals(CLIENT6, IpAddress.read(icmp, 24, true));
        assertEquals(3, icmp[40] & 0xFF, "ICMPv6 time exceeded");
        assertEquals(1, icmp[41] & 0xFF, "fragment reassembly time exceeded");
        assertTrue(Arrays.equals(first, Arrays.copyOfRange(icmp, 48, icmp.length)), "the first fragment, quoted whole");
        assertEquals(1, s.counters().get(Counter.ICMP6_OUT_TIME_EXCDS));
    }
}
