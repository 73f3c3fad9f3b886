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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The network's capture: every packet as its sender transmits it (so a packet the wire loses is still seen, as
 * tcpdump on the sending host sees it), each with its {@code tcpdump -tt -nn} line and the name of the host that
 * sent it. Up to {@link #LIMIT} packets are kept; past that only a count.
 */
public final class Capture implements StackObserver {
    /** The most packets kept (about 300 MB of full-size packets at worst). */
    public static final int LIMIT = 200_000;

    /** Stamps packets with the network's clock. */
    private final LongSupplier clock;
    /** One formatter for the whole network, so sequence numbers print relative to each connection's ISN. */
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    /** The packets kept, in the order sent. */
    private final List<Entry> entries = new ArrayList<>();
    /** Packets seen past {@link #LIMIT}. */
    private long dropped;

    /** One packet: when, from which host, its bytes and its tcpdump line. */
    public record Entry(long timeNanos, String host, byte[] data, String line) {}

    /** A capture stamping packets with {@code clock} (ns). */
    public Capture(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) {
        if (!outbound) return;
        if (entries.size() >= LIMIT) {
            dropped++;
            return;
        }
        long t = clock.getAsLong();
        byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
        entries.add(new Entry(t, stack.name(), copy, formatter.format(copy, 0, length, t)));
    }

    /** The packets kept so far. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Packets not kept because the capture was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** The tcpdump lines, each prefixed with nothing: exactly what {@code tcpdump -tt -nn} prints. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>(entries.size());
        for (Entry e : entries) out.add(e.line());
        return out;
    }

    /** Writes the packets kept to {@code file} as a raw-IP pcap with nanosecond timestamps. */
    public synchronized void writePcap(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(file); PcapWriter w = new PcapWriter(out)) {
            for (Entry e : entries) w.write(e.data(), 0, e.data().length, e.timeNanos());
        }
    }
}
