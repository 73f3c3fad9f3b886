package io.threeway.bench.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.threeway.tcp.TcpInfo;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The per-segment paths allocate nothing in steady state: the cheap, always-run check behind {@code bench jmh}'s
 * {@link io.threeway.bench.jmh.PathBenchmarks} (whose GC profiler gives the exact bytes per operation). The
 * thread's allocated bytes ({@code ThreadMXBean.getThreadAllocatedBytes}) over many segments, after a warm-up,
 * must stay below a byte per segment; an object made per segment (a key, a boxed number, a lambda, a packet
 * array) would show as at least 16.
 */
class SegmentPathsAllocationTest {
    private static final int WARMUP = 50_000;
    private static final int MEASURED = 100_000;

    private static double bytesPerSegment(IntSupplier path) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int sink = 0;
        for (int i = 0; i < WARMUP; i++) sink += path.getAsInt();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) sink += path.getAsInt();
        long after = threads.getThreadAllocatedBytes(id);
        assertTrue(sink > 0, "the path moved data");
        return (after - before) / (double) MEASURED;
    }

    @Test
    void aDataSegmentInAllocatesNothing() {
        SegmentPaths p = new SegmentPaths();
        double bytes = bytesPerSegment(p::dataSegmentIn);
        TcpInfo i = p.info();
        assertEquals((long) (WARMUP + MEASURED) * SegmentPaths.PAYLOAD, i.bytesReceived(), "every segment was taken");
        assertTrue(bytes < 1, "bytes allocated per data segment in: " + bytes);
    }

    @Test
    void aPureAckInAllocatesNothing() {
        SegmentPaths p = new SegmentPaths();
        double bytes = bytesPerSegment(p::pureAckIn);
        TcpInfo i = p.info();
        assertTrue(i.bytesAcked() >= (long) (WARMUP + MEASURED - 1) * SegmentPaths.PAYLOAD, "every ACK took data: " + i);
        assertEquals(0, i.totalRetrans(), "nothing was lost");
        assertTrue(bytes < 1, "bytes allocated per pure ACK in: " + bytes);
    }

    @Test
    void aDataSegmentOutAllocatesNothing() {
        SegmentPaths p = new SegmentPaths();
        double bytes = bytesPerSegment(p::dataSegmentOut);
        TcpInfo i = p.info();
        assertTrue(i.dataSegsOut() >= WARMUP + MEASURED, "every write went out: " + i);
        assertEquals(0, i.totalRetrans(), "nothing was lost");
        assertTrue(bytes < 1, "bytes allocated per data segment out: " + bytes);
    }
}
