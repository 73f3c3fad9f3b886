package io.threeway.lab;

import io.threeway.sim.LinkConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The simulated path between a scenario's hosts as the user sets it: both directions alike, each with half the
 * round-trip time, as netem and tc would shape a Linux link.
 *
 * @param rtt       round-trip time: each direction delays a packet by half of it
 * @param loss      probability, 0 to 1, that a direction drops a packet (each packet, independently)
 * @param jitter    each direction's delay varies uniformly by up to this much either way (netem's delay jitter);
 *                  packets keep their order unless {@code reorder} picks them; at most rtt/2
 * @param reorder   probability that a packet is held back {@link #REORDER_HOLD} and overtaken by later ones
 * @param duplicate probability that a packet arrives twice
 * @param bandwidth bits a second each direction serializes; 0 for unlimited (no serialization delay, no queue)
 * @param queue     the sender's drop-tail queue in packets (Linux's txqueuelen; 1000 by default), with a bandwidth
 *                  limit only: packets that find it full are dropped and counted
 * @param mtu       the largest IP packet the path carries; both hosts' interfaces take it, so it sets the MSS
 */
public record LinkOptions(Duration rtt, double loss, Duration jitter, double reorder, double duplicate, long bandwidth,
                          int queue, int mtu) {

    /** How long a reordered packet is held back (netem's reorder sends the others first; this is the gap). */
    public static final Duration REORDER_HOLD = Duration.ofMillis(10);
    /** A Linux Ethernet device's txqueuelen. */
    public static final int DEFAULT_QUEUE = 1000;
    public static final int DEFAULT_MTU = 1500;
    /** 100 ms RTT, no impairment, unlimited bandwidth, a 1000-packet queue, MTU 1500. */
    public static final LinkOptions DEFAULT =
            new LinkOptions(Duration.ofMillis(100), 0, Duration.ZERO, 0, 0, 0, DEFAULT_QUEUE, DEFAULT_MTU);

    public LinkOptions {
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(jitter, "jitter");
        if (rtt.isNegative()) throw new OptionException("rtt", "must not be negative: " + rtt);
        probability("loss", loss);
        probability("reorder", reorder);
        probability("duplicate", duplicate);
        if (jitter.isNegative()) throw new OptionException("jitter", "must not be negative");
        if (jitter.toNanos() > rtt.toNanos() / 2) {
            throw new OptionException("jitter", Durations.format(jitter) + " is more than the one-way delay "
                    + Durations.format(rtt.toNanos() / 2) + " (half of --rtt " + Durations.format(rtt) + ")");
        }
        if (bandwidth < 0) throw new OptionException("bandwidth", "must not be negative");
        if (queue < 1) throw new OptionException("queue", "must be at least one packet");
        if (mtu < 68) throw new OptionException("mtu", mtu + " is under IPv4's minimum of 68 bytes");
    }

    private static void probability(String field, double p) {
        if (!(p >= 0 && p <= 1)) throw new OptionException(field, "must be between 0 and 1: " + p);
    }

    public LinkOptions withRtt(Duration d) { return new LinkOptions(d, loss, jitter, reorder, duplicate, bandwidth, queue, mtu); }

    public LinkOptions withLoss(double p) { return new LinkOptions(rtt, p, jitter, reorder, duplicate, bandwidth, queue, mtu); }

    public LinkOptions withBandwidth(long bps) { return new LinkOptions(rtt, loss, jitter, reorder, duplicate, bps, queue, mtu); }

    public LinkOptions withQueue(int packets) { return new LinkOptions(rtt, loss, jitter, reorder, duplicate, bandwidth, packets, mtu); }

    public LinkOptions withJitter(Duration d) { return new LinkOptions(rtt, loss, d, reorder, duplicate, bandwidth, queue, mtu); }

    public LinkOptions withReorder(double p) { return new LinkOptions(rtt, loss, jitter, p, duplicate, bandwidth, queue, mtu); }

    public LinkOptions withDuplicate(double p) { return new LinkOptions(rtt, loss, jitter, reorder, p, bandwidth, queue, mtu); }

    public LinkOptions withMtu(int bytes) { return new LinkOptions(rtt, loss, jitter, reorder, duplicate, bandwidth, queue, bytes); }

    /** One direction of this path, as the simulator takes it. */
    public LinkConfig config() {
        return LinkConfig.builder().delayNanos(rtt.toNanos() / 2).jitterNanos(jitter.toNanos()).loss(loss)
                .reorder(reorder, REORDER_HOLD).duplicate(duplicate).bandwidth(bandwidth)
                .queueLimit(Integer.MAX_VALUE).queuePackets(queue).mtu(mtu).build();
    }
}
