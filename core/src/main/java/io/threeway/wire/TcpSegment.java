package io.threeway.wire;

/**
 * One TCP segment's header fields, options and a view of its payload: the unit the engine consumes
 * and produces. Mutable and reused on the per-segment path (the host parses every inbound segment into
 * one instance; the engine fills one instance per outbound segment), so no object is allocated per segment.
 *
 * <p>Sequence and acknowledgment numbers are raw 32-bit values; compare them only with
 * {@link Seq}. {@code window} is the raw 16-bit field, unscaled.
 */
public final class TcpSegment {
    public int srcPort;
    public int dstPort;
    public int seq;
    public int ack;
    /** {@link TcpFlags} bits. */
    public int flags;
    /** Raw 16-bit window field (unscaled). */
    public int window;
    public int urgentPointer;
    public final TcpOptions options = new TcpOptions();

    /** The payload: {@code payloadLength} bytes of {@code payload} starting at {@code payloadOffset}. */
    public byte[] payload;
    public int payloadOffset;
    public int payloadLength;
    /**
     * For a super-segment built for a device that offloads segmentation (TSO/GSO): the payload of each segment it
     * stands for (Linux's skb_shinfo(skb)->gso_size, the MSS); 0 for an ordinary segment. Never set on a parsed one.
     */
    public int gsoSize;
    /**
     * The ECN field of the IP header that carries (or carried) the segment, RFC 3168 §5: {@link #NOT_ECT},
     * {@link #ECT_0}, ECT(1) or CE. The engine sets it on what it sends; the packet builder writes it into the IPv4
     * TOS byte or the IPv6 traffic class.
     */
    public int ecn;

    /** RFC 3168 §5's codepoint 00: the transport is not ECN-capable. */
    public static final int NOT_ECT = 0;
    /** RFC 3168 §5's codepoint 10, ECT(0): what an ECN-capable TCP marks its data with (Linux's INET_ECN_xmit). */
    public static final int ECT_0 = 2;

    public boolean syn() { return (flags & TcpFlags.SYN) != 0; }
    public boolean ackFlag() { return (flags & TcpFlags.ACK) != 0; }
    public boolean fin() { return (flags & TcpFlags.FIN) != 0; }
    public boolean rst() { return (flags & TcpFlags.RST) != 0; }
    public boolean psh() { return (flags & TcpFlags.PSH) != 0; }
    public boolean ece() { return (flags & TcpFlags.ECE) != 0; }
    public boolean cwr() { return (flags & TcpFlags.CWR) != 0; }

    /** SEG.LEN: payload length plus one for SYN and one for FIN (RFC 9293 §3.4). */
    public int segLen() {
        return payloadLength + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    public void clear() {
        srcPort = dstPort = seq = ack = flags = window = urgentPointer = 0;
        options.clear();
        payload = null;
        payloadOffset = payloadLength = gsoSize = 0;
        ecn = NOT_ECT;
    }

    public void copyFrom(TcpSegment o) {
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        seq = o.seq;
        ack = o.ack;
        flags = o.flags;
        window = o.window;
        urgentPointer = o.urgentPointer;
        options.copyFrom(o.options);
        payload = o.payload;
        payloadOffset = o.payloadOffset;
        payloadLength = o.payloadLength;
        gsoSize = o.gsoSize;
        ecn = o.ecn;
    }

    /** How many segments this stands for on the wire: one, or a super-segment's pieces (Linux's tcp_skb_pcount). */
    public int pieces() {
        return gsoSize > 0 && payloadLength > gsoSize ? (payloadLength + gsoSize - 1) / gsoSize : 1;
    }

    @Override
    public String toString() {
        return "TcpSegment[" + srcPort + ">" + dstPort + " " + TcpFlags.tcpdump(flags)
                + " seq=" + Integer.toUnsignedString(seq) + " ack=" + Integer.toUnsignedString(ack)
                + " win=" + window + " len=" + payloadLength + "]";
    }
}
