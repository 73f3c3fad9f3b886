package io.threeway.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One packet taken apart for the segment inspector: every IP and TCP header field with its bytes, the raw
 * bytes in hex, and the arithmetic behind the numbers in words (the acknowledgment as the peer's ISN + 1 +
 * bytes received; the window times 2^scale; timestamps; a SYN cookie's layout).
 */
final class Inspector {
    private Inspector() {}

    static Map<String, Object> inspect(TraceView v, int index) {
        TracePacket p = v.trace().packets().get(index);
        Segment s = v.segments().get(index);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", index);
        m.put("line", v.line(index));
        m.put("hex", Bytes.hex(p.data()));
        m.put("fate", p.why());
        List<Field> fields = new ArrayList<>();
        HeaderFields.ip(p.data(), fields);
        if (s.tcp()) HeaderFields.tcp(p.data(), s.tcpAt(), fields);
        m.put("fields", fields);
        m.put("explain", s.tcp() ? explain(v, index, s) : List.of("Not a TCP segment."));
        return m;
    }

    /** The arithmetic, one sentence each, with the field each sentence is about. */
    private static List<Map<String, String>> explain(TraceView v, int index, Segment s) {
        Conversations.Role r = v.conversations().roles.get(index);
        Conversations.Conv c = v.conversations().convs.get(r.conv());
        String me = r.dir() == 0 ? c.aHost : c.bHost;
        String peer = r.dir() == 0 ? c.bHost : c.aHost;
        long myIsn = c.isn[r.dir()];
        long peerIsn = c.isn[1 - r.dir()];
        List<Map<String, String>> out = new ArrayList<>();
        if (s.has(Segment.SYN)) {
            boolean cookie = s.has(Segment.ACK) && v.isCookie(index);
            say(out, "Sequence Number", String.format(Locale.ROOT, "seq = %d: %s's initial sequence number (ISN), %s."
                    + " The SYN itself takes one number, so %s's first data byte will be %d.", s.seq(), me,
                    cookie ? "a SYN cookie (taken apart below), not a random number" : "chosen at random (RFC 6528)",
                    me, (s.seq() + 1) & 0xFFFFFFFFL));
        } else if (s.seqLength() > 0) {
            say(out, "Sequence Number", String.format(Locale.ROOT, "seq = %d = %s's ISN %d + 1 + %d: this segment"
                    + " carries bytes %d to %d of %s's stream (relative %d:%d).", s.seq(), me, myIsn,
                    r.relSeq() - 1, r.relSeq(), r.relSeq() + s.payload() - 1, me, r.relSeq(), r.relSeq() + s.payload()));
        }
        if (s.has(Segment.ACK) && peerIsn >= 0) {
            long rel = r.relAck();
            long bytes = Math.max(0, rel - 1);
            say(out, "Acknowledgment Number", String.format(Locale.ROOT, "ack = %d = %s's ISN %d + 1%s: %s has"
                    + " received everything %s sent up to there and expects byte %d next.", s.ack(), peer, peerIsn,
                    bytes > 0 ? " + " + bytes + " bytes received" : " (the SYN counts as one)", me, peer, rel));
        }
        int scale = s.has(Segment.SYN) ? 0 : c.scaleFor(r.dir());
        if (s.has(Segment.SYN)) {
            say(out, "Window", String.format(Locale.ROOT, "window = %d bytes: never scaled in a SYN (RFC 7323"
                    + " §2.2).%s", s.window(), s.wscale() >= 0 ? " The wscale option offers a shift of " + s.wscale()
                    + ": later windows from " + me + " mean window × 2^" + s.wscale() + "." : ""));
        } else {
            say(out, "Window", String.format(Locale.ROOT, "window = %d × 2^%d = %,d bytes that %s can still"
                    + " receive%s.", s.window(), scale, (long) s.window() << scale, me,
                    scale == 0 ? " (no window scaling agreed)" : ""));
        }
        if (s.tsVal() >= 0) {
            say(out, "Timestamps", String.format(Locale.ROOT, "TSval %d is %s's clock (ms ticks, offset per"
                    + " connection); TSecr %d echoes the last TSval %s received from %s, so when the echo comes back"
                    + " %s can measure the round trip, even on retransmissions (RFC 7323 §4), and PAWS can discard"
                    + " old duplicates.", s.tsVal(), me, s.tsEcr(), me, peer, peer));
        }
        if (s.mss() >= 0) {
            say(out, "Maximum Segment Size", String.format(Locale.ROOT, "MSS %d: the largest segment %s accepts"
                    + " (MTU minus %d bytes of IP and TCP headers).", s.mss(), me, s.v6() ? 60 : 40));
        }
        if (s.has(Segment.SYN) && s.has(Segment.ACK) && v.isCookie(index)) {
            SynCookieText.addTo(out, SynCookieText.synAck(v, index));
        }
        int cookie = SynCookieText.cookieReturnedBy(v, index);
        if (cookie >= 0) SynCookieText.addTo(out, SynCookieText.returningAck(v, index, cookie));
        return out;
    }

    private static void say(List<Map<String, String>> out, String field, String text) {
        out.add(Map.of("field", field, "text", text));
    }
}
