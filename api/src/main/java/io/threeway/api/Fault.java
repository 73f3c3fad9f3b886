package io.threeway.api;

/**
 * A fault in force on a link ({@link Link#add}, {@link Link#partition}...), until {@link #remove()}d: faults
 * come and go while the run goes on.
 */
public final class Fault {
    /** What removing it does. */
    private final Runnable removal;
    /** What it is, for messages. */
    private final String description;
    /** Whether it was removed. */
    private boolean removed;

    Fault(String description, Runnable removal) {
        this.description = description;
        this.removal = removal;
    }

    /** Ends the fault (the link heals); harmless if already removed. */
    public synchronized void remove() {
        if (removed) return;
        removed = true;
        removal.run();
    }

    /** {@return whether the fault is still in force} */
    public synchronized boolean isActive() {
        return !removed;
    }

    @Override
    public String toString() {
        return "Fault[" + description + (removed ? ", removed" : "") + "]";
    }
}
