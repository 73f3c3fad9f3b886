package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * FreeBSD's connection-establishment timer (TCP_KEEPINIT, net.inet.tcp.keepinit; tcp_timer_keep): an active
 * open that is not ESTABLISHED when it expires fails with ETIMEDOUT, whatever the SYN retransmissions are doing.
 */
class KeepInitTest {

    /** Drops every SYN the client sends until {@code until}; returns how many there were. */
    private static int dropSynsUntil(EnginePair p, long until) {
        int syns = 0;
        while (p.client.state() == TcpState.SYN_SENT && p.now < until) {
            while (!p.client.outbox.isEmpty()) {
                assertTrue(EnginePair.isSyn(p.dropOne(p.client)));
                syns++;
            }
            p.advanceTo(Math.min(until, p.client.conn.nextDeadline()));
        }
        while (!p.client.outbox.isEmpty()) {
            p.dropOne(p.client);
            syns++;
        }
        return syns;
    }

    @Test
    void socketKeepInitEndsConnectWithEtimedoutBetweenRetransmissions() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_syn_linear_timeouts", "0");
        p.client.conn.options().keepInitMs = 5000;
        p.client.conn.connect(0);
        int syns = dropSynsUntil(p, sec(20));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        assertEquals(sec(5), p.now, "gave up at 5 s, not at a retransmission");
        assertEquals(3, syns, "SYNs at 0, 1 and 3 s; the next (7 s) never goes");
        assertTrue(p.client.sentLog.stream().noneMatch(TcpSegment::rst), "no RST from SYN-SENT (tcp_drop)");
    }

    @Test
    void profileKeepInitAppliesWhenTheSocketSetsNone() {
        EnginePair p = new EnginePair();
        p.client.engineProfile = EngineProfile.LINUX.withKeepInitNanos(sec(2));
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.advanceTo(sec(1) + 1);
        p.dropOne(p.client);
        assertEquals(TcpState.SYN_SENT, p.client.state());
        p.advanceTo(sec(2));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
    }

    @Test
    void linuxHasNoEstablishmentTimer() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.advanceTo(sec(75));
        assertEquals(TcpState.SYN_SENT, p.client.state(), "only tcp_syn_retries ends a Linux connect");
    }

    @Test
    void establishedConnectionOutlivesTheTimer() {
        EnginePair p = new EnginePair();
        p.client.conn.options().keepInitMs = 2000;
        p.establish();
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        p.advanceTo(sec(10));
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertNull(p.client.conn.error());
    }

    @Test
    void settingKeepInitWhileConnectingRestartsTheTimer() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.advanceTo(sec(1) / 2);
        p.client.conn.options().keepInitMs = 3000;
        p.client.conn.keepInitChanged(p.now);
        p.advanceTo(sec(3));
        p.dropAll(p.client);
        assertEquals(TcpState.SYN_SENT, p.client.state(), "3 s from the setsockopt, not from connect()");
        p.advanceTo(sec(3) + sec(1) / 2);
        assertEquals(TcpState.CLOSED, p.client.state());
    }

    @Test
    void simultaneousOpenInSynReceivedIsDroppedWithRst() {
        EnginePair p = new EnginePair();
        p.client.conn.options().keepInitMs = 2000;
        p.client.conn.connect(0);
        p.dropOne(p.client);
        // A SYN from the peer crosses ours: SYN-RECEIVED, answered with SYN-ACK, which is lost.
        TcpSegment syn = p.forge(p.server, TcpFlags.SYN, 7000, 0);
        p.inject(p.client, syn);
        assertEquals(TcpState.SYN_RECEIVED, p.client.state());
        p.dropAll(p.client);
        p.advanceTo(sec(2));
        assertEquals(TcpState.CLOSED, p.client.state());
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        assertTrue(p.client.sentLog.get(p.client.sentLog.size() - 1).rst(), "a SYN was received: tcp_drop sends RST");
    }
}
