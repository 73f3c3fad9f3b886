package io.threeway.tcp;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/** Forming the RST that answers a segment, as RFC 9293 §3.10.7.1 prescribes for a CLOSED connection. */
public final class Resets {
    private Resets() {}

    /**
     * Fills {@code out} with the reset for {@code in}, or returns false when none is due (an incoming RST is
     * never answered). "If the ACK bit is off, sequence number zero is used, &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;
     * &lt;CTL=RST,ACK&gt;. If the ACK bit is on, &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;."
     */
    public static boolean replyTo(TcpSegment in, TcpSegment out) {
        if (in.rst()) return false;
        out.clear();
        out.srcPort = in.dstPort;
        out.dstPort = in.srcPort;
        if (in.ackFlag()) {
            out.seq = in.ack;
            out.flags = TcpFlags.RST;
        } else {
            out.seq = 0;
            out.ack = in.seq + in.segLen();
            out.flags = TcpFlags.RST | TcpFlags.ACK;
        }
        return true;
    }
}
