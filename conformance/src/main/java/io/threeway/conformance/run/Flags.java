package io.threeway.conformance.run;

import io.threeway.wire.TcpFlags;

/** packetdrill's flag letters and the TCP header's bits. */
final class Flags {
    private static final String LETTERS = "FSRP.UEW";
    private static final int[] BITS = {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.ACK,
        TcpFlags.URG, TcpFlags.ECE, 0x80};
    /** AE, the accurate-ECN bit (RFC 9768), the low bit of the data offset byte; as a ninth flag bit. */
    static final int AE = 0x100;

    private Flags() {}

    /**
     * The flag bits of a script's letters: AE is 0x100; an ACE digit (AccECN) sets ECE, CWR and AE from its
     * three bits, as tcp_packet.c does.
     */
    static int bits(String letters) {
        int f = 0;
        for (char c : letters.toCharArray()) {
            if (c == 'A') f |= AE;
            else if (Character.isDigit(c)) {
                int ace = c - '0';
                f |= ((ace & 1) != 0 ? TcpFlags.ECE : 0) | ((ace & 2) != 0 ? 0x80 : 0) | ((ace & 4) != 0 ? AE : 0);
            } else f |= BITS[LETTERS.indexOf(c)];
        }
        return f;
    }

    /** The letters for a flags byte, in packetdrill's order (S before ., as {@code S.}). */
    static String letters(int bits) {
        StringBuilder s = new StringBuilder();
        for (char c : "FSRPUEW.".toCharArray()) {
            if ((bits & BITS[LETTERS.indexOf(c)]) != 0) s.append(c);
        }
        return s.isEmpty() ? "none" : s.toString();
    }
}
