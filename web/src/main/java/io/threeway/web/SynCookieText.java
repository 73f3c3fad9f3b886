package io.threeway.web;

import io.threeway.host.SynCookieFields;
import io.threeway.host.SynCookieReader;
import io.threeway.tcp.CookieTimestamp;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A SYN cookie taken apart in words (RFC 4987 §3.6, Linux's __cookie_v4_init_sequence and __cookie_v4_check),
 * field by field as the server computes it: a recorded run knows the server's secrets
 * ({@link SynCookieReader}), so H1, the minute counter, H2, the MSS index and the options in TSval's low bits
 * are all decoded, and the ACK that brings the cookie back is checked as the server checks it. A capture has
 * no secrets: then only the layout is told.
 */
final class SynCookieText {
    /** The cookie's minute counter ticks every 60 s. */
    private static final long MINUTE = 60_000_000_000L;

    private SynCookieText() {}

    /** The sentences for the cookie SYN-ACK at {@code index}: [field, text] pairs. */
    static List<String[]> synAck(TraceView v, int index) {
        TracePacket p = v.trace().packets().get(index);
        Segment s = v.segments().get(index);
        List<String[]> out = new ArrayList<>();
        SynCookieReader reader = v.trace().cookies().get(p.from());
        if (reader == null) {
            out.add(new String[] {"Sequence Number", layoutOnly(p.sent())});
            return out;
        }
        FourTuple t = serverView(s);
        Segment syn = theSyn(v, index, s);
        int mssOffered = syn != null && syn.mss() > 0 ? syn.mss() : 536;
        SynCookieFields f = reader.read(t, (int) s.seq(), (int) (s.ack() - 1), p.sent() + v.trace().clockOffset());
        out.add(new String[] {"Sequence Number", String.format(Locale.ROOT, "This SYN-ACK's ISN is a SYN cookie: the"
                + " listener kept no state. Decoded with %s's secrets, as the server checks it: ISN %d = H1 0x%08x"
                + " (SipHash-2-4 of the four-tuple under the first secret) + the client's ISN %d + (count %d << 24)"
                + " + ((H2 0x%08x (SipHash-2-4 of the four-tuple and the count under the second secret) + MSS index"
                + " %d) mod 2^24), all mod 2^32.", p.from(), s.seq(), f.h1(), (s.ack() - 1) & 0xFFFFFFFFL,
                f.countBits(), f.h2(), f.mssIndex())});
        out.add(new String[] {"Sequence Number", String.format(Locale.ROOT, "count %d: the minute counter (the"
                + " server's clock / 60 s) when the cookie was made, the top 8 bits of ISN - H1 - the client's ISN."
                + " The low 24 bits less H2 leave %d, %s %s; it stands for MSS %d, the largest of %s not above the"
                + " SYN's MSS %d. A forged ACK would need H2, which only the server can compute.", f.count(),
                f.mssIndex(), f.mssIndex() < f.mssTable().length ? "an index into" : "NOT an index into",
                "Linux's table (the hash check)", f.mss(), Arrays.toString(f.mssTable()), mssOffered)});
        if (s.tsVal() >= 0) {
            String offered = syn == null ? "" : String.format(Locale.ROOT, " The SYN offered window scale %s and SACK"
                    + " %s.", syn.wscale() < 0 ? "none" : Integer.toString(syn.wscale()),
                    syn.sackOk() ? "permitted" : "not permitted");
            out.add(new String[] {"Timestamps", timestampBits("TSval", s.tsVal()) + offered});
        }
        return out;
    }

    /** The sentences for an ACK that brings a cookie back (its SYN-ACK at {@code synAck}), or none. */
    static List<String[]> returningAck(TraceView v, int index, int synAck) {
        TracePacket p = v.trace().packets().get(index);
        Segment s = v.segments().get(index);
        SynCookieReader reader = v.trace().cookies().get(p.to());
        List<String[]> out = new ArrayList<>();
        if (reader == null || p.arrival() < 0) return out;
        FourTuple t = serverView(v.segments().get(synAck));
        long at = p.arrival() + v.trace().clockOffset();
        SynCookieFields f = reader.read(t, (int) (s.ack() - 1), (int) (s.seq() - 1), at);
        out.add(new String[] {"Acknowledgment Number", String.format(Locale.ROOT, "This ACK brings the SYN cookie"
                + " back: ack - 1 = %d. %s checks it on arrival (minute %d): made in minute %d, age %d %s %d"
                + " minutes; the low 24 bits less H2 0x%08x leave MSS index %d: %s.", (s.ack() - 1) & 0xFFFFFFFFL,
                p.to(), at / MINUTE, f.count(), f.age(), f.age() < f.maxAge() ? "<" : ">=", f.maxAge(), f.h2(),
                f.mssIndex(), f.valid() ? "valid, so the server creates the connection now with MSS " + f.mss()
                        : "the cookie fails (SyncookiesFailed) and the ACK is answered as a stray")});
        if (s.tsEcr() >= 0) out.add(new String[] {"Timestamps", timestampBits("TSecr", s.tsEcr())});
        return out;
    }

    /** The options Linux's cookie_init_timestamp folds into the low six bits of a cookie's TSval. */
    private static String timestampBits(String field, long ts) {
        int ws = CookieTimestamp.windowScale(ts);
        return String.format(Locale.ROOT, "%s %d carries the SYN's options in its low six bits (Linux's"
                + " cookie_init_timestamp), since the listener keeps none: 0b%s = window scale %s (bits 0-3, 15 for"
                + " none), SACK %s (bit 4), ECN %s (bit 5).", field, ts,
                String.format(Locale.ROOT, "%6s", Long.toBinaryString(ts & CookieTimestamp.MASK)).replace(' ', '0'),
                ws < 0 ? "none" : Integer.toString(ws), CookieTimestamp.sack(ts) ? "permitted" : "not permitted",
                CookieTimestamp.ecn(ts) ? "agreed" : "not agreed");
    }

    /** The cookie SYN-ACK an ACK at {@code index} brings back, or -1. */
    static int cookieReturnedBy(TraceView v, int index) {
        Segment s = v.segments().get(index);
        if (!s.tcp() || s.has(Segment.SYN) || !s.has(Segment.ACK) || v.cookieSynAcks().isEmpty()) return -1;
        Conversations.Role r = v.conversations().roles.get(index);
        for (int j : v.cookieSynAcks()) {
            if (j >= index) break;
            Conversations.Role rj = v.conversations().roles.get(j);
            Segment sj = v.segments().get(j);
            if (rj.conv() == r.conv() && rj.dir() != r.dir() && ((sj.seq() + 1) & 0xFFFFFFFFL) == s.ack()
                    && sj.ack() == s.seq()) {
                return j;
            }
        }
        return -1;
    }

    private static FourTuple serverView(Segment synAck) {
        return new FourTuple(IpAddress.parse(synAck.src()), synAck.sport(), IpAddress.parse(synAck.dst()),
                synAck.dport());
    }

    /** The SYN this SYN-ACK answers, or null when the trace does not hold it. */
    private static Segment theSyn(TraceView v, int index, Segment synAck) {
        Conversations.Role r = v.conversations().roles.get(index);
        for (int i = index - 1; i >= 0; i--) {
            Segment s = v.segments().get(i);
            Conversations.Role ri = v.conversations().roles.get(i);
            if (ri.conv() == r.conv() && ri.dir() != r.dir() && s.has(Segment.SYN) && !s.has(Segment.ACK)
                    && ((s.seq() + 1) & 0xFFFFFFFFL) == synAck.ack()) {
                return s;
            }
        }
        return null;
    }

    private static String layoutOnly(long time) {
        return String.format(Locale.ROOT, "This SYN-ACK's ISN is a SYN cookie: the listener kept no state."
                + " ISN = H1(four-tuple) + client's ISN + (count << 24) + ((H2(four-tuple, count) + MSS index) mod"
                + " 2^24), with count = minute %d; H1 and H2 are keyed hashes only the server can compute.",
                time / MINUTE);
    }

    /** Adds [field, text] pairs to the inspector's list. */
    static void addTo(List<Map<String, String>> out, List<String[]> sentences) {
        for (String[] s : sentences) out.add(Map.of("field", s[0], "text", s[1]));
    }
}
