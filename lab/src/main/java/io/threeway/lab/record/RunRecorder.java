package io.threeway.lab.record;

import io.threeway.host.Stack;
import io.threeway.sim.Simulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records a scenario's run for the web lab and for {@code --series}: give it to the scenario through
 * {@link io.threeway.lab.ScenarioOptions#withRecorder}, and the scenario's {@link io.threeway.lab.Testbed}
 * (or the scenario itself) calls {@link #watch} when its hosts and links are made and {@link #finish} when the
 * variant's run is over. One {@link Recording} per variant.
 *
 * <p>Recording changes nothing in the run: the observers only read, and the simulator's step listener neither
 * schedules events nor calls into hosts, so the scenario's figures and output are the same with and without
 * it. When the run goes past its {@link RecordLimits}, the next step throws {@link RecordingTooLargeException}
 * (with {@code stopWhenFull}), or the recording keeps what it has and says so ({@link Recording#packetsTruncated}).
 */
public final class RunRecorder {
    private final RecordLimits limits;
    private final boolean stopWhenFull;
    private final Map<String, Recording> recordings = new LinkedHashMap<>();
    private final long startedAt = System.nanoTime();
    private long packets;
    private long packetBytes;
    private String overLimit;

    /**
     * @param limits       how much it may hold
     * @param stopWhenFull stop the run (throwing {@link RecordingTooLargeException}) when a limit is reached,
     *                     rather than keep recording what still fits
     */
    public RunRecorder(RecordLimits limits, boolean stopWhenFull) {
        this.limits = limits;
        this.stopWhenFull = stopWhenFull;
    }

    public RecordLimits limits() { return limits; }

    /**
     * Records one variant (again: adds to it): the transitions and arrivals of {@code stacks}, the fate of
     * every packet on every link {@code sim} has now, and every step. Call it as early as the hosts and links
     * exist, and again when more are made.
     */
    public void watch(String variant, Simulator sim, List<Stack> stacks) {
        String name = variant == null ? "" : variant;
        Recording r = recordings.get(name);
        if (r == null) {
            Recording made = new Recording(name, this, sim);
            recordings.put(name, made);
            sim.setStepListener(() -> {
                made.step();
                checkLimits(sim);
            });
            r = made;
        }
        for (Stack s : stacks) r.addStack(s);
        r.watchLinks();
    }

    /** The variant's run is over. */
    public void finish(String variant, Simulator sim) {
        Recording r = recordings.get(variant == null ? "" : variant);
        if (r == null) return;
        sim.setStepListener(null);
        r.finish();
    }

    /** The recordings, one per variant, in the order the variants ran. */
    public List<Recording> recordings() { return new ArrayList<>(recordings.values()); }

    /** Why the run went past its limits, or null. */
    public String overLimit() { return overLimit; }

    /** Counts a packet; false (and remembers why) when it no longer fits. */
    boolean admitPacket(int length) {
        if (packets >= limits.maxPackets()) {
            note(String.format(Locale.ROOT, "the run sent more than %,d packets, the most one recording holds",
                    limits.maxPackets()));
            return false;
        }
        if (packetBytes + length > limits.maxPacketBytes()) {
            note(String.format(Locale.ROOT, "the run sent more than %,d MiB of packets, the most one recording holds",
                    limits.maxPacketBytes() >> 20));
            return false;
        }
        packets++;
        packetBytes += length;
        return true;
    }

    private void note(String why) {
        if (overLimit == null) overLimit = why;
    }

    private void checkLimits(Simulator sim) {
        if (limits.maxWallNanos() != Long.MAX_VALUE && System.nanoTime() - startedAt > limits.maxWallNanos()) {
            note(String.format(Locale.ROOT, "the run took longer than %d s of real time to record",
                    limits.maxWallNanos() / 1_000_000_000L));
        }
        if (stopWhenFull && overLimit != null) {
            throw new RecordingTooLargeException("run too large to record: " + overLimit + " (stopped at "
                    + String.format(Locale.ROOT, "%.3f", sim.now() / 1e9) + " s of virtual time); make it smaller"
                    + " (fewer requests or connections, a shorter duration, less bandwidth)");
        }
    }
}
