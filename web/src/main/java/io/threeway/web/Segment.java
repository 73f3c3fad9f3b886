package io.threeway.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The TCP/IP fields of one packet that the views need, read from its bytes: addresses and ports, flags,
 * numbers, window and options. Parsing never throws: {@link #tcp} is false for anything that is not a
 * whole TCP header.
 *
 * @param tcp     a complete IPv4 or IPv6 TCP header was found
 * @param v6      IPv6
 * @param src     source address as text
 * @param dst     destination address as text
 * @param sport   source port
 * @param dport   destination port
 * @param flags   the TCP flag bits (FIN 0x01 ... CWR 0x80)
 * @param seq     sequence number, unsigned
 * @param ack     acknowledgment number, unsigned
 * @param window  the window field as carried (unscaled)
 * @param payload payload bytes
 * @param tcpAt   offset of the TCP header
 * @param mss     MSS option, or -1
 * @param wscale  window scale option, or -1
 * @param sackOk  SACK-permitted option present
 * @param tsVal   TSval, or -1
 * @param tsEcr   TSecr, or -1
 * @param sack    SACK blocks as unsigned [left, right] pairs
 * @param fastOpen a Fast Open option (34) is present
 */
public record Segment(boolean tcp, boolean v6, String src, String dst, int sport, int dport, int flags, long seq,
                      long ack, int window, int payload, int tcpAt, int mss, int wscale, boolean sackOk, long tsVal,
                      long tsEcr, List<long[]> sack, boolean fastOpen) {

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;
    private static final Segment NONE = new Segment(false, false, "", "", 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, false, -1,
            -1, List.of(), false);

    public boolean has(int flag) { return (flags & flag) != 0; }

    /** Sequence space the segment takes: payload, plus one each for SYN and FIN. */
    public long seqLength() { return payload + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0); }

    /** tcpdump's flag letters: {@code S}, {@code S.}, {@code P.}, {@code F.}, {@code R}... */
    public String flagText() {
        StringBuilder b = new StringBuilder();
        if (has(SYN)) b.append('S');
        if (has(FIN)) b.append('F');
        if ((flags & 0x08) != 0) b.append('P');
        if (has(RST)) b.append('R');
        if ((flags & 0x20) != 0) b.append('U');
        if ((flags & 0x40) != 0) b.append('E');
        if ((flags & 0x80) != 0) b.append('W');
        if (has(ACK)) b.append('.');
        return b.isEmpty() ? "none" : b.toString();
    }

    /** Reads the packet {@code p}. */
    public static Segment parse(byte[] p) {
        if (p == null || p.length < 20) return NONE;
        int version = (p[0] & 0xFF) >>> 4;
        boolean v6;
        int tcp;
        String src;
        String dst;
        if (version == 4) {
            if ((p[9] & 0xFF) != 6) return NONE;
            v6 = false;
            tcp = (p[0] & 0x0F) * 4;
            src = Bytes.v4(p, 12);
            dst = Bytes.v4(p, 16);
        } else if (version == 6 && p.length >= 40 && (p[6] & 0xFF) == 6) {
            v6 = true;
            tcp = 40;
            src = Bytes.v6(p, 8);
            dst = Bytes.v6(p, 24);
        } else {
            return NONE;
        }
        if (p.length < tcp + 20) return NONE;
        int dataOffset = ((p[tcp + 12] & 0xFF) >>> 4) * 4;
        if (dataOffset < 20 || p.length < tcp + dataOffset) return NONE;
        int total = v6 ? 40 + Bytes.u16(p, 4) : Bytes.u16(p, 2);
        // From the IP header's length: a capture cut at its snap length still says how much data there was.
        int payload = Math.max(0, total - tcp - dataOffset);
        Options o = new Options();
        o.read(p, tcp + 20, tcp + dataOffset);
        return new Segment(true, v6, src, dst, Bytes.u16(p, tcp), Bytes.u16(p, tcp + 2), p[tcp + 13] & 0xFF,
                Bytes.u32(p, tcp + 4), Bytes.u32(p, tcp + 8), Bytes.u16(p, tcp + 14), payload, tcp, o.mss, o.wscale,
                o.sackOk, o.tsVal, o.tsEcr, o.sack, o.fastOpen);
    }

    /** The options read from a TCP header. */
    private static final class Options {
        int mss = -1;
        int wscale = -1;
        boolean sackOk;
        long tsVal = -1;
        long tsEcr = -1;
        final List<long[]> sack = new ArrayList<>();
        boolean fastOpen;

        void read(byte[] p, int at, int end) {
            while (at < end) {
                int kind = p[at] & 0xFF;
                if (kind == 0) return;
                if (kind == 1) {
                    at++;
                    continue;
                }
                if (at + 1 >= end) return;
                int len = p[at + 1] & 0xFF;
                if (len < 2 || at + len > end) return;
                switch (kind) {
                    case 2 -> mss = len == 4 ? Bytes.u16(p, at + 2) : -1;
                    case 3 -> wscale = len == 3 ? p[at + 2] & 0xFF : -1;
                    case 4 -> sackOk = true;
                    case 5 -> {
                        for (int i = at + 2; i + 8 <= at + len; i += 8) {
                            sack.add(new long[] {Bytes.u32(p, i), Bytes.u32(p, i + 4)});
                        }
                    }
                    case 8 -> {
                        if (len == 10) {
                            tsVal = Bytes.u32(p, at + 2);
                            tsEcr = Bytes.u32(p, at + 6);
                        }
                    }
                    case 34 -> fastOpen = true;
                    default -> { }
                }
                at += len;
            }
        }
    }
}
