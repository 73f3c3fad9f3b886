package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.5: establishing a connection, the three-way handshake, seen at the engine. */
class HandshakeTest {

    @Test
    void threeWayHandshakeEstablishesBothSidesWithIsnPlusOneArithmetic() {
        EnginePair p = new EnginePair();
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment syn = p.deliverOne(p.client);
        assertTrue(EnginePair.isSyn(syn));
        assertEquals(1000, syn.seq);
        assertEquals(TcpState.SYN_RECEIVED, p.server.state());
        TcpSegment synAck = p.deliverOne(p.server);
        assertTrue(EnginePair.isSynAck(synAck));
        assertEquals(5000, synAck.seq);
        assertEquals(1001, synAck.ack, "ack = client ISN + 1");
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        TcpSegment ack = p.deliverOne(p.client);
        assertEquals(5001, ack.ack, "ack = server ISN + 1");
        assertEquals(1001, ack.seq);
        assertEquals(TcpState.ESTABLISHED, p.server.state());
        assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED"), p.client.transitions);
        assertEquals(List.of("CLOSED->LISTEN", "LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED"), p.server.transitions);
        assertEquals(1, p.client.counters.get(Counter.ACTIVE_OPENS));
        assertEquals(1, p.server.counters.get(Counter.PASSIVE_OPENS));
        assertEquals(1, p.client.counters.get(Counter.CURR_ESTAB));
    }

    @Test
    void synCarriesLinuxOptionsAndNegotiationIsSymmetric() {
        EnginePair p = new EnginePair();
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment syn = p.client.outbox.peek();
        assertEquals(1460, syn.options.mss);
        assertTrue(syn.options.sackPermitted);
        assertTrue(syn.options.timestamps);
        assertEquals(10, syn.options.windowScale, "ilog2(tcp_rmem[2] = 32 MiB) - 15, as Linux 6.18 chooses");
        assertEquals(64240, syn.window, "44 x 1460: the buffer's space in whole segments");
        p.deliverAll();
        assertTrue(p.client.conn.info(0).timestamps() && p.server.conn.info(0).timestamps());
        assertTrue(p.client.conn.info(0).sack() && p.server.conn.info(0).sack());
        assertEquals(1448, p.client.conn.info(0).mss(), "1460 less 12 bytes of timestamp option");
        TcpSegment synAck = p.server.sentLog.get(0);
        assertEquals(65160, synAck.window, "45 x 1448, as Linux's tcp_openreq_init_rwin gives with timestamps");
    }

    @Test
    void lostSynIsRetransmittedOnLinuxSchedule() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_syn_linear_timeouts", "0");
        p.client.conn.connect(0);
        long[] times = new long[8];
        int n = 0;
        long t = 0;
        while (p.client.state() == TcpState.SYN_SENT && t < sec(200)) {
            while (!p.client.outbox.isEmpty()) {
                p.dropOne(p.client);
                times[n++] = p.now;
            }
            t = p.client.conn.nextDeadline();
            p.advanceTo(t);
        }
        assertArrayEquals(new long[] {0, sec(1), sec(3), sec(7), sec(15), sec(31), sec(63), 0}, times);
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        assertEquals(sec(127), p.now);
    }

    @Test
    void linearTimeoutsThenExponential() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_syn_retries", "2");
        p.client.sysctls.set("net.ipv4.tcp_syn_linear_timeouts", "2");
        p.client.conn.connect(0);
        StringBuilder sends = new StringBuilder();
        while (p.client.state() == TcpState.SYN_SENT) {
            while (!p.client.outbox.isEmpty()) {
                p.dropOne(p.client);
                sends.append(p.now / 1_000_000_000L).append(' ');
            }
            p.advanceTo(p.client.conn.nextDeadline());
        }
        assertEquals("0 1 2 3 5 ", sends.toString());
        assertEquals(sec(9), p.now);
    }

    @Test
    void dataFlowsBothWaysAndCloses() {
        EnginePair p = new EnginePair().establish();
        byte[] req = "GET / HTTP/1.1\r\n\r\n".getBytes();
        assertArrayEquals(req, p.transfer(p.client, req));
        byte[] big = new byte[300_000];
        new java.util.Random(1).nextBytes(big);
        assertArrayEquals(big, p.transfer(p.server, big));
        p.client.conn.close(p.now);
        p.deliverAll();
        assertEquals(TcpState.FIN_WAIT_2, p.client.state());
        assertEquals(TcpState.CLOSE_WAIT, p.server.state());
        byte[] buf = new byte[10];
        assertEquals(-1, p.server.conn.read(buf, 0, 10, p.now));
        p.server.conn.close(p.now);
        p.deliverAll();
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        assertEquals(TcpState.CLOSED, p.server.state());
        p.advanceBy(ms(59_999));
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        p.advanceBy(ms(1));
        assertEquals(TcpState.CLOSED, p.client.state());
    }
}
