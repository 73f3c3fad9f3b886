package io.threeway.trace;

/**
 * How a trace line starts: the capture time rendered the way one of tcpdump's {@code -t} options does.
 * Times are nanoseconds since time 0 (virtual time) or since the epoch; tcpdump shows microseconds.
 */
public enum TimestampFormat {
    /** tcpdump's default, the time of day: {@code 00:00:00.100000} (time 0 is midnight; wraps at 24 h). */
    TIME_OF_DAY,
    /** {@code tcpdump -tt}: seconds and microseconds, {@code 0.100000}. */
    SECONDS,
    /** {@code tcpdump -t}: no timestamp. */
    NONE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Appends the timestamp and the space after it (nothing for {@link #NONE}). */
    public void append(StringBuilder b, long timeNanos) {
        if (this == NONE) return;
        long t = Math.max(0, timeNanos);
        long seconds = t / NANOS_PER_SECOND;
        int micros = (int) (t % NANOS_PER_SECOND / 1000);
        if (this == TIME_OF_DAY) {
            long s = seconds % 86_400;
            pad2(b, (int) (s / 3600)).append(':');
            pad2(b, (int) (s / 60 % 60)).append(':');
            pad2(b, (int) (s % 60));
        } else {
            b.append(seconds);
        }
        b.append('.');
        String m = Integer.toString(micros);
        for (int i = m.length(); i < 6; i++) b.append('0');
        b.append(m).append(' ');
    }

    private static StringBuilder pad2(StringBuilder b, int v) {
        if (v < 10) b.append('0');
        return b.append(v);
    }
}
