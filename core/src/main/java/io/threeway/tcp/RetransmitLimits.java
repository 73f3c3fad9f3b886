package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;

/**
 * When a connection stops retransmitting and gives up, as Linux decides it (tcp_write_timeout,
 * retransmits_timed_out, tcp_model_timeout). Pure functions of the settings, kept together so the rules read in
 * one place:
 * <ul>
 *   <li>a SYN may be retransmitted tcp_syn_retries + tcp_syn_linear_timeouts times (or TCP_SYNCNT's count);
 *       the RTO stays at its initial value for the first tcp_syn_linear_timeouts timeouts, then doubles (Linux
 *       6.x: 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, failing at 131 s with the defaults);</li>
 *   <li>data gives up after the time {@code tcp_retries2} doublings of the 200 ms RTO floor take, capped at the
 *       maximum RTO (924.6 s for 15, 12.6 s for 5), counted from the first transmission of what is unacknowledged;
 *       tcp_orphan_retries (0 meaning 8) instead once the application has closed; TCP_USER_TIMEOUT overrides both.</li>
 * </ul>
 */
final class RetransmitLimits {
    private RetransmitLimits() {}

    /** How many times a SYN may be retransmitted before connect() fails with ETIMEDOUT. */
    static int synRetransmissions(Sysctls s, ConnectionOptions o) {
        int synRetries = o.synCount > 0 ? o.synCount : s.get(Sysctl.TCP_SYN_RETRIES);
        return synRetries + s.get(Sysctl.TCP_SYN_LINEAR_TIMEOUTS);
    }

    /**
     * Linux's tcp_write_timeout for SYN-SENT: besides the count, retransmits_timed_out gives up once the time
     * tcp_model_timeout allows syn_retries (or TCP_SYNCNT) doublings of the initial RTO has passed since the first
     * SYN ({@code elapsed}), whatever tcp_syn_linear_timeouts added to the count.
     */
    static boolean synTimedOut(Sysctls s, ConnectionOptions o, long elapsed, long rtoMax) {
        int retryUntil = o.synCount > 0 ? o.synCount : s.get(Sysctl.TCP_SYN_RETRIES);
        return elapsed >= modelTimeout(retryUntil, RttEstimator.INITIAL_RTO, rtoMax);
    }

    /** Whether the timeout numbered {@code retransmits} (from 1) doubles the RTO, or keeps it (a linear timeout). */
    static boolean synTimeoutBacksOff(Sysctls s, int retransmits) {
        return retransmits > s.get(Sysctl.TCP_SYN_LINEAR_TIMEOUTS);
    }

    /** How long unacknowledged data may go unanswered before the connection gives up, in nanoseconds. */
    static long dataTimeout(Sysctls s, ConnectionOptions o, boolean orphaned, long rtoMin, long rtoMax) {
        if (o.userTimeoutMs > 0) return o.userTimeoutMs * 1_000_000L;
        int boundary = s.get(Sysctl.TCP_RETRIES2);
        if (orphaned) {
            int orphanRetries = s.get(Sysctl.TCP_ORPHAN_RETRIES);
            boundary = orphanRetries == 0 ? 8 : orphanRetries;
        }
        return modelTimeout(boundary, rtoMin, rtoMax);
    }

    /** Linux's tcp_model_timeout: the time {@code boundary} exponential backoffs from {@code rtoBase} take. */
    static long modelTimeout(int boundary, long rtoBase, long rtoMax) {
        int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(rtoMax / rtoBase); // ilog2
        if (boundary <= linearBackoffThresh) return ((2L << boundary) - 1) * rtoBase;
        return ((2L << linearBackoffThresh) - 1) * rtoBase + (long) (boundary - linearBackoffThresh) * rtoMax;
    }
}
