package io.threeway.conformance.run;

import java.util.List;
import java.util.Locale;

/**
 * How one script went: passed, failed (with the first mismatch: the line that expected something, what the
 * stack did instead, and when), or skipped (with why). {@code notes} lists what the runner did not do for
 * the script: backtick lines it did not run, sysctls without an equivalent, code blocks.
 */
public record ScriptResult(String script, Status status, String profile, String reason, String expected,
                           String actual, long timeUs, List<String> notes) {

    /** pass, fail or skip. */
    public enum Status { PASS, FAIL, SKIP }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** The failure or skip in a line or three, for people. */
    public String describe() {
        StringBuilder b = new StringBuilder(reason == null ? "" : reason);
        if (expected != null) b.append("\n    expected: ").append(expected);
        if (actual != null) b.append("\n    actual:   ").append(actual);
        if (status == Status.FAIL && timeUs >= 0) b.append("\n    at:       ").append(seconds(timeUs)).append(" s");
        return b.toString();
    }

    /** Microseconds as seconds with six decimals. */
    public static String seconds(long us) {
        return String.format(Locale.ROOT, "%d.%06d", us / 1_000_000, Math.abs(us % 1_000_000));
    }
}
