package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import org.junit.jupiter.api.Test;

/** tcp_output.c's tcp_tso_autosize and tcp_tso_segs: how many MSS one super-segment carries. */
class TsoSizingTest {
    static final long MS = 1_000_000L;

    /** Before an RTT sample the pacing rate is unlimited: gso_max_size (64 KiB) worth of segments. */
    @Test
    void withoutAnRttSampleASuperSegmentIsAsLargeAsTheDeviceTakes() {
        assertEquals(65536 / 1460, TsoSizing.segments(new Sysctls(), 1460, 10, Integer.MAX_VALUE, 0, -1, Long.MAX_VALUE));
    }

    /**
     * "bytes = sk_pacing_rate >> sk_pacing_shift": 10 x 1460 B per 100 ms at tcp_pacing_ss_ratio 200% is 292,000 B/s,
     * 285 bytes a millisecond, so tcp_min_tso_segs (2) wins; min_rtt 100 ms >> tcp_tso_rtt_log adds nothing.
     */
    @Test
    void aSlowPathGetsTcpMinTsoSegs() {
        assertEquals(2, TsoSizing.segments(new Sysctls(), 1460, 10, Integer.MAX_VALUE, 0, 100 * MS, 100 * MS));
        Sysctls s = new Sysctls();
        s.set(Sysctl.TCP_MIN_TSO_SEGS, 4);
        assertEquals(4, TsoSizing.segments(s, 1460, 10, Integer.MAX_VALUE, 0, 100 * MS, 100 * MS));
    }

    /** A short path adds gso_max_size >> (min_rtt_us >> 9): 1 ms gives r = 1, so 32 KiB more. */
    @Test
    void aShortPathGrowsTheSuperSegment() {
        int segs = TsoSizing.segments(new Sysctls(), 1000, 10, Integer.MAX_VALUE, 0, 100 * MS, 1 * MS);
        assertEquals((200_000 / 1024 + 32768) / 1000, segs); // 10 x 1000 B per 100 ms at 200%: 195 B + 32 KiB

    }
}
