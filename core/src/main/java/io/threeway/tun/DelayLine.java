package io.threeway.tun;

import java.util.PriorityQueue;

/**
 * Packets held back by an impairment until their arrival time on the real clock, ordered by that time and,
 * for equal times, by the order they were added (so a duplicate follows its original, and FIFO holds when
 * the impairment keeps order). Not thread-safe: the event loop's owner lock guards it.
 */
final class DelayLine {

    /** One held packet and where it goes when due. */
    record Held(long due, long order, byte[] packet, int length, boolean toStack) {}

    private final PriorityQueue<Held> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private long added;

    void add(long due, byte[] packet, int length, boolean toStack) {
        queue.add(new Held(due, added++, packet, length, toStack));
    }

    /** The earliest due time, or {@code Long.MAX_VALUE} when empty. */
    long nextDue() {
        Held h = queue.peek();
        return h == null ? Long.MAX_VALUE : h.due;
    }

    /** Removes and returns the earliest packet due at or before {@code now}, or null. */
    Held pollDue(long now) {
        Held h = queue.peek();
        if (h == null || h.due > now) return null;
        return queue.poll();
    }

    int size() { return queue.size(); }
}
