package io.threeway.lab;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The type of a lab option's value: how it is parsed and checked (with the one-line message both the command
 * line and the web lab show), and what kind of form field renders it. Values are always written as text, the
 * way a user types them on the command line ({@code 100ms}, {@code 10%}, {@code 100mbit}).
 *
 * @param kind    what the value is, for rendering (a duration field, a number field, a check box...)
 * @param min     the smallest value allowed, in the kind's own unit (ns, a count, bits a second, bytes), or null
 * @param max     the largest value allowed, or null
 * @param choices the allowed words of a {@link Kind#CHOICE}, else empty
 */
public record ValueType(Kind kind, Long min, Long max, List<String> choices) {

    /** What a value is. */
    public enum Kind {
        /** A time with a unit: {@code 100ms}, {@code 1.5s}; parsed to a {@link java.time.Duration}. */
        DURATION,
        /** A probability: a fraction from 0 to 1 or a percentage ({@code 0.1}, {@code 10%}); parsed to a Double. */
        FRACTION,
        /** A bit rate as tc writes it ({@code 100mbit}), or {@code unlimited} (0); parsed to a Long (bits a second). */
        BITRATE,
        /** A whole number ({@code 1000}, {@code 10_000}); parsed to a Long. */
        INTEGER,
        /** An on/off switch ({@code true}/{@code false}, {@code 1}/{@code 0}, {@code yes}/{@code no}); a Boolean. */
        FLAG,
        /** A file to write or read; parsed to a {@link Path}. */
        FILE,
        /** A setting as {@code name=value} ({@code net.ipv4.tcp_syncookies=0}); checked as sysctl checks it. */
        SETTING,
        /** One word of {@link ValueType#choices()}; parsed to the String. */
        CHOICE,
        /** Free text with its own syntax checked by the scenario (e.g. a rate limit {@code 10/s}); a String. */
        TEXT
    }

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d[\\d_]*");

    public ValueType {
        choices = List.copyOf(choices);
    }

    /** A duration of at least zero. */
    public static ValueType duration() { return new ValueType(Kind.DURATION, 0L, null, List.of()); }

    /** A duration from {@code minNanos} to {@code maxNanos} (null: no limit). */
    public static ValueType duration(long minNanos, Long maxNanos) {
        return new ValueType(Kind.DURATION, minNanos, maxNanos, List.of());
    }

    /** A probability, 0 to 1. */
    public static ValueType fraction() { return new ValueType(Kind.FRACTION, null, null, List.of()); }

    /** A bit rate, or {@code unlimited} when {@code unlimitedAllowed}. */
    public static ValueType bitrate(boolean unlimitedAllowed) {
        return new ValueType(Kind.BITRATE, unlimitedAllowed ? 0L : 1L, null, List.of());
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ValueType integer(long min, long max) { return new ValueType(Kind.INTEGER, min, max, List.of()); }

    public static ValueType flag() { return new ValueType(Kind.FLAG, null, null, List.of()); }

    public static ValueType file() { return new ValueType(Kind.FILE, null, null, List.of()); }

    public static ValueType setting() { return new ValueType(Kind.SETTING, null, null, List.of()); }

    public static ValueType choice(String... words) { return new ValueType(Kind.CHOICE, null, null, List.of(words)); }

    public static ValueType text() { return new ValueType(Kind.TEXT, null, null, List.of()); }

    /**
     * Parses and checks {@code text}; throws IllegalArgumentException with a one-line reason that does not name
     * the option (the caller does: {@code --rtt: ...} on the command line, beside the field on the web).
     */
    public Object parse(String text) {
        String t = text == null ? "" : text.strip();
        return switch (kind) {
            case DURATION -> inRange(Durations.parse(t).toNanos(), t, Durations.parse(t));
            case FRACTION -> Fractions.parse(t);
            case BITRATE -> t.equalsIgnoreCase("unlimited") || t.equals("0") ? unlimited(t) : inRange(Rates.parse(t), t, Rates.parse(t));
            case INTEGER -> inRange(integer(t), t, integer(t));
            case FLAG -> flag(t);
            case FILE -> path(t);
            case SETTING -> SettingsFile.checkAssignment(t);
            case CHOICE -> choice(t);
            case TEXT -> t;
        };
    }

    private Object unlimited(String t) {
        if (min != null && min > 0) throw new IllegalArgumentException("'" + t + "': a rate must be positive here");
        return 0L;
    }

    private <T> T inRange(long v, String t, T value) {
        if (min != null && v < min) throw new IllegalArgumentException("'" + t + "' is too small: " + bound("at least", min));
        if (max != null && v > max) throw new IllegalArgumentException("'" + t + "' is too large: " + bound("at most", max));
        return value;
    }

    /** {@code at least 1}, {@code at most 10s}, in the kind's notation. */
    private String bound(String words, long v) {
        return words + " " + show(v);
    }

    /** A bound as a user would type it. */
    public String show(long v) {
        return switch (kind) {
            case DURATION -> Durations.format(v);
            case BITRATE -> v + "bit";
            default -> Long.toString(v);
        };
    }

    private static long integer(String t) {
        if (!INTEGER.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a whole number");
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is too large a number");
        }
    }

    private static Boolean flag(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + t + "' is not on or off: write true or false");
        };
    }

    private static Path path(String t) {
        if (t.isEmpty()) throw new IllegalArgumentException("no file name given");
        try {
            return Path.of(t);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + t + "' is not a file name: " + e.getReason());
        }
    }

    private String choice(String t) {
        for (String c : choices) if (c.equalsIgnoreCase(t)) return c;
        throw new IllegalArgumentException("'" + t + "' is not one of " + String.join(", ", choices));
    }

    /** How the value is written, for help texts: {@code DURATION}, {@code RATE}, {@code N}... */
    public String label() {
        return switch (kind) {
            case DURATION -> "DURATION";
            case FRACTION -> "RATE";
            case BITRATE -> "BITRATE";
            case INTEGER -> "N";
            case FLAG -> "BOOL";
            case FILE -> "FILE";
            case SETTING -> "NAME=VALUE";
            case CHOICE -> String.join("|", choices);
            case TEXT -> "TEXT";
        };
    }
}
