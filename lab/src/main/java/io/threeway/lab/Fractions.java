package io.threeway.lab;

import java.util.regex.Pattern;

/** Probabilities as users type them: a fraction from 0 to 1 ({@code 0.1}) or a percentage ({@code 10%}). */
public final class Fractions {
    private Fractions() {}

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(?:\\.\\d*)?|\\.\\d+)");

    /** Parses a probability; IllegalArgumentException with a one-line reason. */
    public static double parse(String text) {
        String t = text == null ? "" : text.trim();
        boolean percent = t.endsWith("%");
        String number = percent ? t.substring(0, t.length() - 1).trim() : t;
        if (!NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a probability: write a fraction from 0 to 1, e.g. 0.1, "
                    + "or a percentage, e.g. 10%");
        }
        double v = Double.parseDouble(number) / (percent ? 100 : 1);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("'" + t + "' is out of range: a probability is from 0 to 1 (0% to 100%)");
        }
        return v;
    }
}
