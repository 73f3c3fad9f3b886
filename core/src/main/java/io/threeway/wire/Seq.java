package io.threeway.wire;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are ints holding unsigned
 * 32-bit values; they wrap, so they are never compared with {@code <} directly, only through these.
 */
public final class Seq {
    private Seq() {}

    /** a < b in sequence space. */
    public static boolean lt(int a, int b) {
        return (a - b) < 0;
    }

    /** a <= b in sequence space. */
    public static boolean leq(int a, int b) {
        return (a - b) <= 0;
    }

    public static boolean gt(int a, int b) {
        return (a - b) > 0;
    }

    public static boolean geq(int a, int b) {
        return (a - b) >= 0;
    }

    /** lo <= x < hi. */
    public static boolean inRange(int x, int lo, int hi) {
        return leq(lo, x) && lt(x, hi);
    }

    /** lo < x <= hi. */
    public static boolean inRangeOpenClosed(int x, int lo, int hi) {
        return lt(lo, x) && leq(x, hi);
    }

    /** b - a as a non-negative distance when a <= b (sequence space). */
    public static int diff(int b, int a) {
        return b - a;
    }

    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }

    public static String str(int s) {
        return Integer.toUnsignedString(s);
    }
}
