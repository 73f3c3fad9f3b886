package io.threeway.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: a binary min-heap of {@link Event}s keyed by (time, insertion sequence), so
 * events at equal times fire in the order they were scheduled and every run is reproducible. Events
 * record their own heap index, which makes removal and re-keying O(log n) without searching.
 */
final class EventQueue {
    private Event[] heap = new Event[64];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest event, or null. */
    Event peek() {
        return size == 0 ? null : heap[0];
    }

    /** Queues {@code e} at {@code time}; if already queued, moves it (it then counts as scheduled last). */
    void add(Event e, long time) {
        if (e.index >= 0) {
            remove(e);
        }
        e.time = time;
        e.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
    }

    /** Removes and returns the earliest event, or null. */
    Event poll() {
        if (size == 0) return null;
        Event top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code e} if queued. */
    void remove(Event e) {
        if (e.index >= 0) removeAt(e.index);
    }

    private void removeAt(int i) {
        Event gone = heap[i];
        gone.index = -1;
        int last = --size;
        if (i == last) {
            heap[last] = null;
            return;
        }
        Event moved = heap[last];
        heap[last] = null;
        heap[i] = moved;
        moved.index = i;
        siftDown(i);
        if (moved.index == i) siftUp(i);
    }

    private static boolean before(Event a, Event b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Event e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) break;
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Event e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Event c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, e)) break;
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
