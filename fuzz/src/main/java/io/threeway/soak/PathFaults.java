package io.threeway.soak;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkDirection;
import io.threeway.sim.Simulator;
import java.util.SplittableRandom;

/**
 * The faults of one client's path, redrawn every 10 s to 2 min of virtual time and different in each direction: a
 * delay of 0.5 to 150 ms with jitter (in order or not), loss up to 5%, duplication and reordering up to 3%, often a
 * bandwidth limit of 1 to 200 Mbit/s with a drop-tail queue of 10 to 1,000 packets; and in one epoch in four a
 * blackout (every packet lost) of 1 to 20 s. Loss stays at or below 5% and blackouts at or below 20 s so that no
 * conversation may rightly time out: tcp_syn_retries' 6 retries and tcp_retries2's 15 outlast them, so every
 * conversation that does not break off by plan must complete.
 */
final class PathFaults {
    private static final long MS = 1_000_000L;
    /** The simulator that runs the epochs. */
    private final Simulator sim;
    /** The draws. */
    private final SplittableRandom random;
    /** The two directions of the path. */
    private final LinkDirection[] directions;
    /** Blackouts so far. */
    int blackouts;
    /** Epochs so far. */
    int epochs;
    /** No new epoch after {@link #stop}. */
    private boolean stopped;

    PathFaults(Simulator sim, SplittableRandom random, LinkDirection toServer, LinkDirection toClient) {
        this.sim = sim;
        this.random = random;
        this.directions = new LinkDirection[] {toServer, toClient};
    }

    /** The first epoch now, and each next one when the previous ends. */
    void start() {
        epoch();
    }

    /** No new epoch from now on (the run drains under the last one's impairments). */
    void stop() {
        stopped = true;
    }

    private void epoch() {
        if (stopped) return;
        epochs++;
        long delay = (long) (500_000 * Math.pow(300, random.nextDouble())); // 0.5 to 150 ms, log-uniform
        for (LinkDirection d : directions) d.reconfigure(draw(delay));
        long length = random.nextLong(10_000 * MS, 120_000 * MS);
        if (random.nextInt(4) == 0) {
            long at = random.nextLong(length);
            long blackout = random.nextLong(1_000 * MS, 20_000 * MS);
            sim.schedule(sim.now() + at, () -> blackout(blackout));
        }
        sim.schedule(sim.now() + length, this::epoch);
    }

    /** One direction's impairments for an epoch with a one-way delay near {@code delay}. */
    private LinkConfig draw(long delay) {
        LinkConfig.Builder b = LinkConfig.builder().delayNanos(delay);
        if (random.nextBoolean()) b.jitterNanos(random.nextLong(delay / 4 + 1)).keepOrder(random.nextBoolean());
        if (random.nextInt(3) > 0) b.loss(random.nextDouble() * 0.05);
        if (random.nextInt(3) == 0) b.duplicate(random.nextDouble() * 0.03);
        if (random.nextInt(3) == 0) b.reorder(random.nextDouble() * 0.03);
        if (random.nextBoolean()) {
            int packets = random.nextInt(10, 1000);
            b.bandwidth(random.nextLong(1_000_000, 200_000_000)).queuePackets(packets).queueLimit(packets * 1500);
        }
        return b.build();
    }

    /** Every packet lost for {@code length}, both ways, then the epoch's impairments again. */
    private void blackout(long length) {
        blackouts++;
        LinkConfig[] before = new LinkConfig[directions.length];
        for (int i = 0; i < directions.length; i++) {
            before[i] = directions[i].config();
            directions[i].reconfigure(before[i].toBuilder().loss(1).build());
        }
        sim.schedule(sim.now() + length, () -> {
            for (int i = 0; i < directions.length; i++) {
                // a new epoch may have begun meanwhile: end the blackout on whatever is configured now
                LinkConfig now = directions[i].config();
                if (now.loss() == 1) directions[i].reconfigure(now.toBuilder().loss(before[i].loss()).build());
            }
        });
    }
}
