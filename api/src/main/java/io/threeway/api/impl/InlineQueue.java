package io.threeway.api.impl;

/**
 * The packets a real-time network delivers at once (over links that delay them by nothing), in the order sent:
 * a ring of arrays, lengths and destinations, growing by doubling, so queueing a packet allocates nothing once
 * it has grown to the burst it carries. Guarded by the runtime's lock of the {@link RealTimeEngine}.
 */
final class InlineQueue {
    /** Where a queued packet goes. */
    interface Destination {
        /** Hands over {@code packet}'s first {@code length} bytes at time {@code now}. */
        void deliver(byte[] packet, int length, long now);
    }

    /** The first capacity (a power of two). */
    private static final int INITIAL = 64;

    /** The packets. */
    private byte[][] packets = new byte[INITIAL][];
    /** Their lengths. */
    private int[] lengths = new int[INITIAL];
    /** Their destinations. */
    private Destination[] to = new Destination[INITIAL];
    /** Index (unwrapped) of the first packet. */
    private int head;
    /** Index (unwrapped) past the last packet. */
    private int tail;

    boolean isEmpty() {
        return head == tail;
    }

    /** Queues {@code packet} (kept, not copied) for {@code destination}. */
    void add(Destination destination, byte[] packet, int length) {
        if (tail - head == packets.length) grow();
        int i = tail++ & (packets.length - 1);
        packets[i] = packet;
        lengths[i] = length;
        to[i] = destination;
    }

    /** Delivers the first packet at {@code now}; what that delivery sends is queued behind the rest. */
    void deliverFirst(long now) {
        int i = head++ & (packets.length - 1);
        byte[] p = packets[i];
        Destination d = to[i];
        packets[i] = null;
        to[i] = null;
        d.deliver(p, lengths[i], now);
    }

    private void grow() {
        int n = packets.length;
        byte[][] p = new byte[n * 2][];
        int[] l = new int[n * 2];
        Destination[] d = new Destination[n * 2];
        for (int k = 0; k < n; k++) {
            int i = (head + k) & (n - 1);
            p[k] = packets[i];
            l[k] = lengths[i];
            d[k] = to[i];
        }
        packets = p;
        lengths = l;
        to = d;
        head = 0;
        tail = n;
    }
}
