package io.threeway.sim;

/** What became of one packet a host put on a link direction (see {@link FateObserver}). */
public enum PacketFate {
    /** It reaches the far end (at the arrival time given with it). */
    DELIVERED("delivered"),
    /** Random loss on the wire ({@link LinkConfig#loss()}). */
    LOST("lost on the link (random loss)"),
    /** A {@link Rule} dropped it. */
    RULE("dropped by a rule"),
    /** The sender's drop-tail queue was full ({@link LinkConfig#queueLimit()}). */
    QUEUE("dropped: the link's queue was full"),
    /** Longer than the link's MTU. */
    MTU("dropped: larger than the link's MTU");

    /** What happened, in words, for reports. */
    private final String words;

    PacketFate(String words) { this.words = words; }

    /** What happened, in words, e.g. {@code lost on the link (random loss)}. */
    public String words() { return words; }

    /** Whether the packet never arrives. */
    public boolean dropped() { return this != DELIVERED; }
}
