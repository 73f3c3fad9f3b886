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
 * tcpdump on the sending host sees it), with the name of the host that sent it and, when asked for, its
 * {@code tcpdump -tt -nn} line. Up to {@link #LIMIT} packets are kept; past that only a count.
 *
 * <p>A packet is only copied as it passes; its line is formatted when someone reads the lines (issue 12: tracing
 * formats only when someone listens), in the order the packets were sent, by one formatter, so the lines are
 * those an eager capture would have printed.
 */
public final class Capture implements StackObserver {
    /** The most packets kept (about 300 MB of 1500-byte packets; more with larger MTUs). */
    public static final int LIMIT = 200_000;

    /** Stamps packets with the network's clock. */
    private final LongSupplier clock;
    /** One formatter for the whole network, so sequence numbers print relative to each connection's ISN. */
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    /** The packets kept, in the order sent. */
    private final List<Packet> packets = new ArrayList<>();
    /** The tcpdump lines of the first packets, formatted so far. */
    private final List<String> lines = new ArrayList<>();
    /** Packets seen past {@link #LIMIT}. */
    private long dropped;

    /** One packet: when, from which host, its bytes and its tcpdump line. */
    public record Entry(long timeNanos, String host, byte[] data, String line) {}

    /** One packet as kept: when, from which host, its bytes. */
    private record Packet(long timeNanos, String host, byte[] data) {}

    /** A capture stamping packets with {@code clock} (ns). */
    public Capture(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) {
        if (!outbound) return;
        if (packets.size() >= LIMIT) {
            dropped++;
            return;
        }
        packets.add(new Packet(clock.getAsLong(), stack.name(), Arrays.copyOfRange(packet, offset, offset + length)));
    }

    /** Formats the lines of the packets kept since the last call. */
    private void format() {
        for (int i = lines.size(); i < packets.size(); i++) {
            Packet p = packets.get(i);
            lines.add(formatter.format(p.data(), 0, p.data().length, p.timeNanos()));
        }
    }

    /** The packets kept so far. */
    public synchronized List<Entry> entries() {
        format();
        List<Entry> out = new ArrayList<>(packets.size());
        for (int i = 0; i < packets.size(); i++) {
            Packet p = packets.get(i);
            out.add(new Entry(p.timeNanos(), p.host(), p.data(), lines.get(i)));
        }
        return List.copyOf(out);
    }

    /** Packets not kept because the capture was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** The tcpdump lines, each prefixed with nothing: exactly what {@code tcpdump -tt -nn} prints. */
    public synchronized List<String> lines() {
        format();
        return new ArrayList<>(lines);
    }

    /** Writes the packets kept to {@code file} as a raw-IP pcap with nanosecond timestamps. */
    public synchronized void writePcap(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(file); PcapWriter w = new PcapWriter(out)) {
            for (Packet p : packets) w.write(p.data(), 0, p.data().length, p.timeNanos());
        }
    }
}
