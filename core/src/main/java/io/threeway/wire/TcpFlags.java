package io.threeway.wire;

/** The TCP header's flag bits (RFC 9293 §3.1, RFC 3168 for ECE and CWR). */
public final class TcpFlags {
    private TcpFlags() {}

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }

    /** tcpdump's rendering: letters in the order F S R P . U E W, or {@code none}. */
    public static String tcpdump(int flags) {
        StringBuilder b = new StringBuilder(8);
        if ((flags & FIN) != 0) b.append('F');
        if ((flags & SYN) != 0) b.append('S');
        if ((flags & RST) != 0) b.append('R');
        if ((flags & PSH) != 0) b.append('P');
        if ((flags & ACK) != 0) b.append('.');
        if ((flags & URG) != 0) b.append('U');
        if ((flags & ECE) != 0) b.append('E');
        if ((flags & CWR) != 0) b.append('W');
        return b.length() == 0 ? "none" : b.toString();
    }
}
