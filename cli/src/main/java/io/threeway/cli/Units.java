package io.threeway.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of the values users type: durations ({@code 100ms}, {@code 1.5s}, {@code 250us}) and loss rates. */
public final class Units {
    private Units() {}

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(?:\\.\\d*)?|\\.\\d+)");

    /** Parses a duration ({@link io.threeway.lab.Durations#parse}); IllegalArgumentException with a one-line reason. */
    public static Duration parseDuration(String text) {
        return io.threeway.lab.Durations.parse(text);
    }

    /** A duration the way users type it: {@code 100ms}, {@code 1.5s}, {@code 250us}, {@code 0s}. */
    public static String formatDuration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) return "0s";
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        for (int i = 0; i < units.length; i++) {
            if (Math.abs(ns) >= sizes[i] || i == units.length - 1) {
                BigDecimal v = BigDecimal.valueOf(ns).divide(BigDecimal.valueOf(sizes[i]));
                return v.stripTrailingZeros().toPlainString() + units[i];
            }
        }
        throw new AssertionError();
    }

    /**
     * Parses a loss rate: a fraction from 0 to 1 ({@code 0.1}) or a percentage ({@code 10%}).
     * Throws IllegalArgumentException with a one-line reason.
     */
    public static double parseLoss(String text) {
        String t = text == null ? "" : text.trim();
        boolean percent = t.endsWith("%");
        String number = percent ? t.substring(0, t.length() - 1).trim() : t;
        if (!NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a loss rate: write a fraction from 0 to 1, e.g. 0.1, or a percentage, e.g. 10%");
        }
        double v = Double.parseDouble(number) / (percent ? 100 : 1);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("'" + t + "' is out of range: a loss rate is from 0 to 1 (0% to 100%)");
        }
        return v;
    }

    /** Picocli converter for {@link #parseDuration}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli converter for {@link #parseLoss}. */
    public static final class LossConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return parseLoss(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
