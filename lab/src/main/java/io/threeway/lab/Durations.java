package io.threeway.lab;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users type them: {@code 100ms}, {@code 1.5s}, {@code 250us}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private Durations() {}

    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|min|h)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(?:\\.\\d*)?|\\.\\d+)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final String DURATION_EXAMPLES = "write a number and a unit (ns, us, ms, s, m, h), e.g. 100ms, 1.5s or 250us";

    /**
     * Parses a duration: a non-negative decimal number followed by a unit: {@code ns}, {@code us} (or
     * {@code µs}), {@code ms}, {@code s}, {@code m} (or {@code min}), {@code h}. Rounds to the nanosecond.
     * Throws IllegalArgumentException with a one-line reason.
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            if (t.startsWith("-")) throw new IllegalArgumentException("'" + t + "': a duration must not be negative");
            if (NUMBER.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + t + "' has no unit: " + DURATION_EXAMPLES);
            }
            throw new IllegalArgumentException("'" + t + "' is not a duration: " + DURATION_EXAMPLES);
        }
        long unitNanos = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new AssertionError(m.group(2));
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(MAX_NANOS) > 0) throw new IllegalArgumentException("'" + t + "' is too long a duration");
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** A duration the way users type it: {@code 100ms}, {@code 1.5s}, {@code 250us}, {@code 0s}. */
    public static String format(long nanos) {
        if (nanos == 0) return "0s";
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        for (int i = 0; i < units.length; i++) {
            if (Math.abs(nanos) >= sizes[i] || i == units.length - 1) {
                BigDecimal v = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(sizes[i]));
                return v.stripTrailingZeros().toPlainString() + units[i];
            }
        }
        throw new AssertionError();
    }

    /** {@link #format(long)} of a Duration. */
    public static String format(Duration d) {
        return format(d.toNanos());
    }
}
