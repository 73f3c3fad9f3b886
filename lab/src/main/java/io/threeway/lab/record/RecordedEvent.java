package io.threeway.lab.record;

/**
 * One step of a recording's timeline, in the order it happened: a packet sent (and, if dropped, its drop), a
 * packet arriving, or a transition.
 *
 * @param time  virtual ns
 * @param kind  what happened
 * @param index the packet's index ({@link Recording#packets()}) or the transition's
 *              ({@link Recording#transitions()})
 */
public record RecordedEvent(long time, Kind kind, int index) {

    /** The kinds of event. */
    public enum Kind {
        /** A host put a packet on a link. */
        SEND,
        /** A packet reached its host. */
        ARRIVE,
        /** A connection changed state. */
        TRANSITION
    }
}
