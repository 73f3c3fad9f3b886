package io.threeway.sim;

/**
 * An action scheduled on the simulator's clock ({@link Simulator#alarm}) that can be cancelled before it fires:
 * what a virtual-time {@code ScheduledExecutorService} or a timed fault is made of.
 */
public final class Alarm extends Event {
    /** What to run when the alarm fires. */
    private final Runnable action;
    /** The simulator it is queued on. */
    private final Simulator sim;

    Alarm(Simulator sim, Runnable action) {
        this.sim = sim;
        this.action = action;
    }

    /** Takes the alarm off the clock; it will not fire. Harmless if it already fired or was cancelled. */
    public void cancel() {
        sim.queue().remove(this);
    }

    /** The virtual time (ns) it fires at. */
    public long time() {
        return time;
    }

    @Override
    void fire(Simulator s) {
        action.run();
        s.refreshHosts();
    }
}
