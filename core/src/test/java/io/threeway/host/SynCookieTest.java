package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections accepted by SYN cookie (tcp_syncookies = 2) keep what the cookie can carry. */
class SynCookieTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Pair(Network net, Stack client, Stack server, Listener listener, Link link) {}

    static Pair pair(String clientTimestamps) {
        Network net = new Network(9);
        Stack c = net.host("client");
        Stack s = net.host("server");
        c.sysctls().set("net.ipv4.tcp_timestamps", clientTimestamps);
        s.sysctls().set("net.ipv4.tcp_syncookies", "2");
        Link link = net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(10)).build());
        Listener l = s.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        return new Pair(net, c, s, l, link);
    }

    @Test
    void withTimestampsWindowScaleAndSackSurviveTheCookie() {
        Pair p = pair("1");
        TcpConnection c = p.client.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        p.net.sim().runUntil(() -> p.listener.acceptQueueLength() == 1, 1_000_000_000L);
        TcpConnection s = p.listener.accept();
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertEquals(1, p.server.counters().get(Counter.SYNCOOKIES_SENT));
        assertEquals(1, p.server.counters().get(Counter.SYNCOOKIES_RECV));
        assertTrue(s.info(0).timestamps() && s.info(0).sack() && s.info(0).windowScaling(), "options kept through TSval's low bits");
        assertEquals(c.info(0).rcvWscale(), s.info(0).sndWscale(), "the client's window scale came back from TSecr");
        assertEquals(1460 - 12, s.info(0).mss(), "MSS 1460 is in the cookie's table");
        // And it carries data both ways.
        byte[] hello = "hello".getBytes();
        c.write(hello, 0, hello.length, p.net.now());
        p.client.userCallDone();
        p.net.sim().runUntil(() -> s.readable() == 5, p.net.now() + 1_000_000_000L);
        assertEquals(5, s.readable());
    }

    @Test
    void withoutTimestampsTheOptionsAreLostAsTheSeedsWarn() {
        Pair p = pair("0");
        p.client.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        p.net.sim().runUntil(() -> p.listener.acceptQueueLength() == 1, 1_000_000_000L);
        TcpConnection s = p.listener.accept();
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertFalse(s.info(0).windowScaling(), "no state, no timestamps: window scaling is lost");
        assertFalse(s.info(0).sack(), "and SACK too");
    }

    @Test
    void aForgedCookieFailsAndIsReset() {
        Pair p = pair("1");
        TcpSegment ack = new TcpSegment();
        ack.srcPort = 40000;
        ack.dstPort = 80;
        ack.seq = 12345;
        ack.ack = 0xDEADBEEF;
        ack.flags = TcpFlags.ACK;
        ack.window = 100;
        byte[] pkt = PacketBuilder.buildTcp(IpAddress.parse("198.18.0.1"), SERVER, ack, 0);
        p.link.sinkAtoB().transmit(pkt, pkt.length, 0);
        p.net.sim().runFor(Duration.ofMillis(50));
        assertEquals(1, p.server.counters().get(Counter.SYNCOOKIES_FAILED));
        assertEquals(1, p.server.counters().get(Counter.OUT_RSTS));
        assertEquals(0, p.server.connectionCount());
    }
}
