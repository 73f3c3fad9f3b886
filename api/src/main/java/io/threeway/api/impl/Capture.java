package io.threeway.api.impl;

import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The network's capture: packets as their senders transmit them (so a packet the wire loses is still seen, as
 * tcpdump on the sending host sees it), with the name of the host that sent it. It is a ring: it keeps the latest
 * packets up to a number and a total of bytes ({@link #limit}), drops the oldest past either, and counts what it
 * dropped ({@link #dropped()}); a limit of 0 turns it off (nothing copied, only the count). With a snap length
 * ({@link #snapLength}) it keeps only each packet's first bytes, as {@code tcpdump -s}. An evicted packet's array
 * takes the next packet, so a full ring allocates nothing.
 *
 * <p>A packet is only copied as it passes; its {@code tcpdump -tt -nn} line is formatted when someone reads the
 * lines, in the order the packets were sent, by one formatter, so sequence numbers print relative to each
 * connection's first packet that the formatter saw. A packet dropped before anyone read the lines is never
 * formatted: the lines are then those {@code tcpdump -r} prints for the pcap of what is kept ({@link #writePcap}).
 */
public final class Capture implements StackObserver {
    /** The most packets kept unless told otherwise: 200,000. */
    public static final int DEFAULT_PACKETS = 200_000;
    /** The most packet bytes kept unless told otherwise: 64 MiB (about 44,000 packets of 1500 bytes, 1,000 of 64 KiB). */
    public static final long DEFAULT_BYTES = 64L << 20;

    /** Stamps packets with the network's clock. */
    private final LongSupplier clock;
    /** One formatter for the whole network, so sequence numbers print relative to each connection's first packet. */
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    /** The packets kept, oldest first; those with a line are a prefix. */
    private final ArrayDeque<Packet> packets = new ArrayDeque<>();
    /** How many packets at the end of {@link #packets} have no line yet. */
    private int unformatted;
    /** The bytes of the packets kept. */
    private long bytes;
    /** The most packets kept. */
    private int maxPackets = DEFAULT_PACKETS;
    /** The most bytes kept of each packet (tcpdump's snap length); the rest is only counted in its length. */
    private int snapLength = Integer.MAX_VALUE;
    /** Where a packet kept without its end is formatted, zeros standing for what was not kept. */
    private byte[] scratch = new byte[0];
    /** The most packet bytes kept. */
    private long maxBytes = DEFAULT_BYTES;
    /** Packets seen and not kept, or kept and dropped since. */
    private long dropped;

    /** One packet: when, from which host, its bytes kept (all, or the snap length's) and its tcpdump line. */
    public record Entry(long timeNanos, String host, byte[] data, String line) {}

    /** One packet as kept: its array may be longer than the packet (reused from an evicted one). */
    private static final class Packet {
        /** When it was sent (ns of the network's time). */
        long timeNanos;
        /** The name of the host that sent it. */
        String host;
        /** Its bytes kept, from index 0. */
        byte[] data;
        /** How many bytes of it were kept. */
        int captured;
        /** Its length. */
        int length;
        /** Its tcpdump line, once formatted. */
        String line;
    }

    /** A capture stamping packets with {@code clock} (ns). */
    public Capture(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Keeps only the first {@code bytes} of each packet from now on, as {@code tcpdump -s} does: enough for the
     * headers (and the tcpdump lines, which print no payload) without copying the payload.
     */
    public synchronized void snapLength(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("snap length " + bytes + ": at least one byte");
        snapLength = bytes;
    }

    /**
     * Sets how much is kept: the latest {@code packets} packets, at most {@code bytes} bytes of them; the oldest
     * are dropped (and counted) at once if more are kept now. 0 for either keeps nothing.
     */
    public synchronized void limit(int packets, long bytes) {
        if (packets < 0 || bytes < 0) throw new IllegalArgumentException("negative capture limit: " + packets + " packets, " + bytes + " bytes");
        this.maxPackets = packets;
        this.maxBytes = bytes;
        while (!this.packets.isEmpty() && (this.packets.size() > maxPackets || this.bytes > maxBytes)) evictOldest();
    }

    @Override
    public synchronized void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) {
        if (!outbound) return;
        int keep = Math.min(length, snapLength);
        if (keep > maxBytes || maxPackets == 0) {
            dropped++;
            return;
        }
        Packet reuse = null;
        while (packets.size() >= maxPackets || bytes + keep > maxBytes) {
            Packet old = evictOldest();
            if (reuse == null || old.data.length > reuse.data.length) reuse = old;
        }
        Packet p = reuse != null ? reuse : new Packet();
        if (p.data == null || p.data.length < keep) p.data = new byte[keep];
        System.arraycopy(packet, offset, p.data, 0, keep);
        p.captured = keep;
        p.length = length;
        p.timeNanos = clock.getAsLong();
        p.host = stack.name();
        p.line = null;
        packets.addLast(p);
        bytes += keep;
        unformatted++;
    }

    private Packet evictOldest() {
        Packet old = packets.removeFirst();
        bytes -= old.captured;
        if (unformatted > packets.size()) unformatted--;
        dropped++;
        return old;
    }

    /** Formats the lines of the packets kept that have none, oldest first. */
    private void format() {
        if (unformatted == 0) return;
        int skip = packets.size() - unformatted;
        for (Packet p : packets) {
            if (skip-- > 0) continue;
            p.line = formatter.format(whole(p), 0, p.length, p.timeNanos);
        }
        unformatted = 0;
    }

    /** The packet's bytes at its full length: its array, or the scratch with zeros past what was kept. */
    private byte[] whole(Packet p) {
        if (p.captured == p.length) return p.data;
        if (scratch.length < p.length) scratch = new byte[p.length];
        System.arraycopy(p.data, 0, scratch, 0, p.captured);
        Arrays.fill(scratch, p.captured, p.length, (byte) 0);
        return scratch;
    }

    /** The packets kept, oldest first (copies of their bytes kept). */
    public synchronized List<Entry> entries() {
        format();
        List<Entry> out = new ArrayList<>(packets.size());
        for (Packet p : packets) out.add(new Entry(p.timeNanos, p.host, Arrays.copyOf(p.data, p.captured), p.line));
        return out;
    }

    /** Packets not kept: seen while the capture was off or too small for them, or dropped as the oldest since. */
    public synchronized long dropped() {
        return dropped;
    }

    /** The tcpdump lines of the packets kept, oldest first: exactly what {@code tcpdump -tt -nn} prints. */
    public synchronized List<String> lines() {
        format();
        List<String> out = new ArrayList<>(packets.size());
        for (Packet p : packets) out.add(p.line);
        return out;
    }

    /** Writes the packets kept to {@code file} as a raw-IP pcap with nanosecond timestamps. */
    public synchronized void writePcap(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(file); PcapWriter w = new PcapWriter(out)) {
            for (Packet p : packets) w.write(p.data, 0, p.captured, p.length, p.timeNanos);
        }
    }
}
