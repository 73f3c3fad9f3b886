package io.threeway.bench.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 12's memory targets, kept: at most 1 KiB of heap per idle established connection and 128 bytes per
 * TIME-WAIT entry (compact), measured as {@code bench memory} measures them on 20,000 entries of each kind. A
 * field added to the connection's control block or to the TIME-WAIT record shows here first. (A heap size, not
 * a time: it does not depend on the machine's load.)
 */
class MemoryBenchTest {

    @Test
    void idleConnectionsAndTimeWaitEntriesStayWithinTheirTargets() {
        MemoryBench.Result r = MemoryBench.run(20_000);
        assertTrue(r.establishedBytes() > 300 && r.establishedBytes() <= MemoryRow.ESTABLISHED_TARGET,
                "bytes per idle established connection: " + r);
        assertTrue(r.timeWaitBytes() > 40 && r.timeWaitBytes() <= MemoryRow.TIME_WAIT_TARGET, "bytes per TIME-WAIT entry: " + r);
        assertTrue(r.synRecvBytes() > 300 && r.synRecvBytes() < 2 * MemoryRow.ESTABLISHED_TARGET, "bytes per SYN-RECV entry: " + r);
    }
}
