package io.threeway.sim;

import io.threeway.wire.TcpFlags;
import java.util.Arrays;

/**
 * A view of one IP packet in flight, handed to {@link Rule}s: the raw bytes plus the few fields rules
 * select on, decoded directly from the bytes (IPv4 or IPv6 without extension headers; TCP). Accessors
 * return -1 when the packet is too short or not of the asked kind, never throw. Rules may rewrite the bytes
 * in place, or substitute a new array with {@link #replace}; after changing a TCP header they call
 * {@link #updateTcpChecksum()} so the receiver's checksum verification still passes.
 *
 * <p>One instance is reused for every packet on a link direction; keep nothing from it.
 */
public final class Packet {
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_ICMPV6 = 58;

    private static final int TCP_OPTION_EOL = 0;
    private static final int TCP_OPTION_NOP = 1;

    private byte[] bytes;
    private int length;

    Packet() {}

    /** A view of {@code length} bytes of {@code bytes} from index 0 (for tests and tools). */
    public static Packet of(byte[] bytes, int length) {
        Packet p = new Packet();
        p.reset(bytes, length);
        return p;
    }

    void reset(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    /** The packet's bytes, from index 0; may be longer than {@link #length()}. Writable. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Substitutes the packet, e.g. a longer or shorter rewrite; the link sends {@code length} bytes of it. */
    public void replace(byte[] bytes, int length) {
        if (length < 0 || length > bytes.length) throw new IllegalArgumentException("length out of range");
        this.bytes = bytes;
        this.length = length;
    }

    /** A copy of the packet's bytes, exactly {@link #length()} long. */
    public byte[] copy() {
        return Arrays.copyOf(bytes, length);
    }

    // ---- IP ----

    /** 4, 6, or -1 for an empty packet. */
    public int ipVersion() {
        return length < 1 ? -1 : (bytes[0] & 0xFF) >>> 4;
    }

    /** The IP header length: IHL * 4 for IPv4, 40 for IPv6; -1 if malformed. */
    public int ipHeaderLength() {
        int v = ipVersion();
        if (v == 4) {
            int ihl = (bytes[0] & 0x0F) * 4;
            return ihl >= 20 && length >= ihl ? ihl : -1;
        }
        if (v == 6) return length >= 40 ? 40 : -1;
        return -1;
    }

    /** The transport protocol number (IPv4 byte 9, IPv6 next header at byte 6), or -1. */
    public int protocol() {
        if (ipHeaderLength() < 0) return -1;
        return ipVersion() == 4 ? bytes[9] & 0xFF : bytes[6] & 0xFF;
    }

    /** The IP payload's length, from the IP header's length field (bounded by the bytes present), or -1. */
    public int ipPayloadLength() {
        int h = ipHeaderLength();
        if (h < 0) return -1;
        int total = ipVersion() == 4 ? u16(2) : 40 + u16(4);
        return Math.min(total, length) - h;
    }

    // ---- TCP ----

    public boolean isTcp() {
        return tcpOffset() >= 0;
    }

    /** Where the TCP header starts, or -1 if this is not a complete-enough TCP packet. */
    public int tcpOffset() {
        int h = ipHeaderLength();
        if (h < 0 || protocol() != PROTO_TCP || ipPayloadLength() < 20) return -1;
        return h;
    }

    /** The TCP header length from the data offset field, or -1. */
    public int tcpHeaderLength() {
        int t = tcpOffset();
        if (t < 0) return -1;
        int len = ((bytes[t + 12] & 0xFF) >>> 4) * 4;
        return len >= 20 && len <= ipPayloadLength() ? len : -1;
    }

    /** Bytes of TCP payload, or -1. */
    public int tcpPayloadLength() {
        int hl = tcpHeaderLength();
        return hl < 0 ? -1 : ipPayloadLength() - hl;
    }

    public int srcPort() {
        int t = tcpOffset();
        return t < 0 ? -1 : u16(t);
    }

    public int dstPort() {
        int t = tcpOffset();
        return t < 0 ? -1 : u16(t + 2);
    }

    /** The raw sequence number, or 0 if not TCP (check {@link #isTcp()}). */
    public int tcpSeq() {
        int t = tcpOffset();
        return t < 0 ? 0 : u32(t + 4);
    }

    /** The raw acknowledgment number, or 0 if not TCP. */
    public int tcpAck() {
        int t = tcpOffset();
        return t < 0 ? 0 : u32(t + 8);
    }

    /** The TCP flags byte (offset 13 of the TCP header; {@link TcpFlags} bits), or -1 if not TCP. */
    public int tcpFlags() {
        int t = tcpOffset();
        return t < 0 ? -1 : bytes[t + 13] & 0xFF;
    }

    /** True if this is TCP and every bit in {@code mask} is set. */
    public boolean hasFlags(int mask) {
        int f = tcpFlags();
        return f >= 0 && (f & mask) == mask;
    }

    /** A SYN without ACK: the first packet of a handshake. */
    public boolean isSyn() {
        int f = tcpFlags();
        return f >= 0 && (f & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN;
    }

    /** A SYN with ACK: the second packet of a handshake. */
    public boolean isSynAck() {
        return hasFlags(TcpFlags.SYN | TcpFlags.ACK);
    }

    public boolean isRst() {
        return hasFlags(TcpFlags.RST);
    }

    public boolean isFin() {
        return hasFlags(TcpFlags.FIN);
    }

    /** A TCP segment carrying data. */
    public boolean hasPayload() {
        return tcpPayloadLength() > 0;
    }

    /** Offset of the first TCP option of {@code kind}, or -1 if absent (or the options are malformed). */
    public int findTcpOption(int kind) {
        int t = tcpOffset();
        int hl = tcpHeaderLength();
        if (t < 0 || hl < 0) return -1;
        int i = t + 20;
        int end = t + hl;
        while (i < end) {
            int k = bytes[i] & 0xFF;
            if (k == TCP_OPTION_EOL) return -1;
            if (k == TCP_OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) return -1;
            int len = bytes[i + 1] & 0xFF;
            if (len < 2 || i + len > end) return -1;
            if (k == kind) return i;
            i += len;
        }
        return -1;
    }

    /**
     * Removes every TCP option of {@code kind} by overwriting it with NOPs (keeping the header length, as
     * middleboxes that strip options commonly do) and fixes the checksum. Returns whether anything changed.
     */
    public boolean stripTcpOption(int kind) {
        boolean changed = false;
        for (int at = findTcpOption(kind); at >= 0; at = findTcpOption(kind)) {
            int len = bytes[at + 1] & 0xFF;
            Arrays.fill(bytes, at, at + len, (byte) TCP_OPTION_NOP);
            changed = true;
        }
        if (changed) updateTcpChecksum();
        return changed;
    }

    /**
     * Cuts the TCP payload off (a copy of the headers replaces the packet), fixing the IP length fields and both
     * checksums: what a middlebox forging a bare RST or ACK from a data segment sends.
     */
    public void dropTcpPayload() {
        int t = tcpOffset();
        if (t < 0) throw new IllegalStateException("not a TCP packet");
        int headers = t + tcpHeaderLength();
        byte[] out = Arrays.copyOf(bytes, headers);
        this.bytes = out;
        this.length = headers;
        if (ipVersion() == 4) {
            out[2] = (byte) (headers >>> 8);
            out[3] = (byte) headers;
            updateIpv4HeaderChecksum();
        } else {
            int payload = headers - 40;
            out[4] = (byte) (payload >>> 8);
            out[5] = (byte) payload;
        }
        updateTcpChecksum();
    }

    /** Sets the TCP flags byte; call {@link #updateTcpChecksum()} afterwards. */
    public void setTcpFlags(int flags) {
        int t = tcpOffset();
        if (t < 0) throw new IllegalStateException("not a TCP packet");
        bytes[t + 13] = (byte) flags;
    }

    /** Recomputes the TCP checksum over the pseudo-header, header and payload (RFC 9293 §3.1, RFC 8200 §8.1). */
    public void updateTcpChecksum() {
        int t = tcpOffset();
        if (t < 0) throw new IllegalStateException("not a TCP packet");
        int tcpLength = ipPayloadLength();
        bytes[t + 16] = 0;
        bytes[t + 17] = 0;
        long sum;
        if (ipVersion() == 4) {
            sum = InternetChecksum.add(0, bytes, 12, 8);
        } else {
            sum = InternetChecksum.add(0, bytes, 8, 32);
        }
        sum += PROTO_TCP + tcpLength;
        sum = InternetChecksum.add(sum, bytes, t, tcpLength);
        int c = InternetChecksum.finish(sum);
        bytes[t + 16] = (byte) (c >>> 8);
        bytes[t + 17] = (byte) c;
    }

    /** True if the TCP checksum verifies. */
    public boolean tcpChecksumOk() {
        int t = tcpOffset();
        if (t < 0) return false;
        int tcpLength = ipPayloadLength();
        long sum = ipVersion() == 4 ? InternetChecksum.add(0, bytes, 12, 8) : InternetChecksum.add(0, bytes, 8, 32);
        sum += PROTO_TCP + tcpLength;
        sum = InternetChecksum.add(sum, bytes, t, tcpLength);
        return InternetChecksum.finish(sum) == 0;
    }

    /** Recomputes the IPv4 header checksum (after changing a header field such as TTL or length). */
    public void updateIpv4HeaderChecksum() {
        int h = ipHeaderLength();
        if (ipVersion() != 4 || h < 0) throw new IllegalStateException("not an IPv4 packet");
        bytes[10] = 0;
        bytes[11] = 0;
        int c = InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, h));
        bytes[10] = (byte) (c >>> 8);
        bytes[11] = (byte) c;
    }

    private int u16(int off) {
        return ((bytes[off] & 0xFF) << 8) | (bytes[off + 1] & 0xFF);
    }

    private int u32(int off) {
        return (u16(off) << 16) | u16(off + 2);
    }

    /** A one-line summary for traces: {@code IPv4 TCP 1234 > 80 [S.] len 0}. */
    @Override
    public String toString() {
        if (isTcp()) {
            return "IPv" + ipVersion() + " TCP " + srcPort() + " > " + dstPort() + " [" + TcpFlags.tcpdump(tcpFlags())
                    + "] len " + Math.max(0, tcpPayloadLength());
        }
        return "IPv" + ipVersion() + " proto " + protocol() + " length " + length;
    }
}
