package io.threeway.sim;

/**
 * Counts for one direction of a {@link Link}. Every transmitted packet ends in exactly one of: delivered,
 * lost, dropped by rule, dropped by MTU, dropped by queue (or still in flight); duplicates are delivered in
 * addition, so {@code delivered = sent - lost - dropped* - inFlight + duplicated}.
 */
public final class LinkStats {
    long sent;
    long bytesSent;
    long delivered;
    long bytesDelivered;
    long lost;
    long duplicated;
    long reordered;
    long droppedByQueue;
    long droppedByMtu;
    long droppedByRule;
    long ceMarked;

    /** Packets the sender transmitted into the link. */
    public long sent() { return sent; }
    /** Bytes the sender transmitted (before any rule rewrote them). */
    public long bytesSent() { return bytesSent; }
    /** Packets handed to the receiving host, duplicates included. */
    public long delivered() { return delivered; }
    public long bytesDelivered() { return bytesDelivered; }
    /** Packets lost on the wire (random loss). */
    public long lost() { return lost; }
    /** Packets delivered twice. */
    public long duplicated() { return duplicated; }
    /** Packets held back so that later ones overtook them. */
    public long reordered() { return reordered; }
    /** Packets dropped because the sender's queue was full. */
    public long droppedByQueue() { return droppedByQueue; }
    /** Packets dropped for exceeding the MTU. */
    public long droppedByMtu() { return droppedByMtu; }
    /** Packets a {@link Rule} dropped. */
    public long droppedByRule() { return droppedByRule; }
    /** ECN-capable packets the queue marked CE ({@link LinkConfig#ceThreshold}) instead of passing them on plain. */
    public long ceMarked() { return ceMarked; }

    @Override
    public String toString() {
        return "sent " + sent + " (" + bytesSent + " B), delivered " + delivered + " (" + bytesDelivered + " B), lost "
                + lost + ", duplicated " + duplicated + ", reordered " + reordered + ", queue drops " + droppedByQueue
                + ", MTU drops " + droppedByMtu + ", rule drops " + droppedByRule;
    }

    /** Counts a packet a rule dropped (for links outside the simulator that apply rules themselves). */
    public void countDroppedByRule() {
        droppedByRule++;
    }
}
