package io.threeway.lab;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bit rates as tc(8) writes them: {@code 1gbit}, {@code 100mbit}, {@code 512kbit}, {@code 9600bit}. */
public final class Rates {
    private Rates() {}

    private static final Pattern RATE =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(bit|kbit|mbit|gbit)(?:/s|ps)?", Pattern.CASE_INSENSITIVE);

    /** Parses a rate in bits a second; IllegalArgumentException with a one-line reason. */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = RATE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a rate: write a number and a unit (bit, kbit, mbit, gbit), e.g. 100mbit");
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "bit" -> 1L;
            case "kbit" -> 1_000L;
            case "mbit" -> 1_000_000L;
            case "gbit" -> 1_000_000_000L;
            default -> throw new AssertionError(m.group(2));
        };
        long bps = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValue();
        if (bps <= 0) throw new IllegalArgumentException("'" + t + "': a rate must be positive");
        return bps;
    }

    /** A rate as tc prints it: {@code 1gbit}, {@code 100mbit}, {@code 256kbit}, {@code 9600bit}. */
    public static String format(long bitsPerSecond) {
        long[] sizes = {1_000_000_000L, 1_000_000L, 1_000L};
        String[] units = {"gbit", "mbit", "kbit"};
        for (int i = 0; i < sizes.length; i++) {
            if (bitsPerSecond >= sizes[i]) {
                return BigDecimal.valueOf(bitsPerSecond).divide(BigDecimal.valueOf(sizes[i])).stripTrailingZeros()
                        .toPlainString() + units[i];
            }
        }
        return bitsPerSecond + "bit";
    }
}
