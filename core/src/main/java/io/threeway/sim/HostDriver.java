package io.threeway.sim;

import io.threeway.host.Host;

/**
 * Keeps exactly one pending wakeup per attached host, at the host's {@link Host#nextDeadline()}. The
 * simulator re-queries the deadline after every call into the host, and the host's wakeup listener moves
 * the wakeup earlier in between (e.g. when an application thread's send arms a retransmission timer).
 */
final class HostDriver extends Event {
    final Host host;
    private final Simulator sim;

    HostDriver(Simulator sim, Host host) {
        this.sim = sim;
        this.host = host;
        host.setWakeupListener(this::earlier);
    }

    /** The host says it now needs the clock at {@code deadline}; only ever moves the wakeup earlier. */
    private void earlier(long deadline) {
        if (deadline == Long.MAX_VALUE) return;
        long at = Math.max(deadline, sim.now());
        if (!queued() || at < time) sim.queue().add(this, at);
    }

    /** Re-reads the host's deadline and moves (or drops) the pending wakeup to match it exactly. */
    void refresh() {
        long deadline = host.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            sim.queue().remove(this);
            return;
        }
        long at = Math.max(deadline, sim.now());
        if (!queued() || at != time) sim.queue().add(this, at);
    }

    @Override
    void fire(Simulator sim) {
        host.advance(sim.now());
        refresh();
    }
}
