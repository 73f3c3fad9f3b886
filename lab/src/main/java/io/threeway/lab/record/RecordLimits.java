package io.threeway.lab.record;

/**
 * How much one recording may hold, so that a run too large for a browser (or for memory) is stopped with a
 * clear message instead of growing without bound.
 *
 * @param maxPackets       packets recorded per run, all variants together
 * @param maxPacketBytes   bytes of packets kept per run
 * @param maxSnapshotRows  socket-table rows kept across all the tools' snapshots; past it snapshots thin out
 *                         (every second step, then every fourth...), and each says which step it shows
 * @param maxWallNanos     real time a recorded run may take
 */
public record RecordLimits(int maxPackets, long maxPacketBytes, long maxSnapshotRows, long maxWallNanos) {

    /** What the web lab allows: 150,000 packets, 128 MiB of them, 2 million snapshot rows, 120 s. */
    public static final RecordLimits WEB = new RecordLimits(150_000, 128L << 20, 2_000_000, 120_000_000_000L);

    /** For {@code --series}: no packets kept beyond the bound, no wall-clock bound. */
    public static final RecordLimits SERIES = new RecordLimits(2_000_000, 256L << 20, 0, Long.MAX_VALUE);

    public RecordLimits {
        if (maxPackets < 0 || maxPacketBytes < 0 || maxSnapshotRows < 0 || maxWallNanos <= 0) {
            throw new IllegalArgumentException("record limits must not be negative");
        }
    }
}
