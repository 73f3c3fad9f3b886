package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctls;
import org.junit.jupiter.api.Test;

/** Linux's give-up rules, as numbers. */
class RetransmitLimitsTest {
    static final long MS = 1_000_000L;

    @Test
    void tcpModelTimeoutGivesTheSeedsFigures() {
        assertEquals(924_600 * MS, RetransmitLimits.modelTimeout(15, 200 * MS, 120_000 * MS), "tcp_retries2 = 15");
        assertEquals(12_600 * MS, RetransmitLimits.modelTimeout(5, 200 * MS, 120_000 * MS), "tcp_retries2 = 5");
    }

    @Test
    void synRetransmissionsAreSynRetriesPlusLinearTimeouts() {
        Sysctls s = new Sysctls();
        ConnectionOptions o = new ConnectionOptions();
        assertEquals(10, RetransmitLimits.synRetransmissions(s, o), "Linux 6.18's defaults: 6 + 4");
        assertFalse(RetransmitLimits.synTimeoutBacksOff(s, 4), "the fourth timeout keeps the 1 s RTO");
        assertTrue(RetransmitLimits.synTimeoutBacksOff(s, 5), "the fifth doubles it");
        o.synCount = 3;
        assertEquals(7, RetransmitLimits.synRetransmissions(s, o), "TCP_SYNCNT replaces tcp_syn_retries");
    }

    /** tcp_write_timeout's retransmits_timed_out for a connect: tcp_model_timeout(syn_retries, 1 s) after the first SYN. */
    @Test
    void aConnectAlsoGivesUpByTime() {
        Sysctls s = new Sysctls();
        ConnectionOptions o = new ConnectionOptions();
        o.synCount = 1;
        assertFalse(RetransmitLimits.synTimedOut(s, o, 2_999 * MS, 120_000 * MS));
        assertTrue(RetransmitLimits.synTimedOut(s, o, 3_000 * MS, 120_000 * MS), "TCP_SYNCNT 1: 3 s");
        assertFalse(RetransmitLimits.synTimedOut(s, new ConnectionOptions(), 67_000 * MS, 120_000 * MS), "defaults: 127 s");
    }

    @Test
    void orphansAndTcpUserTimeout() {
        Sysctls s = new Sysctls();
        ConnectionOptions o = new ConnectionOptions();
        long orphan = RetransmitLimits.dataTimeout(s, o, true, 200 * MS, 120_000 * MS);
        assertEquals(RetransmitLimits.modelTimeout(8, 200 * MS, 120_000 * MS), orphan, "tcp_orphan_retries 0 means 8");
        o.userTimeoutMs = 5_000;
        assertEquals(5_000 * MS, RetransmitLimits.dataTimeout(s, o, false, 200 * MS, 120_000 * MS), "TCP_USER_TIMEOUT wins");
    }
}
