package io.threeway.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The usual faults, as {@link SegmentRule}s to {@link Link#add add} to a link (both directions) or to one
 * direction ({@link Link.Direction#add}), and to remove when the fault should end. Each call makes a fresh rule
 * with its own counts. What a proxy cannot do is here too: lose the third segment, a SYN-ACK, every SYN, a FIN.
 *
 * <p>Faults that are behaviour rather than packets are written as the application behaving so: a refused
 * connection is a port with no listener; a full accept queue is a server that stops calling {@code accept()}
 * on a small backlog ({@link Host#listen(int, int)}); a zero window is a receiver that stops reading; a peer
 * that vanishes is {@link Host#crash()}.
 */
public final class Faults {
    private Faults() {}

    /**
     * Loses every packet: with {@link Link#add}, a partition until the fault is removed.
     *
     * @return the rule
     */
    public static SegmentRule blackhole() {
        return named("blackhole", (s, now) -> SegmentRule.Action.DROP);
    }

    /**
     * Loses every packet sent at or after the network's time {@code at} (since the network began).
     *
     * @param at when the blackhole opens
     * @return the rule
     */
    public static SegmentRule blackholeFrom(Duration at) {
        return named("blackhole from " + at, (s, now) -> now.compareTo(at) >= 0 ? SegmentRule.Action.DROP : SegmentRule.Action.PASS);
    }

    /**
     * Lets {@code bytes} bytes of TCP payload through, then loses every packet (data, ACKs, FINs) after the
     * segment that crossed the limit: a path that dies in the middle of a transfer.
     *
     * @param bytes payload bytes that pass first
     * @return the rule
     */
    public static SegmentRule blackholeAfterBytes(long bytes) {
        return new SegmentRule() {
            private long passed;

            @Override
            public Action apply(Segment s, Duration now) {
                if (passed >= bytes) return Action.DROP;
                passed += s.payloadLength();
                return Action.PASS;
            }

            @Override
            public String toString() {
                return "blackhole after " + bytes + " bytes";
            }
        };
    }

    /**
     * A reset in the middle of a stream: the data segment that would carry payload past the first {@code bytes}
     * bytes arrives as a reset instead (a middlebox's forged RST), once.
     *
     * @param bytes payload bytes delivered before the reset
     * @return the rule
     */
    public static SegmentRule resetAfterBytes(long bytes) {
        return new SegmentRule() {
            private long passed;
            private boolean done;

            @Override
            public Action apply(Segment s, Duration now) {
                if (done || !s.hasPayload()) return Action.PASS;
                if (passed + s.payloadLength() > bytes) {
                    done = true;
                    s.turnIntoReset();
                    return Action.PASS;
                }
                passed += s.payloadLength();
                return Action.PASS;
            }

            @Override
            public String toString() {
                return "reset after " + bytes + " bytes";
            }
        };
    }

    /**
     * Loses every SYN (not SYN-ACKs): connects time out after the SYN retries, or at their connect timeout.
     *
     * @return the rule
     */
    public static SegmentRule dropSyns() {
        return drop(Segment::isSyn);
    }

    /**
     * Holds every SYN-ACK back by {@code d}: a slow server or a long first round trip.
     *
     * @param d the extra delay
     * @return the rule
     */
    public static SegmentRule delaySynAck(Duration d) {
        return delay(Segment::isSynAck, d);
    }

    /**
     * Holds every FIN back by {@code d}: a slow close.
     *
     * @param d the extra delay
     * @return the rule
     */
    public static SegmentRule delayFin(Duration d) {
        return delay(Segment::isFin, d);
    }

    /**
     * Loses every packet matching {@code which}.
     *
     * @param which the packets to lose
     * @return the rule
     */
    public static SegmentRule drop(Predicate<Segment> which) {
        Objects.requireNonNull(which);
        return (s, now) -> which.test(s) ? SegmentRule.Action.DROP : SegmentRule.Action.PASS;
    }

    /**
     * Loses the {@code n}th packet (from 1) matching {@code which}, and only it: "drop the third data segment
     * from the server" is {@code link.from(server).add(Faults.dropNth(3, Segment::hasPayload))}.
     *
     * @param n     which one
     * @param which the packets counted
     * @return the rule
     */
    public static SegmentRule dropNth(int n, Predicate<Segment> which) {
        Objects.requireNonNull(which);
        return new SegmentRule() {
            private int seen;

            @Override
            public Action apply(Segment s, Duration now) {
                return which.test(s) && ++seen == n ? Action.DROP : Action.PASS;
            }
        };
    }

    /**
     * Loses the first {@code n} packets matching {@code which}.
     *
     * @param n     how many
     * @param which the packets counted
     * @return the rule
     */
    public static SegmentRule dropFirst(int n, Predicate<Segment> which) {
        Objects.requireNonNull(which);
        return new SegmentRule() {
            private int dropped;

            @Override
            public Action apply(Segment s, Duration now) {
                if (dropped < n && which.test(s)) {
                    dropped++;
                    return Action.DROP;
                }
                return Action.PASS;
            }
        };
    }

    /**
     * Corrupts the {@code n}th packet (from 1) matching {@code which} (one bit, checksum left wrong): the
     * receiver drops it and counts a checksum error, and TCP recovers as from a loss.
     *
     * @param n     which one
     * @param which the packets counted
     * @return the rule
     */
    public static SegmentRule corruptNth(int n, Predicate<Segment> which) {
        Objects.requireNonNull(which);
        return new SegmentRule() {
            private int seen;

            @Override
            public Action apply(Segment s, Duration now) {
                if (which.test(s) && ++seen == n) s.corrupt();
                return Action.PASS;
            }
        };
    }

    /**
     * Holds every packet matching {@code which} back by {@code d}; later packets may overtake it.
     *
     * @param which the packets to delay
     * @param d     the extra delay
     * @return the rule
     */
    public static SegmentRule delay(Predicate<Segment> which, Duration d) {
        Objects.requireNonNull(which);
        SegmentRule.Action hold = SegmentRule.Action.delay(d);
        return (s, now) -> which.test(s) ? hold : SegmentRule.Action.PASS;
    }

    private static SegmentRule named(String name, SegmentRule rule) {
        return new SegmentRule() {
            @Override
            public Action apply(Segment s, Duration now) {
                return rule.apply(s, now);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
