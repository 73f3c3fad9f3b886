package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;

/**
 * How many MSS-sized segments Linux puts in one TSO/GSO super-segment (tcp_output.c's tcp_tso_autosize and
 * tcp_tso_segs): about a millisecond of the pacing rate (sk_pacing_rate >> sk_pacing_shift, the rate being
 * cwnd/srtt times tcp_pacing_ss_ratio in slow start or tcp_pacing_ca_ratio after, tcp_update_pacing_rate), plus
 * gso_max_size >> (min_rtt_us >> tcp_tso_rtt_log) on short paths, at most gso_max_size, at least
 * tcp_min_tso_segs. The stack hands its device MSS-sized pieces; a super-segment's last piece carries its PSH,
 * as Linux's GSO (tcp_gso_segment) leaves it on the last segment only.
 */
final class TsoSizing {
    private TsoSizing() {}

    /** GSO_LEGACY_MAX_SIZE: the largest super-segment a device takes (sk_gso_max_size). */
    static final int GSO_MAX_SIZE = 65536;
    /** sk_pacing_shift's default: a super-segment is about 1/1024 s of the pacing rate. */
    static final int PACING_SHIFT = 10;
    /** BITS_PER_TYPE(sk_gso_max_size): a shift this large adds nothing. */
    private static final int SIZE_BITS = 32;

    /**
     * tcp_tso_segs: segments per super-segment for a connection with send MSS {@code mss}, cwnd {@code cwndSegs}
     * and ssthresh {@code ssthreshSegs} (segments), {@code inFlightSegs} packets out, smoothed and minimum RTT in
     * nanoseconds ({@code srtt} &lt;= 0: not measured yet, so no pacing limit).
     */
    static int segments(Sysctls sysctls, int mss, int cwndSegs, int ssthreshSegs, int inFlightSegs, long srtt, long minRtt) {
        long bytes = pacingBytes(sysctls, mss, cwndSegs, ssthreshSegs, inFlightSegs, srtt);
        if (minRtt > 0 && minRtt != Long.MAX_VALUE) {
            long r = (minRtt / 1000) >> sysctls.get(Sysctl.TCP_TSO_RTT_LOG);
            if (r < SIZE_BITS) bytes += GSO_MAX_SIZE >> r;
        }
        bytes = Math.min(bytes, GSO_MAX_SIZE);
        return (int) Math.max(bytes / Math.max(1, mss), sysctls.get(Sysctl.TCP_MIN_TSO_SEGS));
    }

    /** sk_pacing_rate >> sk_pacing_shift (tcp_update_pacing_rate): the rate is unlimited before an RTT sample. */
    private static long pacingBytes(Sysctls sysctls, int mss, int cwndSegs, int ssthreshSegs, int inFlightSegs, long srtt) {
        if (srtt <= 0) return GSO_MAX_SIZE;
        int ratio = cwndSegs < ssthreshSegs / 2 ? sysctls.get(Sysctl.TCP_PACING_SS_RATIO) : sysctls.get(Sysctl.TCP_PACING_CA_RATIO);
        double perSecond = (double) mss * Math.max(cwndSegs, inFlightSegs) * ratio * 10_000_000.0 / srtt; // ratio is percent
        return (long) Math.min(perSecond, Long.MAX_VALUE >> 1) >> PACING_SHIFT;
    }
}
