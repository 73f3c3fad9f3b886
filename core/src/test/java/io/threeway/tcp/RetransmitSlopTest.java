package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * FreeBSD's rexmit_slop (the engine profile's {@code rexmitSlopNanos}) reaches every retransmission timer armed
 * after an RTT sample or a backoff (TCPT_RANGESET), not only the SYN's: the timer of the first data segment, the
 * restart on a partial acknowledgment, and the re-arm after a timeout. Under Linux's profile there is no slop.
 */
class RetransmitSlopTest {
    private static final long SLOP = ms(200);

    private static EnginePair pair(long slop) {
        EnginePair p = new EnginePair();
        EngineProfile profile = EngineProfile.LINUX.withRexmitSlopNanos(slop);
        p.client.engineProfile = profile;
        p.server.engineProfile = profile;
        p.client.sysctls.set("net.ipv4.tcp_early_retrans", "0"); // FreeBSD's default stack sends no tail loss probe
        p.establish();
        p.advanceBy(ms(10));
        return p;
    }

    /** The retransmission deadline the client's timer should have: RTO with backoff, plus the slop, capped. */
    private static long expected(EnginePair p, long slop) {
        TcpInfo i = p.client.conn.info(p.now);
        long rtoMax = 120_000_000_000L; // tcp_rto_max_ms' default: TCPT_RANGESET adds the slop before this cap
        return p.now + Math.min(i.rto() + slop, rtoMax);
    }

    @Test
    void theFirstDataSegmentsTimerHasTheSlop() {
        EnginePair p = pair(SLOP);
        p.client.write(new byte[100], p.now);
        assertEquals("on", p.client.conn.info(p.now).timer());
        assertEquals(expected(p, SLOP), p.client.conn.nextDeadline());
    }

    @Test
    void aPartialAcknowledgmentRestartsTheTimerWithTheSlop() {
        EnginePair p = pair(SLOP);
        p.client.write(new byte[3000], p.now);     // three segments in flight
        p.advanceBy(ms(5));
        p.deliverOne(p.client);                    // the first reaches the server, which acknowledges it at once
        p.dropAll(p.client);
        p.deliverAll();
        assertTrue(p.client.conn.info(p.now).unacked() > 0, "data still outstanding");
        assertEquals(expected(p, SLOP), p.client.conn.nextDeadline());
    }

    @Test
    void aTimeoutRearmsTheTimerWithTheSlop() {
        EnginePair p = pair(SLOP);
        p.client.write(new byte[100], p.now);
        p.dropAll(p.client);
        p.advanceTo(p.client.conn.nextDeadline()); // the timeout: the segment goes again, backed off once
        assertEquals(1, p.client.conn.info(p.now).backoff());
        assertEquals(expected(p, SLOP), p.client.conn.nextDeadline());
    }

    @Test
    void linuxHasNoSlop() {
        EnginePair p = pair(0);
        p.client.write(new byte[100], p.now);
        assertEquals(p.now + p.client.conn.info(p.now).rto(), p.client.conn.nextDeadline());
    }
}
