package io.threeway.sim;

import io.threeway.host.PacketSink;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.Objects;

/**
 * One direction of a {@link Link}: the {@link PacketSink} the sending host transmits into, and the path
 * each packet then takes to the receiving host.
 *
 * <ol>
 *   <li>{@link Tap}s on transmit see the packet as sent;</li>
 *   <li>{@link Rule}s, in the order added, may drop, delay or rewrite it;</li>
 *   <li>a packet longer than the MTU is dropped (the host sizes its segments; the link does not fragment);</li>
 *   <li>with a bandwidth limit, the packet joins the sender's drop-tail queue (dropped if the bytes queued
 *       ahead of it plus its own exceed the limit) and leaves when serialized, at exactly
 *       {@code bytes * 8 / bandwidth} seconds per packet (remainders carried, so long runs are exact);</li>
 *   <li>it is lost with the configured probability;</li>
 *   <li>it arrives after the delay plus jitter (FIFO kept unless configured otherwise), plus any rule delay
 *       or reordering hold-back; a duplicate, if drawn, arrives right after it;</li>
 *   <li>{@link Tap}s on delivery see it, and the receiving host gets it with
 *       {@code receive(packet, 0, length, now)}.</li>
 * </ol>
 *
 * Steps 3 to 6 are the {@link Impairment} model, shared with the TUN link. Random draws come from this
 * direction's own generator in a fixed order per packet, so each direction's
 * fate sequence depends only on the seed, the link's creation order and its own traffic.
 */
public final class LinkDirection implements PacketSink {
    private final Simulator sim;
    private final String name;
    private final HostDriver to;
    private LinkConfig config;
    private final LinkStats stats = new LinkStats();
    private final Packet view = new Packet();
    private Rule[] rules = new Rule[0];
    private Tap[] transmitTaps = new Tap[0];
    private Tap[] deliverTaps = new Tap[0];
    /** Told each packet's fate, or null (the usual case: then the fate costs nothing). */
    private FateObserver fateObserver;

    private final Impairment impairment;
    private int inFlight;
    /** Free list of delivery events. */
    private Delivery pool;

    LinkDirection(Simulator sim, String name, HostDriver to, LinkConfig config, SplittableRandom random) {
        this.sim = sim;
        this.name = name;
        this.to = to;
        this.config = config;
        this.impairment = new Impairment(config, random, stats);
    }

    /** {@code "a->b"} with the host names. */
    public String name() {
        return name;
    }

    public LinkConfig config() {
        return config;
    }

    /** Changes this direction's impairments from the next packet on (see {@link Impairment#reconfigure}). */
    public void reconfigure(LinkConfig config) {
        this.config = config;
        impairment.reconfigure(config);
    }

    public LinkStats stats() {
        return stats;
    }

    /** How long this direction's transmitter has spent serializing packets until now ({@link Impairment#busyNanos}). */
    public long busyNanos() {
        return impairment.busyNanos(sim.now());
    }

    /** Packets transmitted but not yet delivered (nor dropped). */
    public int inFlight() {
        return inFlight;
    }

    /** Adds a rule, applied after those added before it. Returns this direction. */
    public LinkDirection addRule(Rule rule) {
        rules = append(rules, rule);
        return this;
    }

    /** Removes {@code rule} (the first time it was added), if present. */
    public void removeRule(Rule rule) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i] == rule) {
                Rule[] out = new Rule[rules.length - 1];
                System.arraycopy(rules, 0, out, 0, i);
                System.arraycopy(rules, i + 1, out, i, rules.length - i - 1);
                rules = out;
                return;
            }
        }
    }

    /** Removes every rule. */
    public void clearRules() {
        rules = new Rule[0];
    }

    /** Observes every packet as the sender transmits it. */
    public LinkDirection tapTransmit(Tap tap) {
        transmitTaps = append(transmitTaps, tap);
        return this;
    }

    /** Observes every packet as it is delivered to the receiver (duplicates included). */
    public LinkDirection tapDeliver(Tap tap) {
        deliverTaps = append(deliverTaps, tap);
        return this;
    }

    /** Tells {@code observer} the fate of every packet from now on (one observer; null removes it). */
    public LinkDirection watchFates(FateObserver observer) {
        fateObserver = observer;
        return this;
    }

    /**
     * Takes one packet from the sending host. The time is the simulator's clock; {@code now} is ignored
     * (it should be equal).
     */
    @Override
    public void transmit(byte[] packet, int length, long now) {
        transmit(packet, length, 0, now);
    }

    /** The link's {@link LinkConfig#gsoMaxSize}: whether (and how large) it carries super-segments whole. */
    @Override
    public int gsoMaxSize() {
        return config.gsoMaxSize();
    }

    /**
     * Takes one packet, or a super-segment of {@code gsoSize}-byte segments carried whole (the MTU applies to
     * each of them; every other fate to the packet as a whole, as a GSO packet in Linux's qdiscs).
     */
    @Override
    public void transmit(byte[] packet, int length, int gsoSize, long now) {
        long t = sim.now();
        stats.sent++;
        stats.bytesSent += length;
        for (Tap tap : transmitTaps) tap.packet(packet, length, t);

        long extraDelay = 0;
        if (rules.length > 0) {
            view.reset(packet, length);
            for (Rule rule : rules) {
                Verdict v = rule.apply(view, t);
                if (v.drop()) {
                    stats.droppedByRule++;
                    if (fateObserver != null) fateObserver.fate(this, packet, length, t, -1, false, PacketFate.RULE);
                    view.reset(null, 0);
                    return;
                }
                extraDelay += v.extraDelay();
            }
            packet = view.bytes();
            length = view.length();
            view.reset(null, 0);
        }

        long arrival = impairment.arrival(length, Impairment.segmentLength(packet, length, gsoSize), t, extraDelay);
        if (arrival == Impairment.DROPPED) {
            if (fateObserver != null) {
                fateObserver.fate(this, packet, length, t, -1, false, impairment.lastDrop());
            }
            return;
        }
        // ECN at the queue (LinkConfig.ceThreshold): an ECN-capable packet is marked CE rather than passed on plain
        if (impairment.congested() && CeMarking.mark(packet, length)) impairment.countCeMarked();
        if (fateObserver != null) {
            fateObserver.fate(this, packet, length, t, arrival, impairment.duplicated(), PacketFate.DELIVERED);
        }
        send(packet, length, arrival);
        if (impairment.duplicated()) {
            send(Arrays.copyOf(packet, length), length, arrival);
        }
    }

    private void send(byte[] packet, int length, long arrival) {
        Delivery d = pool;
        if (d != null) {
            pool = d.nextFree;
            d.nextFree = null;
        } else {
            d = new Delivery(this);
        }
        d.packet = packet;
        d.length = length;
        inFlight++;
        sim.queue().add(d, arrival);
    }

    private void deliver(Delivery d) {
        byte[] packet = d.packet;
        int length = d.length;
        d.packet = null;
        d.nextFree = pool;
        pool = d;
        inFlight--;
        long now = sim.now();
        stats.delivered++;
        stats.bytesDelivered += length;
        for (Tap tap : deliverTaps) tap.packet(packet, length, now);
        to.host.receive(packet, 0, length, now);
        to.refresh();
    }

    private static <T> T[] append(T[] array, T item) {
        Objects.requireNonNull(item);
        T[] out = Arrays.copyOf(array, array.length + 1);
        out[array.length] = item;
        return out;
    }

    @Override
    public String toString() {
        return name + ": " + stats;
    }

    /** A packet in flight: a pooled event that hands it to the receiver on arrival. */
    private static final class Delivery extends Event {
        private final LinkDirection direction;
        byte[] packet;
        int length;
        Delivery nextFree;

        Delivery(LinkDirection direction) {
            this.direction = direction;
        }

        @Override
        void fire(Simulator sim) {
            direction.deliver(this);
        }
    }
}
