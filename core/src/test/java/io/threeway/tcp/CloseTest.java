package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.6 (closing a connection), §3.10.4/§3.10.5 (CLOSE and ABORT), §3.8.4 (keep-alives), with
 * Linux's choices where the RFC leaves room: tcp_close's abort on unread data, SO_LINGER 0, tcp_fin_timeout.
 */
class CloseTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    @Test
    void halfCloseLetsTheOtherDirectionKeepFlowing() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.shutdownOutput(p.now);
        p.deliverAll();
        assertEquals(TcpState.FIN_WAIT_2, p.client.state());
        assertEquals(0, p.client.conn.writable(), "our side is shut");
        assertTrue(p.server.conn.atEof());
        byte[] big = bytes(200_000);
        assertArrayEquals(big, p.transfer(p.server, big), "CLOSE-WAIT can still send, FIN-WAIT-2 still receive");
        p.server.conn.shutdownOutput(p.now);
        p.deliverAll();
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        assertEquals(TcpState.CLOSED, p.server.state());
        assertTrue(p.client.conn.atEof());
    }

    @Test
    void closeWithUnreadDataSendsResetInsteadOfFin() {
        EnginePair p = new EnginePair().establish();
        p.server.write(bytes(500), p.now);
        p.deliverAll();
        assertEquals(500, p.client.conn.readable());
        p.client.forget();
        p.client.conn.close(p.now);
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(1, p.client.sentLog.size());
        TcpSegment rst = p.client.lastSent();
        assertTrue(rst.rst() && !rst.fin(), "Linux's tcp_close: unread data means the data was lost, say so with RST");
        assertEquals(p.client.conn.info(0).sndNxt(), rst.seq);
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_CLOSE));
        assertEquals(1, p.client.counters.get(Counter.OUT_RSTS));
        p.deliverAll();
        assertEquals(TcpState.CLOSED, p.server.state());
        assertEquals(Errno.ECONNRESET, p.server.conn.error());
    }

    @Test
    void soLingerZeroAbortsWithReset() {
        EnginePair p = new EnginePair();
        p.client.conn.options().lingerSeconds = 0;
        p.establish();
        p.client.forget();
        p.client.conn.close(p.now);
        assertEquals(TcpState.CLOSED, p.client.state());
        assertTrue(p.client.lastSent().rst());
        assertTrue(p.client.sent(TcpSegment::fin).isEmpty());
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_DATA), "Linux counts SO_LINGER 0 as TCPAbortOnData");
        p.deliverAll();
        assertEquals(Errno.ECONNRESET, p.server.conn.error());
        assertFalse(p.client.transitions.contains("CLOSED->TIME_WAIT"));
        assertTrue(p.client.transitions.stream().noneMatch(t -> t.endsWith("TIME_WAIT")), "an abort skips TIME-WAIT");
    }

    @Test
    void orphanedFinWait2EndsAfterTcpFinTimeout() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_fin_timeout", "30");
        p.establish();
        p.client.conn.close(p.now);
        p.deliverAll();
        assertEquals(TcpState.FIN_WAIT_2, p.client.state());
        assertTrue(p.client.conn.isOrphaned());
        long entered = p.now;
        p.client.forget();
        p.advanceTo(entered + sec(30) - 1);
        assertEquals(TcpState.FIN_WAIT_2, p.client.state());
        p.advanceTo(entered + sec(30));
        assertEquals(TcpState.CLOSED, p.client.state(), "the peer never sent its FIN: give up after tcp_fin_timeout");
        assertTrue(p.client.sentLog.isEmpty(), "silently");
    }

    @Test
    void finWait2OfAnOpenSocketWaitsForever() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.shutdownOutput(p.now);
        p.deliverAll();
        p.advanceBy(sec(3600));
        assertEquals(TcpState.FIN_WAIT_2, p.client.state(), "tcp_fin_timeout is for orphans only");
    }

    @Test
    void keepaliveDetectsADeadPeerAfterIdlePlusCountTimesInterval() {
        EnginePair p = new EnginePair();
        ConnectionOptions o = p.client.conn.options();
        o.keepAlive = true;
        o.keepIdle = 10;
        o.keepIntvl = 2;
        o.keepCnt = 3;
        p.establish();
        long t0 = p.now;
        int sndUna = p.client.conn.info(0).sndUna();
        List<Long> probes = new ArrayList<>();
        while (p.client.state() != TcpState.CLOSED && p.now < t0 + sec(100)) {
            p.advanceTo(p.client.conn.nextDeadline());
            for (TcpSegment s; (s = p.dropOne(p.client)) != null; ) { // the peer is gone
                if (s.rst()) continue;
                assertEquals(0, s.payloadLength);
                assertEquals(sndUna - 1, s.seq, "§3.8.4: a probe carries SEG.SEQ = SND.NXT-1");
                probes.add((p.now - t0) / 1_000_000_000L);
            }
        }
        assertEquals(List.of(10L, 12L, 14L), probes);
        assertEquals(sec(16), p.now - t0, "keepidle + keepcnt * keepintvl");
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        assertTrue(p.client.lastSent().rst(), "Linux's tcp_keepalive_timer sends an RST as it gives up");
        assertEquals(3, p.client.counters.get(Counter.TCP_KEEP_ALIVE));
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_TIMEOUT));
    }

    @Test
    void answeredKeepalivesKeepTheConnection() {
        EnginePair p = new EnginePair();
        ConnectionOptions o = p.client.conn.options();
        o.keepAlive = true;
        o.keepIdle = 10;
        o.keepIntvl = 2;
        o.keepCnt = 3;
        p.establish();
        while (p.now < sec(200)) {
            p.advanceTo(p.client.conn.nextDeadline());
            p.deliverAll();
        }
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertEquals(sec(200), p.now);
        assertEquals(20, p.client.counters.get(Counter.TCP_KEEP_ALIVE), "one probe per idle period, each answered");
        assertEquals(0, p.client.conn.info(0).probes());
    }

    @Test
    void anOrphanedConnectionInTimeWaitHoldsNoBuffers() {
        EnginePair p = new EnginePair().establish();
        p.transfer(p.client, new byte[100_000]);
        p.transfer(p.server, new byte[100_000]);
        assertTrue(p.client.conn.info(0).bufferBytes() > 0, "an active connection holds its rings");
        p.client.conn.close(p.now);
        p.deliverAll();
        p.server.conn.close(p.now);
        p.deliverAll();
        assertEquals(TcpState.TIME_WAIT, p.client.state());
        assertEquals(0, p.client.conn.info(0).bufferBytes(), "TIME-WAIT keeps no buffers");
        // It still does TIME-WAIT's job: a retransmitted FIN is acknowledged again.
        int acks = p.client.sentLog.size();
        p.inject(p.client, p.forge(p.server, io.threeway.wire.TcpFlags.FIN | io.threeway.wire.TcpFlags.ACK,
                p.server.conn.info(0).sndNxt() - 1, p.client.conn.info(0).sndNxt()));
        assertEquals(acks + 1, p.client.sentLog.size(), "the FIN is re-ACKed");
        assertEquals(p.server.conn.info(0).sndNxt(), p.client.lastSent().ack);
        p.advanceBy(EnginePair.sec(61));
        assertEquals(TcpState.CLOSED, p.client.state());
    }
}
