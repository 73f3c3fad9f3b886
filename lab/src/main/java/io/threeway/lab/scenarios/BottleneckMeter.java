package io.threeway.lab.scenarios;

import io.threeway.sim.LinkDirection;
import io.threeway.sim.Simulator;
import io.threeway.sim.Tap;
import io.threeway.wire.IpPacket;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a bottleneck carried to the receiver in a window of time: how long its transmitter was busy (its
 * utilisation: headers, retransmissions and packets lost after it included, see {@link LinkDirection#busyNanos}),
 * and per connection the payload bytes that reached the receiver for the first time (a tap on the direction's
 * deliveries: a byte delivered before, or again, or in a duplicate's copy, counts once, when it first arrived).
 *
 * <p>Counting what the link carried, rather than what the receiving application read, keeps every figure within
 * the link's capacity: a retransmission that fills a hole just after the window opens releases to the
 * application data that crossed the link before it; those bytes were counted when they crossed.
 */
final class BottleneckMeter implements Tap {
    /** The window's start, virtual ns (inclusive). */
    private final long from;
    /** The window's end, virtual ns (exclusive). */
    private final long end;
    /** The direction measured. */
    private final LinkDirection direction;
    /** Its busy time when the window opened, or -1 before. */
    private long busyAtFrom = -1;
    /** Its busy time when the window closed, or -1 before. */
    private long busyAtEnd = -1;
    /** Each connection's data seen so far, by the sender's port (the meter sits on one direction). */
    private final Map<Integer, Received> flows = new HashMap<>();
    /** Reused parse views. */
    private final IpPacket ip = new IpPacket();
    /** Reused parse views. */
    private final TcpSegment seg = new TcpSegment();

    /** One connection's sequence space as it arrived: the ranges of data delivered, and the window's new bytes. */
    private static final class Received {
        /** Ranges [start, end) of unwrapped sequence numbers delivered, keyed by start, disjoint and not touching. */
        final TreeMap<Long, Long> ranges = new TreeMap<>();
        /** The highest unwrapped sequence number seen, to unwrap the next. */
        long highest = Long.MIN_VALUE;
        /** Payload bytes that arrived for the first time within the window. */
        long newInWindow;

        long unwrap(int seq) {
            if (highest == Long.MIN_VALUE) return highest = seq & 0xffffffffL;
            long u = highest + (int) (seq - (int) highest);
            highest = Math.max(highest, u);
            return u;
        }

        /** Adds [s, e) and returns how many of its bytes were not there before. */
        long add(long s, long e) {
            long covered = 0;
            long lo = s;
            long hi = e;
            var before = ranges.floorEntry(s);
            if (before != null && before.getValue() >= s) {
                covered += Math.min(before.getValue(), e) - s;
                lo = before.getKey();
                hi = Math.max(hi, before.getValue());
                ranges.remove(before.getKey());
            }
            var inside = ranges.subMap(s, true, e, true);
            for (var r : inside.entrySet()) {
                covered += Math.max(0, Math.min(r.getValue(), e) - r.getKey());
                hi = Math.max(hi, r.getValue());
            }
            inside.clear();
            ranges.put(lo, hi);
            return e - s - covered;
        }
    }

    private BottleneckMeter(LinkDirection direction, long from, long end) {
        this.direction = direction;
        this.from = from;
        this.end = end;
    }

    /**
     * A meter on {@code direction} for [{@code from}, {@code end}) of {@code sim}'s time: made before the traffic,
     * read after {@link #close} at or after {@code end}.
     */
    static BottleneckMeter on(Simulator sim, LinkDirection direction, long from, long end) {
        BottleneckMeter m = new BottleneckMeter(direction, from, end);
        direction.tapDeliver(m);
        sim.schedule(from, () -> m.busyAtFrom = direction.busyNanos());
        return m;
    }

    /** Takes the window's closing figure: call once the simulator has run to {@code end}. */
    void close() {
        busyAtEnd = direction.busyNanos();
    }

    @Override
    public void packet(byte[] packet, int length, long now) {
        if (length == 0 || !parse(packet, length) || seg.payloadLength == 0) return;
        Received r = flows.computeIfAbsent(seg.srcPort, p -> new Received());
        long start = r.unwrap(seg.seq) + (seg.syn() ? 1 : 0);
        long fresh = r.add(start, start + seg.payloadLength);
        if (now >= from && now < end) r.newInWindow += fresh;
    }

    private boolean parse(byte[] b, int length) {
        boolean ok = b[0] >>> 4 == 6 ? Ipv6Header.parse(b, 0, length, ip).ok() : Ipv4Header.parse(b, 0, length, ip).ok();
        return ok && ip.protocol == IpProtocol.TCP && TcpCodec.parse(b, ip.payloadOffset, ip.payloadLength, seg).ok();
    }

    /** The share of the window the bottleneck spent serializing packets, 0 to 1. */
    double utilisation() {
        if (busyAtFrom < 0 || busyAtEnd < 0) throw new IllegalStateException("the window is not over");
        return end <= from ? 0 : (double) (busyAtEnd - busyAtFrom) / (end - from);
    }

    /** Payload bytes of the connection from {@code senderPort} that first reached the receiver in the window, bits a second. */
    double goodput(int senderPort) {
        Received r = flows.get(senderPort);
        return r == null ? 0 : rate(r.newInWindow);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("busy " + (busyAtEnd - busyAtFrom) + " ns");
        flows.forEach((port, r) -> b.append(", port ").append(port).append(" new ").append(r.newInWindow).append(" B"));
        return b.toString();
    }

    private double rate(long bytes) {
        return end <= from ? 0 : bytes * 8e9 / (end - from);
    }
}
