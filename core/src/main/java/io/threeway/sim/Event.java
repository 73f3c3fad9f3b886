package io.threeway.sim;

/**
 * Something the simulator does at a point in virtual time. Events are intrusive heap nodes: each carries
 * its own key (time and insertion sequence) and its position in the {@link EventQueue}, so that
 * recurring events (a host's wakeup, a parked thread's deadline, a pooled packet delivery) are reused
 * instead of allocated, and can be moved or removed in O(log n).
 */
abstract class Event {
    /** Virtual time (ns) at which the event fires; valid while queued. */
    long time;
    /** Insertion sequence: breaks ties between events at the same time, first scheduled first. */
    long seq;
    /** Index in the queue's heap array, or -1 when not queued. */
    int index = -1;

    /** True while the event sits in the queue. */
    final boolean queued() {
        return index >= 0;
    }

    /** Runs the event; the simulator's clock already reads {@link #time}. */
    abstract void fire(Simulator sim);
}
