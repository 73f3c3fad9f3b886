package io.threeway.sim;

import io.threeway.host.PacketSink;
import java.time.Duration;

/**
 * The impairments of one direction of a {@link Link}. Times are nanoseconds, probabilities in [0, 1].
 *
 * <p>The path a packet takes (see {@link LinkDirection}): rules, MTU check, the sender's drop-tail queue
 * and serialization at {@code bandwidth}, loss on the wire, then propagation of {@code delay} plus
 * uniform jitter in [-jitter, +jitter]. With {@code keepOrder} (the default) jitter never lets a packet
 * overtake an earlier one, as on a real wire; only packets picked for reordering (probability
 * {@code reorder}) take {@code reorderDelay} extra and are overtaken. A duplicated packet arrives twice,
 * back to back.
 *
 * @param delay        one-way propagation delay
 * @param jitter       half-width of the uniform jitter around {@code delay}; at most {@code delay}
 * @param keepOrder    jitter keeps FIFO order (reordering then comes only from {@code reorder})
 * @param loss         probability a packet is lost on the wire
 * @param duplicate    probability a delivered packet is delivered twice
 * @param reorder      probability a packet is held back by {@code reorderDelay} and overtaken
 * @param reorderDelay the extra delay of a reordered packet
 * @param bandwidth    bits per second; 0 for unlimited (no serialization delay, no queue)
 * @param queueLimit   the sender's queue limit in bytes (drop-tail), counting the packet being serialized
 * @param mtu          the largest IP packet the link carries; larger ones are dropped and counted
 * @param queuePackets the sender's queue limit in packets (drop-tail, as a Linux device's txqueuelen), counting
 *                     the packet being serialized; 0 for no limit in packets (only {@code queueLimit} applies)
 * @param gsoMaxSize   segmentation offload: the largest TCP super-segment (IP packet, bytes) the link carries whole,
 *                     as the kernel's loopback and veth carry GSO packets; the sending host then builds super-segments
 *                     of several MSS (Linux's tcp_tso_autosize) and the MTU applies to each segment one stands for
 *                     (skb_gso_validate_network_len); 0 (the default) for packets of one MSS, each with its own fate
 * @param ceThreshold  ECN marking at the sender's queue (needs a {@code bandwidth}): an ECN-capable packet (ECT(0) or
 *                     ECT(1), RFC 3168 §5) that finds at least this many packets queued ahead of it is marked CE
 *                     instead of queued as it came, as sch_fq_codel's {@code ce_threshold} or sch_red's {@code ecn}
 *                     marks rather than drops; Not-ECT packets are unaffected and the drop-tail limits still apply;
 *                     0 (the default) for no marking
 */
public record LinkConfig(long delay, long jitter, boolean keepOrder, double loss, double duplicate, double reorder,
        long reorderDelay, long bandwidth, int queueLimit, int mtu, int queuePackets, int gsoMaxSize, int ceThreshold) {

    /** No delay, no impairment, unlimited bandwidth, MTU 1500. */
    public static final LinkConfig PERFECT = builder().build();

    public LinkConfig {
        if (delay < 0 || jitter < 0 || reorderDelay < 0) throw new IllegalArgumentException("negative time");
        if (jitter > delay) throw new IllegalArgumentException("jitter " + jitter + " exceeds delay " + delay);
        checkProbability("loss", loss);
        checkProbability("duplicate", duplicate);
        checkProbability("reorder", reorder);
        if (bandwidth < 0) throw new IllegalArgumentException("negative bandwidth");
        if (queueLimit < 0) throw new IllegalArgumentException("negative queue limit");
        if (queuePackets < 0) throw new IllegalArgumentException("negative queue limit in packets");
        if (ceThreshold < 0) throw new IllegalArgumentException("negative CE marking threshold");
        if (mtu < 20) throw new IllegalArgumentException("MTU below 20: " + mtu);
        if (gsoMaxSize < 0 || gsoMaxSize > GSO_MAX_SIZE) {
            throw new IllegalArgumentException("GSO size not in [0, " + GSO_MAX_SIZE + "]: " + gsoMaxSize);
        }
    }

    /** The largest super-segment a link may carry (Linux's GSO_LEGACY_MAX_SIZE). */
    public static final int GSO_MAX_SIZE = PacketSink.GSO_MAX_SIZE;

    private static void checkProbability(String what, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(what + " probability not in [0, 1]: " + p);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.delay = delay;
        b.jitter = jitter;
        b.keepOrder = keepOrder;
        b.loss = loss;
        b.duplicate = duplicate;
        b.reorder = reorder;
        b.reorderDelay = reorderDelay;
        b.bandwidth = bandwidth;
        b.queueLimit = queueLimit;
        b.mtu = mtu;
        b.queuePackets = queuePackets;
        b.gsoMaxSize = gsoMaxSize;
        b.ceThreshold = ceThreshold;
        return b;
    }

    /**
     * Builds a {@link LinkConfig}. Defaults: no delay, no jitter, FIFO, no loss, duplication or reordering,
     * reorder delay 10 ms, unlimited bandwidth, a 64 KiB queue (no limit in packets), MTU 1500.
     */
    public static final class Builder {
        private long delay;
        private long jitter;
        private boolean keepOrder = true;
        private double loss;
        private double duplicate;
        private double reorder;
        private long reorderDelay = 10_000_000L;
        private long bandwidth;
        private int queueLimit = 64 * 1024;
        private int mtu = 1500;
        private int queuePackets;
        private int gsoMaxSize;
        private int ceThreshold;

        private Builder() {}

        public Builder delay(Duration d) { return delayNanos(Simulator.toNanos(d)); }
        public Builder delayNanos(long ns) { this.delay = ns; return this; }
        public Builder jitter(Duration d) { return jitterNanos(Simulator.toNanos(d)); }
        public Builder jitterNanos(long ns) { this.jitter = ns; return this; }
        /** Whether jitter may reorder packets ({@code false}) or not ({@code true}, the default). */
        public Builder keepOrder(boolean keep) { this.keepOrder = keep; return this; }
        public Builder loss(double p) { this.loss = p; return this; }
        public Builder duplicate(double p) { this.duplicate = p; return this; }
        public Builder reorder(double p) { this.reorder = p; return this; }
        /** Reorders with probability {@code p}, holding reordered packets back by {@code extra}. */
        public Builder reorder(double p, Duration extra) { this.reorder = p; this.reorderDelay = Simulator.toNanos(extra); return this; }
        public Builder reorderDelay(Duration d) { this.reorderDelay = Simulator.toNanos(d); return this; }
        /** Bits per second; 0 for unlimited. */
        public Builder bandwidth(long bitsPerSecond) { this.bandwidth = bitsPerSecond; return this; }
        public Builder queueLimit(int bytes) { this.queueLimit = bytes; return this; }
        public Builder mtu(int bytes) { this.mtu = bytes; return this; }
        /** The queue's limit in packets (a device's txqueuelen); 0 for none. */
        public Builder queuePackets(int packets) { this.queuePackets = packets; return this; }
        /** Segmentation offload: super-segments up to {@code bytes} carried whole; 0 turns it off. */
        public Builder gsoMaxSize(int bytes) { this.gsoMaxSize = bytes; return this; }
        /**
         * ECN marking: an ECT packet finding at least {@code packets} queued ahead of it is marked CE (see
         * {@link LinkConfig#ceThreshold}); 0 turns it off.
         */
        public Builder ceThreshold(int packets) { this.ceThreshold = packets; return this; }
        /** Segmentation offload at Linux's usual size ({@link #GSO_MAX_SIZE}), as the kernel's loopback. */
        public Builder offload() { return gsoMaxSize(GSO_MAX_SIZE); }

        public LinkConfig build() {
            return new LinkConfig(delay, jitter, keepOrder, loss, duplicate, reorder, reorderDelay, bandwidth,
                    queueLimit, mtu, queuePackets, gsoMaxSize, ceThreshold);
        }
    }
}
