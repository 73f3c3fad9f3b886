package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.PacketBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP and ICMPv6 at the host: echo replies, and errors about our segments handled as Linux's tcp_v4_err and
 * tcp_v6_err handle them (hard while connecting, soft once established, path MTU lowered, out-of-window quotes
 * ignored). The errors are injected as a router between the hosts would send them.
 */
class IcmpTest {

    /** Two stacks on one 10 ms link; every packet the client sends is recorded. */
    record Pair(Network net, Stack client, Stack server, Link link, List<byte[]> sent) {
        static Pair of(String clientAddr, String serverAddr) {
            Network net = new Network(3);
            Stack c = net.host("client");
            Stack s = net.host("server");
            Link link = net.link(c, clientAddr, s, serverAddr, LinkConfig.builder().delay(Duration.ofMillis(5)).build());
            List<byte[]> sent = new ArrayList<>();
            link.aToB().tapTransmit((p, len, t) -> sent.add(java.util.Arrays.copyOf(p, len)));
            return new Pair(net, c, s, link, sent);
        }

        /** The last packet the client sent. */
        byte[] last() { return sent.getLast(); }
    }

    static byte[] icmpMessage(int type, int code, int rest, byte[] quoted, int quoteLength) {
        byte[] m = new byte[8 + quoteLength];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Bytes.putInt(m, 4, rest);
        System.arraycopy(quoted, 0, m, 8, quoteLength);
        return m;
    }

    /** An echo request (ICMP type 8, or ICMPv6 type 128) from {@code from} to {@code to}. */
    static byte[] echoRequest(String from, String to, int identifierAndSequence, byte[] data) {
        IpAddress src = IpAddress.parse(from);
        byte[] m = icmpMessage(src.v6() ? 128 : 8, 0, identifierAndSequence, data, data.length);
        return PacketBuilder.buildIcmp(src, IpAddress.parse(to), m, 0, m.length, src.v6() ? 0 : 9);
    }

    /** An ICMP error from {@code router} to the client, quoting the first 28 bytes (IPv4) / 48 (IPv6) of {@code quoted}. */
    static byte[] error(String router, String to, int type, int code, int rest, byte[] quoted) {
        IpAddress src = IpAddress.parse(router);
        int quote = Math.min(quoted.length, src.v6() ? Ipv6Header.LENGTH + 8 : Ipv4Header.LENGTH + 8);
        byte[] m = icmpMessage(type, code, rest, quoted, quote);
        return PacketBuilder.buildIcmp(src, IpAddress.parse(to), m, 0, m.length, 1);
    }

    @Test
    void answersAnEchoRequestWithTheSameIdentifierSequenceAndData() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        byte[] request = echoRequest("198.18.0.2", "198.18.0.1", 0x1234_0007, "ping payload".getBytes());
        p.client.receive(request, 0, request.length, p.net.now());
        byte[] reply = p.last();
        IpPacket ip = new IpPacket();
        assertTrue(Ipv4Header.parse(reply, 0, reply.length, ip).ok());
        assertEquals("198.18.0.1", ip.source().toString());
        assertEquals("198.18.0.2", ip.destination().toString());
        assertEquals(0, reply[ip.payloadOffset], "echo reply");
        assertEquals(0x1234_0007, Bytes.getInt(reply, ip.payloadOffset + 4), "identifier and sequence number");
        assertEquals("ping payload", new String(reply, ip.payloadOffset + 8, 12));
        assertTrue(Checksum.verifyIcmpV4(reply, ip));
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_MSGS));
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_ECHOS));
        assertEquals(1, p.client.counters().get(Counter.ICMP_OUT_MSGS));
        assertEquals(1, p.client.counters().get(Counter.ICMP_OUT_ECHO_REPS));
    }

    @Test
    void icmpEchoIgnoreAllSilencesPing() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        p.client.sysctls().set("net.ipv4.icmp_echo_ignore_all", "1");
        byte[] request = echoRequest("198.18.0.2", "198.18.0.1", 0x1234_0007, "ping payload".getBytes());
        p.client.receive(request, 0, request.length, p.net.now());
        assertTrue(p.sent().isEmpty(), "no echo reply");
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_ECHOS), "the request is still counted");
    }

    @Test
    void answersAnIcmpv6EchoRequestWithAValidChecksum() {
        Pair p = Pair.of("2001:db8::1", "2001:db8::2");
        byte[] request = echoRequest("2001:db8::2", "2001:db8::1", 0x0042_0001, "v6".getBytes());
        p.client.receive(request, 0, request.length, p.net.now());
        byte[] reply = p.last();
        IpPacket ip = new IpPacket();
        assertTrue(Ipv6Header.parse(reply, 0, reply.length, ip).ok());
        assertEquals(129 - 256, reply[ip.payloadOffset], "echo reply");
        assertEquals(0x0042_0001, Bytes.getInt(reply, ip.payloadOffset + 4));
        assertTrue(Checksum.verifyTransport(reply, ip));
        assertEquals(1, p.client.counters().get(Counter.ICMP6_IN_ECHOS));
        assertEquals(1, p.client.counters().get(Counter.ICMP6_OUT_ECHO_REPLIES));
    }

    @Test
    void aBadChecksumIsCountedAndNotAnswered() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        byte[] request = echoRequest("198.18.0.2", "198.18.0.1", 1, new byte[0]);
        request[Ipv4Header.LENGTH + 4] ^= 1;
        p.client.receive(request, 0, request.length, p.net.now());
        assertTrue(p.sent.isEmpty());
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_CSUM_ERRORS));
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_ERRORS));
    }

    @Test
    void hostUnreachableWhileConnectingFailsConnectAtOnceWithEhostunreach() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        p.link.aToB().addRule(Rules.dropMatching(x -> true));
        TcpConnection c = p.client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
        byte[] syn = p.last();
        byte[] icmp = error("198.18.1.1", "198.18.0.1", 3, 1, 0, syn);
        p.client.receive(icmp, 0, icmp.length, p.net.now());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(Errno.EHOSTUNREACH, c.error(), "No route to host");
        assertEquals(1, p.client.counters().get(Counter.ICMP_IN_DEST_UNREACHS));
        assertEquals(1, p.client.counters().get(Counter.ATTEMPT_FAILS));
    }

    @Test
    void portUnreachableWhileConnectingIsConnectionRefusedAndIcmpv6AdminProhibitedIsEacces() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        p.link.aToB().addRule(Rules.dropMatching(x -> true));
        TcpConnection c = p.client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
        byte[] icmp = error("198.18.0.2", "198.18.0.1", 3, 3, 0, p.last());
        p.client.receive(icmp, 0, icmp.length, p.net.now());
        assertEquals(Errno.ECONNREFUSED, c.error());

        Pair q = Pair.of("2001:db8::1", "2001:db8::2");
        q.link.aToB().addRule(Rules.dropMatching(x -> true));
        TcpConnection c6 = q.client.connect(IpAddress.parse("2001:db8::2"), 80, 0, new ConnectionOptions(), 0);
        byte[] icmp6 = error("2001:db8::99", "2001:db8::1", 1, 1, 0, q.last());
        q.client.receive(icmp6, 0, icmp6.length, q.net.now());
        assertEquals(Errno.EACCES, c6.error(), "icmpv6_err_convert: administratively prohibited is EACCES");
    }

    @Test
    void aQuoteOutsideTheSequenceSpaceIsIgnored() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        p.link.aToB().addRule(Rules.dropMatching(x -> true));
        TcpConnection c = p.client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
        byte[] forged = p.last().clone();
        Bytes.putInt(forged, Ipv4Header.LENGTH + 4, c.info(0).iss() + 100_000);
        byte[] icmp = error("198.18.1.1", "198.18.0.1", 3, 1, 0, forged);
        p.client.receive(icmp, 0, icmp.length, p.net.now());
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(1, p.client.counters().get(Counter.OUT_OF_WINDOW_ICMPS));
    }

    @Test
    void onAnEstablishedConnectionUnreachableIsSoftAndReportedWhenItTimesOut() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        p.client.sysctls().assign("net.ipv4.tcp_retries2=3");
        Listener l = p.server.listen(IpAddress.ANY4, 80, 8, new ConnectionOptions(), false);
        TcpConnection c = p.client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
        p.net.sim().runUntil(() -> l.acceptQueueLength() == 1, 1_000_000_000L);
        p.link.aToB().addRule(Rules.dropMatching(x -> true));
        c.write(new byte[100], 0, 100, p.net.now());
        p.client.userCallDone();
        byte[] icmp = error("198.18.1.1", "198.18.0.1", 3, 1, 0, p.last());
        p.client.receive(icmp, 0, icmp.length, p.net.now());
        assertEquals(TcpState.ESTABLISHED, c.state(), "RFC 1122 4.2.3.9: not a reason to abort");
        assertNull(c.error());
        p.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, p.net.now() + 3600_000_000_000L);
        assertEquals(Errno.EHOSTUNREACH, c.error(), "tcp_write_err reports sk_err_soft instead of ETIMEDOUT");
    }

    @Test
    void fragmentationNeededLowersTheMssAndTheDataGetsThrough() {
        Pair p = Pair.of("198.18.0.1", "198.18.0.2");
        Listener l = p.server.listen(IpAddress.ANY4, 80, 8, new ConnectionOptions(), false);
        TcpConnection c = p.client.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
        p.net.sim().runUntil(() -> l.acceptQueueLength() == 1, 1_000_000_000L);
        TcpConnection served = l.accept();
        assertEquals(1448, c.info(0).mss());
        // A router on the path has a 1000-byte MTU: it drops bigger packets and says so.
        p.link.aToB().addRule(new io.threeway.sim.Rule() {
            @Override
            public io.threeway.sim.Verdict apply(io.threeway.sim.Packet pkt, long now) {
                if (pkt.length() <= 1000) return io.threeway.sim.Verdict.PASS;
                byte[] icmp = error("198.18.1.1", "198.18.0.1", 3, 4, 1000, pkt.copy());
                p.net.sim().scheduleIn(5_000_000L, () -> p.client.receive(icmp, 0, icmp.length, p.net.now()));
                return io.threeway.sim.Verdict.DROP;
            }
        });
        byte[] data = new byte[50_000];
        new java.util.Random(1).nextBytes(data);
        c.write(data, 0, data.length, p.net.now());
        p.client.userCallDone();
        byte[] got = new byte[data.length];
        int[] have = {0};
        p.net.sim().runUntil(() -> {
            have[0] += served.read(got, have[0], got.length - have[0], p.net.now());
            p.server.userCallDone();
            return have[0] == data.length;
        }, p.net.now() + 5_000_000_000L);
        assertArrayEquals(data, got);
        assertEquals(1000 - 40 - 12, c.info(0).mss(), "MTU 1000 less IP, TCP and timestamp option");
        assertEquals(1000, p.client.pathMtu(IpAddress.parse("198.18.0.2"), p.net.now()));
        assertEquals(1500, p.client.pathMtu(IpAddress.parse("198.18.0.2"), p.net.now() + PathMtuCache.EXPIRES_NANOS),
                "the learned MTU expires after 600 s");
    }
}
