package io.threeway.sim;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Ready-made {@link Rule}s for fault injection. Predicates read the {@link Packet} view, e.g.
 * {@code Rules.dropFirst(1, Packet::isSynAck)} or {@code Rules.blackholeAfter(5_000_000_000L)}.
 * Each call returns a fresh rule with its own state.
 */
public final class Rules {
    private Rules() {}

    /** Drops the first {@code n} packets matching {@code which}; passes everything else. */
    public static Rule dropFirst(int n, Predicate<Packet> which) {
        Objects.requireNonNull(which);
        return new Rule() {
            private int dropped;

            @Override
            public Verdict apply(Packet p, long now) {
                if (dropped < n && which.test(p)) {
                    dropped++;
                    return Verdict.DROP;
                }
                return Verdict.PASS;
            }
        };
    }

    /** Drops the {@code n}th packet (1-based) matching {@code which}, and only that one. */
    public static Rule dropNth(int n, Predicate<Packet> which) {
        Objects.requireNonNull(which);
        return new Rule() {
            private int seen;

            @Override
            public Verdict apply(Packet p, long now) {
                return which.test(p) && ++seen == n ? Verdict.DROP : Verdict.PASS;
            }
        };
    }

    /** Drops every packet matching {@code which}. */
    public static Rule dropMatching(Predicate<Packet> which) {
        Objects.requireNonNull(which);
        return (p, now) -> which.test(p) ? Verdict.DROP : Verdict.PASS;
    }

    /** Drops every packet transmitted at or after virtual time {@code time} (ns). */
    public static Rule blackholeAfter(long time) {
        return (p, now) -> now >= time ? Verdict.DROP : Verdict.PASS;
    }

    /** Drops every packet transmitted in [{@code from}, {@code until}) (ns): a temporary outage. */
    public static Rule blackholeBetween(long from, long until) {
        return (p, now) -> now >= from && now < until ? Verdict.DROP : Verdict.PASS;
    }

    /** Holds back every packet matching {@code which} by {@code nanos}, letting later packets overtake it. */
    public static Rule delayMatching(Predicate<Packet> which, long nanos) {
        Objects.requireNonNull(which);
        Verdict delay = Verdict.delay(nanos);
        return (p, now) -> which.test(p) ? delay : Verdict.PASS;
    }

    /**
     * Rewrites every packet matching {@code which} with {@code change}, which edits the bytes in place (or
     * {@link Packet#replace}s them) and is responsible for fixing checksums ({@link Packet#updateTcpChecksum()}).
     */
    public static Rule alter(Predicate<Packet> which, Consumer<Packet> change) {
        Objects.requireNonNull(which);
        Objects.requireNonNull(change);
        return (p, now) -> {
            if (which.test(p)) change.accept(p);
            return Verdict.PASS;
        };
    }

    /** Strips TCP option {@code kind} (e.g. 34, Fast Open) from every TCP packet, fixing the checksum. */
    public static Rule stripTcpOption(int kind) {
        return (p, now) -> {
            if (p.isTcp()) p.stripTcpOption(kind);
            return Verdict.PASS;
        };
    }
}
