package io.threeway.conformance.run;

import io.threeway.conformance.script.Script;

/**
 * packetdrill's timing rules (run.c's verify_time): an event may come {@code --tolerance_usecs} (4 ms) early or
 * late, or {@code --tolerance_percent} (12.5%) of the time since the previous event if that is more; with
 * {@code --tcp_ts_tick_usecs}, a TSval may stray by the tolerance measured from the script's start.
 */
final class Timing {
    /** packetdrill's default --tolerance_usecs. */
    static final long DEFAULT_TOLERANCE_US = 4_000;
    /** packetdrill's default --tolerance_percent (the worst case of Linux's timer wheel since 4.8). */
    static final double DEFAULT_TOLERANCE_PERCENT = 12.5;

    final long toleranceNs;
    final double percent;
    /** --tcp_ts_tick_usecs: 0 leaves TSvals unchecked, as packetdrill's default. */
    final long tsTickUs;
    /** --strict_segments: an expected segment must come as one packet, not as consecutive fragments. */
    final boolean strictSegments;

    Timing(Script script) {
        toleranceNs = number(script.option("tolerance_usecs", null), DEFAULT_TOLERANCE_US) * 1000;
        percent = decimal(script.option("tolerance_percent", null), DEFAULT_TOLERANCE_PERCENT);
        tsTickUs = number(script.option("tcp_ts_tick_usecs", null), 0);
        strictSegments = script.options().containsKey("strict_segments");
    }

    /** The tolerance for an event expected {@code deltaNs} after the previous one. */
    long toleranceNs(long deltaNs) {
        long dynamic = (long) (percent / 100.0 * Math.max(0, deltaNs));
        return Math.max(toleranceNs, dynamic);
    }

    private static long number(String v, long fallback) {
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double decimal(String v, double fallback) {
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
