package io.threeway.conformance.run;

import io.threeway.wire.TcpFlags;

/** packetdrill's flag letters and the TCP header's bits. */
final class Flags {
    private static final String LETTERS = "FSRP.UEW";
    private static final int[] BITS = {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.ACK,
        TcpFlags.URG, TcpFlags.ECE, 0x80};

    private Flags() {}

    static int bits(String letters) {
        int f = 0;
        for (char c : letters.toCharArray()) f |= BITS[LETTERS.indexOf(c)];
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
