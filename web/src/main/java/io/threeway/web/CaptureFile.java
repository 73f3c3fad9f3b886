package io.threeway.web;

import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.trace.PcapWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Capture files in and out: a pcap (the real tcpdump's, or Threeway's) read into a trace, and a recorded
 * variant written as a pcap.
 */
final class CaptureFile {
    /** Packets read from one file at most, as a run holds. */
    static final int MAX_PACKETS = 150_000;

    private CaptureFile() {}

    /** Reads {@code bytes} as a pcap; BadRequestException with the reason when it is not one. */
    static Trace read(String name, byte[] bytes) {
        List<TracePacket> packets = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        List<long[]> events = new ArrayList<>();
        long first = -1;
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(bytes))) {
            PcapPacket p;
            while ((p = r.next()) != null) {
                if (packets.size() >= MAX_PACKETS) {
                    throw new BadRequestException(name + " holds more than " + MAX_PACKETS + " packets, the most the"
                            + " lab draws from one file; cut it with tcpdump -r FILE -c N -w SMALLER");
                }
                Segment s = Segment.parse(p.data());
                if (!s.tcp()) continue;
                if (first < 0) first = p.timeNanos();
                long t = p.timeNanos() - first;
                // Hosts by address; by address and port when both ends share one (a capture on loopback).
                boolean same = s.src().equals(s.dst());
                String from = same ? s.src() + ":" + s.sport() : s.src();
                String to = same ? s.dst() + ":" + s.dport() : s.dst();
                hosts.add(from);
                hosts.add(to);
                events.add(new long[] {t, 0, packets.size()});
                packets.add(new TracePacket(from, to, t, t, false, "delivered", "captured", p.data(), null));
            }
        } catch (IOException e) {
            throw new BadRequestException(name + " is not a pcap file Threeway can read: " + e.getMessage());
        }
        if (packets.isEmpty()) throw new BadRequestException(name + " holds no TCP packets");
        List<String> notes = List.of("A capture file: one vantage point, so arrows are drawn at the time the capture"
                + " saw each packet, with no flight time; times are from the first packet.");
        return new Trace(name, new ArrayList<>(hosts), packets, events, List.of(), List.of(), List.of(), List.of(),
                notes, Map.of(), 0);
    }

    /** The variant's packets as a raw-IP pcap, each at the time it was sent (dropped ones included). */
    static byte[] write(Trace t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out)) {
            for (TracePacket p : t.packets()) w.write(p.data(), 0, p.data().length, p.sent());
        }
        return out.toByteArray();
    }
}
