package io.threeway.host;

import java.util.function.Consumer;

/**
 * A hierarchical hashed timing wheel for a host's connections: each owner (a connection, a TIME-WAIT
 * record, a listener) has at most one entry, whose deadline is the earliest of its own timers. Schedule,
 * reschedule and cancel are O(1) and allocate nothing: the links live in the owner's {@link Entry}.
 *
 * <h2>Layout</h2>
 * Time is counted in ticks (1 ms by default). Level {@code L} has 64 slots, each {@code 64^L} ticks wide,
 * so level 0 holds the next 64 ticks one per slot, level 1 the next 4096 ticks in 64-tick slots, and so on;
 * with enough levels to cover every {@code long} deadline there is no overflow list. An entry sits at the
 * level of the highest bit in which its deadline tick differs from the wheel's current tick
 * ({@code elapsed}), in the slot given by that level's six bits of the deadline. A 64-bit occupancy word
 * per level finds the next non-empty slot with one rotate and one count-trailing-zeros, so
 * {@link #nextDeadline()} costs a few instructions per level however many entries there are, and
 * {@link #expire} skips hours of empty time in a handful of steps.
 *
 * <p>When the wheel reaches a slot above level 0, the slot's entries cascade into lower levels (each entry
 * moves at most once per level in its life) until they reach level 0 and fire. This is the layout of
 * Varghese and Lauck's scheme 7 and of tokio's timer; Linux's timer wheel ({@code kernel/time/timer.c})
 * instead lets higher-level timers fire late to avoid cascading, which a simulator that promises exact
 * virtual times cannot accept.
 *
 * <h2>Rounding</h2>
 * Deadlines round <em>up</em> to the tick, and {@code expire(now)} fires an entry only once
 * {@code now >= tick * tickNanos}, so a timer never fires early and fires at most one tick late (like
 * Linux's jiffies). {@link #nextDeadline()} is exact (the rounded deadline) when the earliest entry is
 * within 64 ticks of the current tick, and otherwise the start of its slot: a lower bound at which
 * {@code expire} only cascades. So a driver that sleeps until {@code nextDeadline()} is never late and
 * wakes early at most a few times per timer.
 *
 * <p>Order among entries due in the same {@code expire} call is by tick, and within a tick unspecified but
 * deterministic. Not thread-safe: a host's timers are touched only by its driver.
 *
 * @param <T> the owner type, which extends {@link Entry}
 */
public final class TimerWheel<T extends TimerWheel.Entry> {
    /** The default tick: 1 ms. */
    public static final long DEFAULT_TICK_NANOS = 1_000_000L;

    private static final int SLOT_BITS = 6;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS - 1;

    /**
     * The intrusive part of a timer owner: extend it (a connection {@code extends TimerWheel.Entry}) or
     * embed one per owner. An entry belongs to at most one wheel.
     */
    public static class Entry {
        /** The deadline as scheduled (ns). */
        private long deadline = Long.MAX_VALUE;
        /** The deadline rounded up to the tick, or clamped to the wheel's tick if it was already past. */
        private long tick;
        /** Index into the wheel's slot heads, or -1 when not scheduled. */
        private int slot = -1;
        private Entry prev;
        private Entry next;

        /** Whether this entry is in a wheel. */
        public final boolean isScheduled() {
            return slot >= 0;
        }

        /**
         * The deadline (ns) it was last scheduled for: valid while scheduled and during its expiry callback
         * (and {@code Long.MAX_VALUE} if it never was).
         */
        public final long deadline() {
            return deadline;
        }
    }

    private final long tickNanos;
    private final int levels;
    /** Slot list heads, level-major: {@code heads[level * 64 + slot]}. */
    private final Entry[] heads;
    /** Per level, bit {@code s} set when slot {@code s} is non-empty. */
    private final long[] occupied;
    /** The current tick: every entry due before it has fired. */
    private long elapsed;
    private int size;

    /** A wheel with 1 ms ticks. */
    public TimerWheel() {
        this(DEFAULT_TICK_NANOS);
    }

    public TimerWheel(long tickNanos) {
        if (tickNanos <= 0) throw new IllegalArgumentException("tick must be positive");
        this.tickNanos = tickNanos;
        long maxTick = ceilTick(Long.MAX_VALUE - 1, tickNanos);
        int bits = 64 - Long.numberOfLeadingZeros(maxTick);
        this.levels = Math.max(1, (bits + SLOT_BITS - 1) / SLOT_BITS);
        this.heads = new Entry[levels * SLOTS];
        this.occupied = new long[levels];
    }

    public long tickNanos() {
        return tickNanos;
    }

    /** Number of scheduled entries. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Schedules {@code owner} at {@code deadlineNanos}, replacing its previous deadline if it had one.
     * A deadline already past fires at the next {@link #expire}; {@code Long.MAX_VALUE} cancels.
     */
    public void schedule(T owner, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            cancel(owner);
            return;
        }
        Entry e = owner;
        if (e.slot >= 0) unlink(e);
        else size++;
        e.deadline = deadlineNanos;
        e.tick = Math.max(ceilTick(deadlineNanos, tickNanos), elapsed);
        link(e);
    }

    /** Removes {@code owner}'s entry if it has one. */
    public void cancel(T owner) {
        Entry e = owner;
        if (e.slot < 0) return;
        unlink(e);
        size--;
    }

    /**
     * The earliest time (ns) at which {@link #expire} has work, or {@code Long.MAX_VALUE} when empty: the
     * rounded-up deadline of the earliest entry, or a lower bound for entries beyond 64 ticks (see the class
     * comment).
     */
    public long nextDeadline() {
        if (size == 0) return Long.MAX_VALUE;
        long tick = nextExpirationTick();
        return tick > Long.MAX_VALUE / tickNanos ? Long.MAX_VALUE : tick * tickNanos;
    }

    /**
     * Calls {@code fire} for every owner whose rounded deadline is at or before {@code now}, in tick order,
     * removing each before its call (so the callback may reschedule it, or schedule and cancel others).
     * A callback that reschedules at or before {@code now} fires again in this same call.
     */
    @SuppressWarnings("unchecked")
    public void expire(long now, Consumer<? super T> fire) {
        if (now < 0) return;
        long nowTick = now / tickNanos;
        while (size > 0) {
            int level = lowestOccupiedLevel();
            int slot = nextSlot(level);
            long start = slotStart(level, slot);
            if (start > nowTick) break;
            elapsed = start;
            int index = level * SLOTS + slot;
            Entry e;
            while ((e = heads[index]) != null) {
                unlink(e);
                if (e.tick <= elapsed) {
                    size--;
                    fire.accept((T) e);
                } else {
                    link(e); // cascades into a lower level: its tick differs from elapsed only below this level
                }
            }
        }
        if (nowTick > elapsed) elapsed = nowTick;
    }

    // ---- internals ----

    private static long ceilTick(long nanos, long tickNanos) {
        if (nanos <= 0) return 0;
        long q = nanos / tickNanos;
        return nanos % tickNanos == 0 ? q : q + 1;
    }

    /** The level of the highest bit in which {@code tick} differs from {@code elapsed}. */
    private int levelFor(long tick) {
        long masked = (tick ^ elapsed) | SLOT_MASK;
        int significant = 63 - Long.numberOfLeadingZeros(masked);
        return significant / SLOT_BITS;
    }

    private void link(Entry e) {
        int level = levelFor(e.tick);
        int slot = (int) (e.tick >>> (level * SLOT_BITS)) & SLOT_MASK;
        int index = level * SLOTS + slot;
        Entry head = heads[index];
        e.prev = null;
        e.next = head;
        if (head != null) head.prev = e;
        heads[index] = e;
        occupied[level] |= 1L << slot;
        e.slot = index;
    }

    private void unlink(Entry e) {
        int index = e.slot;
        Entry p = e.prev;
        Entry n = e.next;
        if (p == null) {
            heads[index] = n;
            if (n == null) occupied[index >>> SLOT_BITS] &= ~(1L << (index & SLOT_MASK));
        } else {
            p.next = n;
        }
        if (n != null) n.prev = p;
        e.prev = e.next = null;
        e.slot = -1;
    }

    /**
     * The lowest non-empty level. Its earliest slot precedes everything on higher levels: entries there lie
     * in later blocks of 64^level ticks than any entry below.
     */
    private int lowestOccupiedLevel() {
        for (int level = 0; level < levels; level++) {
            if (occupied[level] != 0) return level;
        }
        throw new IllegalStateException("non-empty wheel with no occupied slot");
    }

    /** The first occupied slot of {@code level} at or after the current tick's slot. */
    private int nextSlot(int level) {
        int current = (int) (elapsed >>> (level * SLOT_BITS)) & SLOT_MASK;
        long rotated = Long.rotateRight(occupied[level], current);
        return (Long.numberOfTrailingZeros(rotated) + current) & SLOT_MASK;
    }

    /** The first tick of {@code slot} on {@code level}, in the current block of that level. */
    private long slotStart(int level, int slot) {
        int levelBits = (level + 1) * SLOT_BITS;
        long blockMask = levelBits >= 64 ? -1L : (1L << levelBits) - 1;
        return (elapsed & ~blockMask) + ((long) slot << (level * SLOT_BITS));
    }

    private long nextExpirationTick() {
        int level = lowestOccupiedLevel();
        return slotStart(level, nextSlot(level));
    }
}
