package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import org.junit.jupiter.api.Test;

/**
 * __sk_mem_raise_allocated's rule between tcp_mem[0] and tcp_mem[2]: a socket below tcp_rmem[0] / tcp_wmem[0] may
 * always grow; without memory pressure any may; under pressure only one below its fair share (tcp_mem[2] over the
 * number of sockets); above tcp_mem[2] none (except a buffer's first bytes).
 */
class TcpMemoryFairShareTest {
    private static final int PAGE = TcpMemory.PAGE;

    /** An account with tcp_mem 10 20 40 pages, four sockets, and {@code pages} pages held. */
    private static TcpMemory account(long pages) {
        Sysctls s = new Sysctls().set("net.ipv4.tcp_mem", "10 20 40");
        TcpMemory m = new TcpMemory(s, new Counters());
        m.countSocketsWith(() -> 4);
        m.charge(pages * PAGE);
        return m;
    }

    @Test
    void underPressureASocketBelowItsFairShareMayGrowAndOneAboveMayNot() {
        TcpMemory m = account(25); // above tcp_mem[1]: pressure
        assertTrue(m.underPressure());
        assertTrue(m.mayRaiseReceive(8 * PAGE, 8 * PAGE), "8 pages x 4 sockets = 32 < 40: below its share");
        assertFalse(m.mayRaiseReceive(12 * PAGE, 12 * PAGE), "12 x 4 = 48 > 40: above its share");
        assertTrue(m.mayRaiseSend(8 * PAGE, 8 * PAGE));
        assertFalse(m.mayRaiseSend(12 * PAGE, 12 * PAGE));
        assertTrue(m.mayRaiseReceive(4000, 12 * PAGE), "queuing less than tcp_rmem[0] (4096): always");
    }

    @Test
    void withoutPressureOrBelowTheFloorAnySocketMayGrowAndAboveTheHardLimitNone() {
        assertTrue(account(5).mayRaiseReceive(30 * PAGE, 30 * PAGE), "below tcp_mem[0]");
        TcpMemory between = account(15); // above tcp_mem[0], below tcp_mem[1]: no pressure entered
        assertFalse(between.underPressure());
        assertTrue(between.mayRaiseReceive(30 * PAGE, 30 * PAGE), "no pressure: no fair share");
        TcpMemory over = account(41);
        assertFalse(over.mayRaiseReceive(5000, PAGE), "above tcp_mem[2]");
        assertTrue(over.mayRaiseSend(0, 0), "a send buffer's first bytes are forced (sk_forced_mem_schedule)");
    }
}
