package io.threeway.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import io.threeway.lab.Durations;
import io.threeway.lab.Fractions;

/** Parsing of the values users type: durations ({@code 100ms}, {@code 1.5s}, {@code 250us}) and loss rates. */
public final class Units {
    private Units() {}

    /** Parses a duration ({@link io.threeway.lab.Durations#parse}); IllegalArgumentException with a one-line reason. */
    public static Duration parseDuration(String text) {
        return Durations.parse(text);
    }

    /** A duration the way users type it: {@code 100ms}, {@code 1.5s}, {@code 250us}, {@code 0s}. */
    public static String formatDuration(Duration d) {
        return Durations.format(d);
    }

    /**
     * Parses a loss rate: a fraction from 0 to 1 ({@code 0.1}) or a percentage ({@code 10%}).
     * Throws IllegalArgumentException with a one-line reason.
     */
    public static double parseLoss(String text) {
        return Fractions.parse(text);
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
