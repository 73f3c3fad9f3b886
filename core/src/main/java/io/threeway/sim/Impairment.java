package io.threeway.sim;

import java.util.SplittableRandom;
import java.util.Objects;

/**
 * The fate of each packet on one direction of a link configured by a {@link LinkConfig}: the MTU check, the
 * sender's drop-tail queue and serialization at the configured bandwidth, random loss, delay with jitter,
 * reordering and duplication. It computes times and keeps the counts; it does not hold or deliver packets,
 * so the same model serves the simulator's {@link LinkDirection} (virtual clock, event queue) and the TUN
 * link (real clock, a delay line), and a packet meets the same impairments on both.
 *
 * <p>Random draws are made in a fixed order per packet (loss, jitter, reorder, duplicate), each only when
 * its impairment is configured, so a seed gives the same fates.
 */
public final class Impairment {
    /** What {@link #arrival} returns for a packet that never arrives. */
    public static final long DROPPED = Long.MIN_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private LinkConfig config;
    private final SplittableRandom random;
    private final LinkStats stats;

    /** When the transmitter finishes serializing everything queued so far. */
    private long busyUntil;
    /** Nanoseconds of serialization taken on so far: each packet's time on the wire at the bandwidth it met. */
    private long busyTaken;
    /** Bit-nanoseconds left over from the last serialization time's integer division. */
    private long serializationRemainder;
    /** Latest in-order arrival time, for keeping FIFO order under jitter. */
    private long lastArrival;
    private boolean duplicated;
    /** The last packet {@link #arrival} let through found at least {@link LinkConfig#ceThreshold} packets queued. */
    private boolean congested;
    /** Why the last packet {@link #arrival} refused was dropped. */
    private PacketFate lastDrop = PacketFate.DELIVERED;
    /**
     * When each packet in the sender's queue finishes serializing, oldest first, as a ring: kept only with a
     * limit in packets ({@link LinkConfig#queuePackets}), so it never holds more than that many.
     */
    private long[] departures;
    private int departuresHead;
    private int departuresSize;

    public Impairment(LinkConfig config, SplittableRandom random, LinkStats stats) {
        this.config = config;
        this.random = random;
        this.stats = stats;
        this.departures = departureRing(config);
    }

    /** A ring of departure times, kept when the queue is counted in packets (a packet limit, or CE marking). */
    private static long[] departureRing(LinkConfig c) {
        if (c.bandwidth() <= 0) return null;
        if (c.queuePackets() > 0) return new long[c.queuePackets()];
        return c.ceThreshold() > 0 ? new long[Math.max(16, c.ceThreshold() * 2)] : null;
    }

    public LinkConfig config() { return config; }

    /** Doubles the ring of departures, oldest first (only without a packet limit: the bytes limit bounds it). */
    private void growDepartures() {
        long[] bigger = new long[departures.length * 2];
        for (int i = 0; i < departuresSize; i++) bigger[i] = departures[(departuresHead + i) % departures.length];
        departures = bigger;
        departuresHead = 0;
    }

    /**
     * After {@link #arrival} let a packet through: whether it found at least {@link LinkConfig#ceThreshold} packets
     * queued ahead of it, so an ECN-capable packet is to be marked CE ({@link #countCeMarked}).
     */
    public boolean congested() { return congested; }

    /** Counts a packet marked CE. */
    public void countCeMarked() { stats.ceMarked++; }

    /**
     * Changes the impairments from the next packet on, during a run: packets already in flight keep their
     * fates, the transmitter's queue keeps what it holds (serialized from now on at the new bandwidth), and FIFO
     * order is still kept against packets already sent.
     */
    public void reconfigure(LinkConfig config) {
        LinkConfig before = this.config;
        this.config = Objects.requireNonNull(config);
        if (config.queuePackets() != before.queuePackets() || (config.bandwidth() > 0) != (before.bandwidth() > 0)
                || (config.ceThreshold() > 0) != (before.ceThreshold() > 0)) {
            // a new packet limit starts with an empty record of departures (what is queued stays in busyUntil)
            departures = departureRing(config);
            departuresHead = 0;
            departuresSize = 0;
        }
    }

    public LinkStats stats() { return stats; }

    /**
     * The time a packet of {@code length} bytes, sent at {@code t} and held back {@code extraDelay} more by
     * rules, reaches the far end; or {@link #DROPPED} (too big for the MTU, queue full, lost), counted in the
     * statistics. After a packet that arrives, {@link #duplicated()} says whether it arrives twice.
     */
    public long arrival(int length, long t, long extraDelay) {
        return arrival(length, length, t, extraDelay);
    }

    /**
     * {@link #arrival(int, long, long)} for a packet whose largest segment on the wire is {@code wireLength} bytes
     * (a super-segment's, checked against the MTU as Linux's skb_gso_validate_network_len; otherwise its length).
     */
    public long arrival(int length, int wireLength, long t, long extraDelay) {
        duplicated = false;
        congested = false;
        if (wireLength > config.mtu()) {
            stats.droppedByMtu++;
            lastDrop = PacketFate.MTU;
            return DROPPED;
        }
        long departure = t;
        if (config.bandwidth() > 0) {
            departure = serialize(length, t);
            if (departure == DROPPED) return DROPPED;
        }

        if (config.loss() > 0 && random.nextDouble() < config.loss()) {
            stats.lost++;
            lastDrop = PacketFate.LOST;
            return DROPPED;
        }

        long arrival = departure + config.delay();
        if (config.jitter() > 0) arrival += random.nextLong(-config.jitter(), config.jitter() + 1);
        boolean reordered = config.reorder() > 0 && random.nextDouble() < config.reorder();
        duplicated = config.duplicate() > 0 && random.nextDouble() < config.duplicate();
        if (config.keepOrder()) {
            if (arrival < lastArrival) arrival = lastArrival;
            if (!reordered && extraDelay == 0) lastArrival = arrival;
        }
        if (reordered) {
            arrival += config.reorderDelay();
            stats.reordered++;
        }
        if (duplicated) stats.duplicated++;
        return arrival + extraDelay;
    }

    /** Queues a packet for serialization at the configured bandwidth: its departure time, or DROPPED (queue full). */
    private long serialize(int length, long t) {
        if (departures != null) {
            while (departuresSize > 0 && departures[departuresHead] <= t) {
                departuresHead = (departuresHead + 1) % departures.length;
                departuresSize--;
            }
        }
        // CE marking counts the packets queued ahead (LinkConfig.ceThreshold); without a packet limit the ring grows
        congested = config.ceThreshold() > 0 && departures != null && departuresSize >= config.ceThreshold();
        if (departures != null && departuresSize == departures.length && config.queuePackets() == 0) growDepartures();
        if (busyUntil > t) {
            double backlogBytes = (double) (busyUntil - t) * config.bandwidth() / (8.0 * NANOS_PER_SECOND);
            if (backlogBytes + length > config.queueLimit()
                    || departures != null && departuresSize == departures.length && config.queuePackets() > 0) {
                stats.droppedByQueue++;
                lastDrop = PacketFate.QUEUE;
                return DROPPED;
            }
        } else {
            busyUntil = t;
            serializationRemainder = 0;
        }
        long bitNanos = (long) length * 8 * NANOS_PER_SECOND + serializationRemainder;
        busyTaken += bitNanos / config.bandwidth();
        busyUntil += bitNanos / config.bandwidth();
        serializationRemainder = bitNanos % config.bandwidth();
        if (departures != null) {
            departures[(departuresHead + departuresSize) % departures.length] = busyUntil;
            departuresSize++;
        }
        return busyUntil;
    }

    /**
     * How long the transmitter has spent serializing packets up to {@code now} (at or after the last packet it
     * took): its busy time, 0 without a bandwidth limit. Sampled at two moments, its growth over the time between
     * them is the link's utilisation, which can never pass 100%: the queue's backlog is not yet counted, a
     * packet lost after the bottleneck is, and a duplicate, made after it, is not.
     */
    public long busyNanos(long now) {
        return busyTaken - Math.max(0, busyUntil - now);
    }

    /** Counts a packet entering the link (before rules or impairments). */
    public void countSent(int length) {
        stats.sent++;
        stats.bytesSent += length;
    }

    /** Counts a packet handed to the far end (each copy of a duplicate). */
    public void countDelivered(int length) {
        stats.delivered++;
        stats.bytesDelivered += length;
    }

    /** Why the last packet for which {@link #arrival} returned {@link #DROPPED} was dropped. */
    public PacketFate lastDrop() {
        return lastDrop;
    }

    /** Whether the last packet {@link #arrival} let through is to be delivered a second time, right after. */
    public boolean duplicated() {
        return duplicated;
    }

    /** Whether every packet goes straight through: no delay, loss, queue or other impairment. */
    public boolean isTransparent() {
        return config.delay() == 0 && config.loss() == 0 && config.duplicate() == 0 && config.reorder() == 0
                && config.bandwidth() == 0;
    }

    /**
     * The length of the largest segment a TCP super-segment of {@code length} bytes stands for, each carrying
     * {@code gsoSize} bytes of its payload (its IP and TCP headers repeated); {@code length} when it is no
     * super-segment or cannot be read as one.
     */
    public static int segmentLength(byte[] p, int length, int gsoSize) {
        if (gsoSize <= 0 || length < 20) return length;
        int version = (p[0] & 0xff) >>> 4;
        int ipHeader = version == 4 ? (p[0] & 0x0f) * 4 : version == 6 ? 40 : -1;
        if (ipHeader < 0 || length < ipHeader + 20) return length;
        int headers = ipHeader + ((p[ipHeader + 12] & 0xff) >>> 4) * 4;
        return length - headers > gsoSize ? headers + gsoSize : length;
    }
}
