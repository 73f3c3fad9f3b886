package io.threeway.conformance.script;

/**
 * When an event happens, as a script says it (microseconds). packetdrill's forms:
 * {@code 1.0} absolute, {@code +0.1} relative to the previous event, {@code *} any time,
 * {@code 1.0~1.5} any time in a range, and {@code 1.0...6.0} (or {@code +0...5}) a system call that starts
 * at the first time and is expected to return at the second.
 */
public record EventTime(Kind kind, long startUs, long endUs) {

    /** How the time is given. */
    public enum Kind {
        /** {@code 1.5}: seconds since the script began. */
        ABSOLUTE,
        /** {@code +0.1}: after the previous event. */
        RELATIVE,
        /** {@code *}: whenever it happens. */
        ANY,
        /** {@code 1.0~1.5} or {@code +0.1~+0.3}: any time in the range (absolute or relative start). */
        RANGE_ABSOLUTE,
        RANGE_RELATIVE,
        /** {@code 1.0...6.0}: a blocking call from start to end (absolute). */
        BLOCKING_ABSOLUTE,
        /** {@code +0.0...5.0}: a blocking call, both ends after the previous event. */
        BLOCKING_RELATIVE
    }

    public boolean relative() {
        return kind == Kind.RELATIVE || kind == Kind.RANGE_RELATIVE || kind == Kind.BLOCKING_RELATIVE;
    }

    public boolean blocking() {
        return kind == Kind.BLOCKING_ABSOLUTE || kind == Kind.BLOCKING_RELATIVE;
    }

    public boolean range() {
        return kind == Kind.RANGE_ABSOLUTE || kind == Kind.RANGE_RELATIVE;
    }
}
