package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * A Fast Open SYN with data meets a smaller path MTU (Linux's tcp_v4_mtu_reduced -> tcp_simple_retransmit in
 * SYN-SENT: "Us being here is an indication of a path MTU issue so we can assume that the fastopen SYN was lost"):
 * the SYN goes again at once, without its data or the cookie, advertising the new path's MSS, and the data follows
 * the SYN-ACK (Google's syn-data-icmp-unreach-frag-needed.pkt).
 */
class SynDataPathMtuTest {

    @Test
    void aFastOpenSynIsResentAtOnceWithoutItsDataAndWithTheNewMss() {
        EnginePair p = new EnginePair();
        p.client.fastOpen = new FastOpenMetrics(new byte[8], false, 0);
        byte[] data = new byte[1000];
        p.client.conn.connect(data, 0, data.length, 0);
        TcpSegment syn = p.dropOne(p.client);
        assertEquals(1000, syn.payloadLength, "a cookie is cached: the SYN carries the data");
        assertTrue(syn.options.fastOpen);

        p.client.mtu = 800;
        p.client.conn.pathMtuChanged(800, p.now);
        TcpSegment retry = p.dropOne(p.client);
        assertNotNull(retry, "resent at once, not at the SYN's timeout");
        assertTrue(retry.syn());
        assertEquals(0, retry.payloadLength, "without the data");
        assertFalse(retry.options.fastOpen, "and without the cookie (a retry)");
        assertEquals(760, retry.options.mss, "the new path's MSS");

        TcpSegment synAck = p.forge(p.server, TcpFlags.SYN | TcpFlags.ACK, 5000, syn.seq + 1);
        synAck.window = 65535;
        synAck.options.mss = 1460;
        p.inject(p.client, synAck);
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        int sent = p.client.sent(s -> s.payloadLength > 0 && !s.syn()).stream().mapToInt(s -> s.payloadLength).sum();
        assertEquals(1000, sent, "the data follows the handshake");
    }

    /** A SYN without data fits any path (tcp_simple_retransmit marks nothing lost): nothing is resent. */
    @Test
    void aPlainSynIsNotResent() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.client.mtu = 800;
        p.client.conn.pathMtuChanged(800, p.now);
        assertNull(p.dropOne(p.client));
    }
}
