package io.threeway.lab;

import io.threeway.host.Stack;
import io.threeway.sim.Simulator;
import io.threeway.tools.HostSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The moments of a run that the tools ({@code ss}, {@code nstat}) print: every host of every variant, copied
 * at a chosen virtual time, or at the end of the run when none is chosen or the run ended first. A
 * scenario never stops for it: the copy is an event on the simulator at that time, so the run, and its
 * figures, stay what they are.
 */
public final class Moments {
    private final long at;
    private final long since;
    private final Map<String, HostSnapshot> captured = new LinkedHashMap<>();
    private final Map<String, HostSnapshot> earlier = new LinkedHashMap<>();

    /**
     * @param at    the virtual time to copy the hosts at (ns), or -1 for the end of the run
     * @param since an earlier virtual time to copy them at too (nstat's increments), or -1
     */
    public Moments(long at, long since) {
        this.at = at;
        this.since = since;
    }

    /** Copies at the end of each run only. */
    public static Moments atEnd() {
        return new Moments(-1, -1);
    }

    public long at() { return at; }

    /** Arranges the copies of {@code stacks} (named {@code variant/stack}, or the stack's name alone) on {@code sim}. */
    public void watch(String variant, Simulator sim, List<Stack> stacks) {
        if (at >= 0) sim.schedule(at, () -> copy(captured, variant, sim.now(), stacks));
        if (since >= 0) sim.schedule(since, () -> copy(earlier, variant, sim.now(), stacks));
    }

    /** The run of {@code variant} is over: copies the hosts that no chosen moment copied. */
    public void finish(String variant, long now, List<Stack> stacks) {
        List<Stack> left = new ArrayList<>();
        for (Stack s : stacks) if (!captured.containsKey(key(variant, s))) left.add(s);
        copy(captured, variant, now, left);
    }

    private static void copy(Map<String, HostSnapshot> into, String variant, long now, List<Stack> stacks) {
        for (Stack s : stacks) into.put(key(variant, s), HostSnapshot.of(key(variant, s), s, now));
    }

    private static String key(String variant, Stack s) {
        return variant == null || variant.isEmpty() ? s.name() : variant + "/" + s.name();
    }

    /** The copies, in the order the hosts were created. */
    public List<HostSnapshot> snapshots() { return List.copyOf(captured.values()); }

    /** The copy of the same host at the {@code since} moment, or null. */
    public HostSnapshot earlier(String host) { return earlier.get(host); }
}
