package io.threeway.api;

import io.threeway.api.impl.Wire;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkStats;
import io.threeway.sim.Rule;
import io.threeway.sim.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The path between two hosts, both directions: round-trip time, jitter, bandwidth, loss, duplication,
 * reordering, MTU, and faults, each changeable at any moment of a run (a change applies from the next packet
 * sent; packets in flight keep their fate). Setters apply to both directions; {@link #from(Host)} gives one
 * direction to configure alone. Every setter returns the link, so they chain:
 *
 * <pre>{@code
 * net.link(client, server).rtt(Duration.ofMillis(80)).jitter(Duration.ofMillis(5)).loss(0.01);
 * Fault cut = net.link(client, server).partition();   // ... later: cut.remove();
 * net.link(client, server).from(server).add(Faults.dropNth(3, Segment::hasPayload));
 * }</pre>
 */
public final class Link {
    /** The network. */
    private final Network network;
    /** From the first host to the second. */
    private final Direction aToB;
    /** From the second host to the first. */
    private final Direction bToA;

    Link(Network network, Host a, Host b, Wire[] wires) {
        this.network = network;
        this.aToB = new Direction(network, a, b, wires[0]);
        this.bToA = new Direction(network, b, a, wires[1]);
    }

    /**
     * The direction in which {@code sender} transmits.
     *
     * @param sender one of the link's two hosts
     * @return that direction
     */
    public Direction from(Host sender) {
        if (sender == aToB.from) return aToB;
        if (sender == bToA.from) return bToA;
        throw new IllegalArgumentException(sender.name() + " is not on this link");
    }

    /**
     * The round-trip time: half of it is each direction's one-way delay (the first host's direction gets the
     * odd nanosecond).
     *
     * @param rtt the round-trip time
     * @return this link
     */
    public Link rtt(Duration rtt) {
        long n = Network.nanos(rtt);
        aToB.change(b -> b.delayNanos(n - n / 2));
        bToA.change(b -> b.delayNanos(n / 2));
        return this;
    }

    /**
     * Jitter on each direction: each packet's delay varies uniformly by up to {@code jitter} either way (at most
     * the one-way delay), keeping packets in order.
     *
     * @param jitter the half-width of the variation
     * @return this link
     */
    public Link jitter(Duration jitter) {
        aToB.jitter(jitter);
        bToA.jitter(jitter);
        return this;
    }

    /**
     * Random loss on each direction.
     *
     * @param probability of losing each packet, from 0 to 1
     * @return this link
     */
    public Link loss(double probability) {
        aToB.loss(probability);
        bToA.loss(probability);
        return this;
    }

    /**
     * Random duplication on each direction.
     *
     * @param probability of delivering a packet twice
     * @return this link
     */
    public Link duplicate(double probability) {
        aToB.duplicate(probability);
        bToA.duplicate(probability);
        return this;
    }

    /**
     * Random reordering on each direction: a packet picked is held back by {@code extra} and overtaken.
     *
     * @param probability of holding a packet back
     * @param extra       how long a packet picked is held back
     * @return this link
     */
    public Link reorder(double probability, Duration extra) {
        aToB.reorder(probability, extra);
        bToA.reorder(probability, extra);
        return this;
    }

    /**
     * The bandwidth of each direction, with a drop-tail queue at the sender (64 KiB unless set).
     *
     * @param bitsPerSecond the rate; 0 for unlimited
     * @return this link
     */
    public Link bandwidth(long bitsPerSecond) {
        aToB.bandwidth(bitsPerSecond);
        bToA.bandwidth(bitsPerSecond);
        return this;
    }

    /**
     * ECN marking at each direction's queue (with a bandwidth set), as {@code sch_fq_codel}'s {@code ce_threshold}:
     * an ECN-capable packet that finds at least {@code packets} queued ahead of it is marked CE (RFC 3168) instead
     * of passing on plain; the hosts' TCP then echoes ECE and reduces its window without a loss (a client asks for
     * ECN with {@code host.sysctl("net.ipv4.tcp_ecn", "1")}). Packets that are not ECN-capable are unaffected.
     *
     * @param packets the marking threshold; 0 turns marking off
     * @return this link
     */
    public Link ceThreshold(int packets) {
        aToB.ceThreshold(packets);
        bToA.ceThreshold(packets);
        return this;
    }

    /**
     * The largest IP packet each direction carries (larger ones are lost, as on a path whose ICMP is filtered).
     *
     * @param bytes the MTU
     * @return this link
     */
    public Link mtu(int bytes) {
        aToB.mtu(bytes);
        bToA.mtu(bytes);
        return this;
    }

    /**
     * Adds a fault to both directions (one rule, so its counts span both).
     *
     * @param rule the rule, e.g. from {@link Faults}
     * @return the fault, to {@link Fault#remove()} when it should end
     */
    public Fault add(SegmentRule rule) {
        Rule r = Direction.adapt(rule);
        network.engine().runtime().run(() -> {
            aToB.wire.addRule(r);
            bToA.wire.addRule(r);
        });
        return new Fault(String.valueOf(rule), () -> network.engine().runtime().run(() -> {
            aToB.wire.removeRule(r);
            bToA.wire.removeRule(r);
        }));
    }

    /**
     * Cuts the link both ways until the fault is removed (the partition heals). Connections see silence: their
     * retransmissions go unanswered.
     *
     * @return the partition
     */
    public Fault partition() {
        return add(Faults.blackhole());
    }

    @Override
    public String toString() {
        return "Link[" + aToB + "; " + bToA + "]";
    }

    /** One direction of a link: its own settings and faults. */
    public static final class Direction {
        /** The network. */
        private final Network network;
        /** The sending host. */
        private final Host from;
        /** The receiving host. */
        private final Host to;
        /** The wire under it. */
        private final Wire wire;
        /** The rules added through it, for {@link #clearFaults()}. */
        private final List<Rule> rules = new ArrayList<>();

        Direction(Network network, Host from, Host to, Wire wire) {
            this.network = network;
            this.from = from;
            this.to = to;
            this.wire = wire;
        }

        /**
         * The one-way delay.
         *
         * @param delay the delay
         * @return this direction
         */
        public Direction delay(Duration delay) {
            long n = Network.nanos(delay);
            return change(b -> b.delayNanos(n));
        }

        /**
         * Jitter: each packet's delay varies uniformly by up to {@code jitter} either way, keeping order.
         *
         * @param jitter the half-width, at most the delay
         * @return this direction
         */
        public Direction jitter(Duration jitter) {
            long n = Network.nanos(jitter);
            return change(b -> b.jitterNanos(n));
        }

        /**
         * Random loss.
         *
         * @param probability from 0 to 1
         * @return this direction
         */
        public Direction loss(double probability) {
            return change(b -> b.loss(probability));
        }

        /**
         * Random duplication.
         *
         * @param probability from 0 to 1
         * @return this direction
         */
        public Direction duplicate(double probability) {
            return change(b -> b.duplicate(probability));
        }

        /**
         * Random reordering.
         *
         * @param probability from 0 to 1
         * @param extra       how long a packet picked is held back
         * @return this direction
         */
        public Direction reorder(double probability, Duration extra) {
            return change(b -> b.reorder(probability, extra));
        }

        /**
         * The bandwidth, with a drop-tail queue at the sender.
         *
         * @param bitsPerSecond the rate; 0 for unlimited
         * @return this direction
         */
        public Direction bandwidth(long bitsPerSecond) {
            return change(b -> b.bandwidth(bitsPerSecond));
        }

        /**
         * The sender's queue limit, with a bandwidth set.
         *
         * @param bytes the queue's size
         * @return this direction
         */
        public Direction queueLimit(int bytes) {
            return change(b -> b.queueLimit(bytes));
        }

        /**
         * ECN marking at this direction's queue (see {@link Link#ceThreshold}).
         *
         * @param packets the marking threshold; 0 turns marking off
         * @return this direction
         */
        public Direction ceThreshold(int packets) {
            return change(b -> b.ceThreshold(packets));
        }

        /**
         * The MTU.
         *
         * @param bytes the largest packet carried
         * @return this direction
         */
        public Direction mtu(int bytes) {
            return change(b -> b.mtu(bytes));
        }

        /**
         * Adds a fault to this direction.
         *
         * @param rule the rule, e.g. from {@link Faults}
         * @return the fault, to {@link Fault#remove()} when it should end
         */
        public Fault add(SegmentRule rule) {
            Rule r = adapt(rule);
            network.engine().runtime().run(() -> {
                wire.addRule(r);
                rules.add(r);
            });
            return new Fault(String.valueOf(rule), () -> network.engine().runtime().run(() -> {
                wire.removeRule(r);
                rules.remove(r);
            }));
        }

        /** Removes every fault added through this direction. */
        public void clearFaults() {
            network.engine().runtime().run(() -> {
                for (Rule r : rules) wire.removeRule(r);
                rules.clear();
            });
        }

        /** {@return packets sent into this direction so far} */
        public long packetsSent() {
            return network.engine().runtime().call(() -> stats().sent());
        }

        /** {@return packets this direction delivered so far (each copy of a duplicate)} */
        public long packetsDelivered() {
            return network.engine().runtime().call(() -> stats().delivered());
        }

        /** {@return packets this direction lost so far, to rules, loss, the queue or the MTU} */
        public long packetsLost() {
            return network.engine().runtime().call(() -> {
                LinkStats s = stats();
                return s.droppedByRule() + s.lost() + s.droppedByQueue() + s.droppedByMtu();
            });
        }

        /** {@return packets this direction's queue marked CE so far ({@link #ceThreshold})} */
        public long packetsMarkedCe() {
            return network.engine().runtime().call(() -> stats().ceMarked());
        }

        private LinkStats stats() {
            return wire.stats();
        }

        /** Applies a change to the impairments from the next packet on. */
        Direction change(UnaryOperator<LinkConfig.Builder> edit) {
            Objects.requireNonNull(edit);
            network.engine().runtime().run(() -> wire.reconfigure(edit.apply(wire.config().toBuilder()).build()));
            return this;
        }

        /** The simulator's rule for an API rule, with one reused segment view. */
        static Rule adapt(SegmentRule rule) {
            Objects.requireNonNull(rule);
            Segment view = new Segment();
            return (packet, now) -> {
                SegmentRule.Action a = rule.apply(view.reset(packet), Duration.ofNanos(now));
                view.reset(null);
                if (a.drop()) return Verdict.DROP;
                return Verdict.delay(a.delayNanos());
            };
        }

        @Override
        public String toString() {
            return from.name() + "->" + to.name() + " " + wire.config();
        }
    }
}
