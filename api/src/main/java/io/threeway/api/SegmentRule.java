package io.threeway.api;

import java.time.Duration;

/**
 * Decides the fate of each packet on one direction of a link: pass it (perhaps changed through the
 * {@link Segment}), drop it, or hold it back. Rules run in the order added, before the link's impairments;
 * {@link Faults} has the usual ones. A rule may keep state (a count); one instance on both directions of a
 * link shares it.
 */
@FunctionalInterface
public interface SegmentRule {
    /**
     * The fate of one packet.
     *
     * @param segment the packet (a reused view)
     * @param now     the network's time when it is sent
     * @return what to do with it
     */
    Action apply(Segment segment, Duration now);

    /** What a rule decides. */
    final class Action {
        /** Let it through. */
        public static final Action PASS = new Action(false, 0);
        /** Lose it. */
        public static final Action DROP = new Action(true, 0);

        /** Whether to drop. */
        private final boolean drop;
        /** Extra delay, ns. */
        private final long delay;

        private Action(boolean drop, long delay) {
            this.drop = drop;
            this.delay = delay;
        }

        /**
         * Hold the packet back by {@code d} beyond the link's delay; later packets may overtake it.
         *
         * @param d the extra delay
         * @return the action
         */
        public static Action delay(Duration d) {
            long n = Network.nanos(d);
            return n == 0 ? PASS : new Action(false, n);
        }

        boolean drop() {
            return drop;
        }

        long delayNanos() {
            return delay;
        }

        @Override
        public String toString() {
            return drop ? "DROP" : delay == 0 ? "PASS" : "DELAY " + Duration.ofNanos(delay);
        }
    }
}
