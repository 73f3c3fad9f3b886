package io.threeway.lab;

/** Where a long run reports how far it has got (the command line draws a bar on a terminal). */
@FunctionalInterface
public interface Progress {
    /** Says nothing. */
    Progress NONE = (label, fraction) -> { };

    /** {@code fraction} of the work named {@code label} is done, from 0 to 1. */
    void update(String label, double fraction);
}
