package io.threeway.tun;

import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;

/**
 * What the device boundary does to a TCP packet the kernel hands over with a {@link VirtioNetHdr} (Linux's
 * {@code skb_checksum_help} and {@code skb_gso_segment} / {@code tcp_gso_segment}): completes a partial
 * checksum, and cuts a super-packet into the segments it stands for where a path needs them one by one (the
 * impairments decide each segment's fate). A super-packet the stack takes whole is the GRO result Linux's
 * receiver would make: one header, one checksum pass, one hand-off for up to 64 KiB.
 */
final class GsoSegments {
    private GsoSegments() {}

    /** The IPv6 header's length (no extension headers: TUN's TSO never adds them). */
    static final int IPV6_HEADER = 40;
    /** TCP's flags byte in its header. */
    static final int TCP_FLAGS = 13;
    /** TCP's FIN and PSH flags: only the last segment of a super-packet keeps them. */
    static final int FIN_PSH = 0x01 | 0x08;
    /** TCP's CWR flag: only the first segment keeps it. */
    static final int CWR = 0x80;

    /**
     * Completes a partial transport checksum as virtio's F_NEEDS_CSUM asks: the field at {@code start + offset}
     * holds the pseudo-header's sum; the checksum of {@code p[start, length)} with it in place is the final one.
     * Returns false if the offsets do not fit the packet (the caller drops it).
     */
    static boolean completeChecksum(byte[] p, int length, int start, int offset) {
        if (start < 0 || offset < 0 || start + offset + 2 > length) return false;
        Bytes.putU16(p, start + offset, Checksum.finish(Checksum.add(0, p, start, length - start)));
        return true;
    }

    /** The IP header's length of packet {@code p}: IHL for IPv4, 40 for IPv6 (version 6); -1 if neither. */
    static int ipHeaderLength(byte[] p, int length) {
        if (length < 1) return -1;
        int version = (p[0] & 0xFF) >>> 4;
        if (version == 4) return (p[0] & 0x0F) * 4;
        return version == 6 ? IPV6_HEADER : -1;
    }

    /** Receives one segment cut from a super-packet (a new array; the receiver may keep it). */
    @FunctionalInterface
    interface SegmentSink {
        /** One whole IP packet of {@code length} bytes at index 0. */
        void segment(byte[] packet, int length);
    }

    /**
     * Cuts the TCP super-packet {@code p[0, length)} into segments of {@code gsoSize} payload bytes, each with
     * its own IP header (length, IPv4 identification + i and header checksum) and TCP header (sequence number,
     * FIN and PSH on the last only, CWR on the first only) and complete checksums. Returns the segments made,
     * or -1 if the packet is not a TCP packet this can cut (the caller drops it, as Linux drops a bad GSO
     * packet from a TUN device).
     */
    static int split(byte[] p, int length, int gsoSize, SegmentSink out) {
        int ip = ipHeaderLength(p, length);
        if (ip < 0 || ip + 20 > length || gsoSize <= 0) return -1;
        boolean v6 = ip == IPV6_HEADER;
        int tcp = ((p[ip + 12] & 0xFF) >>> 4) * 4;
        int headers = ip + tcp;
        if (tcp < 20 || headers > length) return -1;
        int payload = length - headers;
        int seq = Bytes.getInt(p, ip + 4);
        int id = v6 ? 0 : Bytes.getU16(p, 4);
        int flags = p[ip + TCP_FLAGS] & 0xFF;
        int n = 0;
        for (int at = 0; at < payload || n == 0; at += gsoSize, n++) {
            int len = Math.min(gsoSize, payload - at);
            boolean last = at + len >= payload;
            byte[] s = new byte[headers + len];
            System.arraycopy(p, 0, s, 0, headers);
            System.arraycopy(p, headers + at, s, headers, len);
            int f = flags & (last ? 0xFF : ~FIN_PSH) & (n == 0 ? 0xFF : ~CWR);
            s[ip + TCP_FLAGS] = (byte) f;
            Bytes.putInt(s, ip + 4, seq + at);
            finishHeaders(s, ip, v6, id + n, tcp + len);
            out.segment(s, s.length);
        }
        return n;
    }

    /** Sets the IP header's lengths (and IPv4's identification and checksum) and the TCP checksum of {@code s}. */
    private static void finishHeaders(byte[] s, int ip, boolean v6, int id, int tcpLength) {
        long pseudo;
        if (v6) {
            Bytes.putU16(s, 4, tcpLength);
            pseudo = Checksum.add(0, s, 8, 32);
        } else {
            Bytes.putU16(s, 2, ip + tcpLength);
            Bytes.putU16(s, 4, id & 0xFFFF);
            Bytes.putU16(s, 10, 0);
            Bytes.putU16(s, 10, Checksum.compute(s, 0, ip));
            pseudo = Checksum.add(0, s, 12, 8);
        }
        pseudo += (s[v6 ? 6 : 9] & 0xFF) + tcpLength;
        Bytes.putU16(s, ip + VirtioNetHdr.TCP_CSUM_OFFSET, 0);
        Bytes.putU16(s, ip + VirtioNetHdr.TCP_CSUM_OFFSET, Checksum.finish(Checksum.add(pseudo, s, ip, tcpLength)));
    }
}
