package io.threeway.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayDeque;

/**
 * The TCP conversations in a list of packets, and what each packet is within its conversation, as tcptrace
 * and Wireshark's analysis read a capture: sequence and acknowledgment numbers relative to each direction's
 * ISN, retransmissions (a segment covering sequence space already sent), probes (an empty segment one below
 * the highest sequence sent: a keepalive, or a zero-window probe when the peer's window was closed), and RTT
 * samples (a segment to the first ACK that covers it, never from a retransmitted one: Karn's rule).
 */
final class Conversations {
    /** One conversation: its two ends as first seen (a sent the first packet). */
    static final class Conv {
        final int id;
        final String aHost;
        final String bHost;
        final String aAddr;
        final int aPort;
        final String bAddr;
        final int bPort;
        /** Per direction (0: a to b, 1: b to a): ISN, or -1 until a SYN is seen. */
        final long[] isn = {-1, -1};
        /** Per direction: the window scale its sender announced, or -1. */
        final int[] wscale = {-1, -1};
        /** Per direction: the highest sequence number sent plus its length (unsigned, unwrapped), or -1. */
        final long[] maxEnd = {-1, -1};
        /** Per direction: the last window the sender advertised, scaled. */
        final long[] lastWindow = {-1, -1};
        /** Per direction: segments sent and not yet covered by an ACK: {end, time, retransmitted}. */
        final List<ArrayDeque<long[]>> outstanding = List.of(new ArrayDeque<>(), new ArrayDeque<>());

        Conv(int id, String aHost, String bHost, Segment s) {
            this.id = id;
            this.aHost = aHost;
            this.bHost = bHost;
            this.aAddr = s.src();
            this.aPort = s.sport();
            this.bAddr = s.dst();
            this.bPort = s.dport();
        }

        /** Both directions' scale is known (the handshake agreed), so windows after the SYNs are scaled. */
        int scaleFor(int dir) { return wscale[0] >= 0 && wscale[1] >= 0 ? wscale[dir] : 0; }
    }

    /**
     * What one packet is within its conversation; conv is -1 for a packet that is not TCP. {@code ackAbsolute}:
     * the peer's ISN was not known yet, so {@code relAck} is the acknowledgment number as carried.
     */
    record Role(int conv, int dir, long relSeq, long relAck, long scaledWindow, boolean retrans, String probe,
                boolean ackAbsolute) {}

    /** An RTT sample: when the ACK arrived, the conversation and direction of the data, and the RTT. */
    record RttSample(long time, int conv, int dir, long rtt) {}

    final List<Conv> convs = new ArrayList<>();
    final List<Role> roles = new ArrayList<>();
    final List<RttSample> rtts = new ArrayList<>();
    private final Map<String, Conv> byKey = new HashMap<>();

    /** Reads {@code packets} (parsed as {@code segments}) in order. */
    static Conversations of(List<TracePacket> packets, List<Segment> segments) {
        Conversations c = new Conversations();
        for (int i = 0; i < packets.size(); i++) c.add(packets.get(i), segments.get(i));
        return c;
    }

    private void add(TracePacket p, Segment s) {
        if (!s.tcp()) {
            roles.add(new Role(-1, 0, 0, 0, 0, false, null, false));
            return;
        }
        String fwd = s.src() + "." + s.sport() + ">" + s.dst() + "." + s.dport();
        String rev = s.dst() + "." + s.dport() + ">" + s.src() + "." + s.sport();
        Conv c = byKey.get(fwd);
        int dir = 0;
        if (c == null) {
            c = byKey.get(rev);
            dir = 1;
        }
        if (c == null || (s.has(Segment.SYN) && !s.has(Segment.ACK) && c.isn[0] >= 0 && c.isn[0] != s.seq()
                && dir == 0 && c.maxEnd[1] >= 0)) {
            c = new Conv(convs.size(), p.from(), p.to(), s);
            convs.add(c);
            byKey.put(fwd, c);
            byKey.remove(rev);
            dir = 0;
        }
        roles.add(role(c, dir, p, s));
    }

    private Role role(Conv c, int dir, TracePacket p, Segment s) {
        if (s.has(Segment.SYN)) {
            if (c.isn[dir] < 0) c.isn[dir] = s.seq();
            c.wscale[dir] = s.wscale();
        }
        if (c.isn[dir] < 0) c.isn[dir] = s.seq(); // joined mid-stream: tcpdump also takes the first seen
        long relSeq = (s.seq() - c.isn[dir]) & 0xFFFFFFFFL;
        boolean ackAbsolute = c.isn[1 - dir] < 0;
        long relAck = ackAbsolute ? s.ack() : (s.ack() - c.isn[1 - dir]) & 0xFFFFFFFFL;
        long end = relSeq + s.seqLength();
        boolean retrans = false;
        String probe = null;
        if (s.seqLength() > 0) {
            retrans = c.maxEnd[dir] >= 0 && relSeq < c.maxEnd[dir];
        } else if (!s.has(Segment.RST) && c.maxEnd[dir] > 0 && relSeq == c.maxEnd[dir] - 1) {
            probe = c.lastWindow[1 - dir] == 0 ? "zero-window probe" : "keepalive";
        }
        if (s.seqLength() > 0) c.outstanding.get(dir).add(new long[] {end, p.sent(), retrans ? 1 : 0});
        if (retrans) markRetransmitted(c.outstanding.get(dir), relSeq, end);
        c.maxEnd[dir] = Math.max(c.maxEnd[dir], end);
        long window = s.has(Segment.SYN) ? s.window() : (long) s.window() << c.scaleFor(dir);
        c.lastWindow[dir] = window;
        if (s.has(Segment.ACK) && c.isn[1 - dir] >= 0) sample(c, 1 - dir, relAck, p);
        return new Role(c.id, dir, relSeq, relAck, window, retrans, probe, ackAbsolute);
    }

    private static void markRetransmitted(ArrayDeque<long[]> out, long start, long end) {
        for (long[] o : out) if (o[0] > start && o[0] <= end) o[2] = 1;
    }

    /** An ACK for direction {@code dataDir} up to {@code ack}: the newest segment it covers gives a sample. */
    private void sample(Conv c, int dataDir, long ack, TracePacket p) {
        ArrayDeque<long[]> out = c.outstanding.get(dataDir);
        long[] newest = null;
        while (!out.isEmpty() && out.peekFirst()[0] <= ack) newest = out.pollFirst();
        if (newest == null || newest[2] != 0) return;
        long at = p.arrival() >= 0 ? p.arrival() : p.sent();
        rtts.add(new RttSample(at, c.id, dataDir, at - newest[1]));
    }
}
