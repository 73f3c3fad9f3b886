package io.threeway.sim;

import io.threeway.wire.Checksum;

/**
 * Marks a packet "Congestion Experienced" in its IP header (RFC 3168 §5: ECN field 11) where a queue that supports
 * ECN would drop it, as Linux's INET_ECN_set_ce does for sch_fq_codel's {@code ce_threshold} or sch_red's {@code ecn}:
 * only an ECN-capable packet (ECT(0) or ECT(1)) is marked; a Not-ECT packet is left as it is, and one already CE
 * stays CE. IPv4's header checksum is recomputed; IPv6 has none.
 */
final class CeMarking {
    /** RFC 3168 §5's CE codepoint in the ECN field's two bits. */
    static final int CE = 3;

    private CeMarking() {}

    /** Sets CE on an ECT packet; returns whether the packet was ECN-capable and is now marked. */
    static boolean mark(byte[] p, int length) {
        if (length < 1) return false;
        int version = (p[0] & 0xFF) >>> 4;
        if (version == 4 && length >= 20) {
            int ecn = p[1] & 3;
            if (ecn == 0 || ecn == CE) return false;
            p[1] = (byte) (p[1] | CE);
            int ihl = (p[0] & 0x0F) * 4;
            p[10] = 0;
            p[11] = 0;
            int sum = Checksum.compute(p, 0, Math.min(ihl, length));
            p[10] = (byte) (sum >>> 8);
            p[11] = (byte) sum;
            return true;
        }
        if (version == 6 && length >= 40) {
            // the traffic class spans bytes 0 and 1: its two low bits (ECN) are bits 5 and 4 of byte 1
            int ecn = (p[1] >>> 4) & 3;
            if (ecn == 0 || ecn == CE) return false;
            p[1] = (byte) (p[1] | (CE << 4));
            return true;
        }
        return false;
    }
}
