package io.threeway.sim;

/**
 * What a {@link Rule} decides for one packet: let it pass, drop it, or hold it back. Alteration needs no
 * verdict of its own: a rule rewrites the packet in place through {@link Packet} and passes it.
 */
public final class Verdict {
    /** Leave the packet alone. */
    public static final Verdict PASS = new Verdict(false, 0);
    /** Drop the packet (counted as {@link LinkStats#droppedByRule()}). */
    public static final Verdict DROP = new Verdict(true, 0);

    private final boolean drop;
    private final long extraDelay;

    private Verdict(boolean drop, long extraDelay) {
        this.drop = drop;
        this.extraDelay = extraDelay;
    }

    /** Hold the packet back by {@code nanos} beyond the link's delay; later packets may overtake it. */
    public static Verdict delay(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("negative delay");
        return nanos == 0 ? PASS : new Verdict(false, nanos);
    }

    public boolean drop() {
        return drop;
    }

    /** Extra nanoseconds of delay (0 unless made by {@link #delay}). */
    public long extraDelay() {
        return extraDelay;
    }

    @Override
    public String toString() {
        return drop ? "DROP" : extraDelay == 0 ? "PASS" : "DELAY(" + extraDelay + "ns)";
    }
}
