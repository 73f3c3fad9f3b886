package io.threeway.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data
 * taken as big-endian 16-bit words, and the pseudo-headers TCP adds in front of its segment for IPv4
 * (RFC 9293 §3.1) and IPv6 (RFC 8200 §8.1).
 *
 * <p>Sums are carried unfolded in a {@code long}. {@link #add} reads eight bytes at a time and adds the two
 * 32-bit halves: because 2^16 is congruent to 1 modulo 0xFFFF, a sum of 32-bit words folded down to 16 bits
 * equals the sum of the 16-bit words (RFC 1071 §2(B), "parallel summation"), and a long cannot overflow
 * before about 2^31 words. Fold only at the end, with {@link #fold}.
 *
 * <p>Chaining: {@code add(add(s, a...), b...)} equals one sum over the concatenation as long as every range
 * but the last has an even length (an odd byte is a high-order byte padded with zero, RFC 1071 §4.1).
 */
public final class Checksum {
    private Checksum() {}

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Adds {@code len} bytes of {@code b} from {@code off} to the unfolded sum {@code sum}. */
    public static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (int stop = end - 7; i < stop; i += 8) {
            long w = (long) LONG_BE.get(b, i);
            sum += (w >>> 32) + (w & 0xFFFFFFFFL);
        }
        if (end - i >= 4) {
            sum += (int) INT_BE.get(b, i) & 0xFFFFFFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            i += 2;
        }
        if (i < end) sum += (b[i] & 0xFF) << 8;
        return sum;
    }

    /** Folds an unfolded sum to 16 bits with end-around carries (not complemented). */
    public static int fold(long sum) {
        sum = (sum & 0xFFFFFFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFFFFFFL) + (sum >>> 32);
        int s = (int) ((sum & 0xFFFF) + (sum >>> 16));
        s = (s & 0xFFFF) + (s >>> 16);
        return (s & 0xFFFF) + (s >>> 16);
    }

    /** The checksum field value for {@code len} bytes of {@code b}: {@code ~fold(sum)}. */
    public static int compute(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }

    /** The checksum field value for an unfolded sum: its folded one's complement. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Whether data that includes its own checksum field sums to all ones, i.e. verifies. */
    public static boolean verifies(long sum) {
        return fold(sum) == 0xFFFF;
    }

    /**
     * The unfolded sum of the pseudo-header for an upper-layer packet of {@code upperLength} bytes of protocol
     * {@code protocol} between two addresses of the same family: source, destination, zero, protocol and TCP
     * length for IPv4 (RFC 9293 §3.1); source, destination, 32-bit length, 24 zero bits and next header for
     * IPv6 (RFC 8200 §8.1). Both reduce to the same sum of words.
     */
    public static long pseudoHeader(IpAddress src, IpAddress dst, int protocol, int upperLength) {
        long sum = protocol + (upperLength & 0xFFFFFFFFL);
        return sum + addressSum(src) + addressSum(dst);
    }

    /** As {@link #pseudoHeader(IpAddress, IpAddress, int, int)}, from the raw addresses of a parsed packet. */
    public static long pseudoHeader(IpPacket ip, int protocol, int upperLength) {
        long sum = protocol + (upperLength & 0xFFFFFFFFL);
        return sum + halves(ip.srcHi) + halves(ip.srcLo) + halves(ip.dstHi) + halves(ip.dstLo);
    }

    /**
     * Whether the TCP segment (or any transport using the pseudo-header) carried by {@code ip} in
     * {@code packet} has a correct checksum.
     */
    public static boolean verifyTransport(byte[] packet, IpPacket ip) {
        long sum = pseudoHeader(ip, ip.protocol, ip.payloadLength);
        return verifies(add(sum, packet, ip.payloadOffset, ip.payloadLength));
    }

    /** Whether an ICMP message for IPv4 (no pseudo-header, RFC 792) has a correct checksum. */
    public static boolean verifyIcmpV4(byte[] packet, IpPacket ip) {
        return verifies(add(0, packet, ip.payloadOffset, ip.payloadLength));
    }

    /**
     * Computes and stores the checksum of a transport message at {@code b[off, off+len)} whose checksum field
     * is at {@code off + checksumAt}, over the pseudo-header for {@code src}, {@code dst}, {@code protocol}.
     */
    public static void fillTransport(byte[] b, int off, int len, int checksumAt,
                                     IpAddress src, IpAddress dst, int protocol) {
        b[off + checksumAt] = 0;
        b[off + checksumAt + 1] = 0;
        long sum = add(pseudoHeader(src, dst, protocol, len), b, off, len);
        Bytes.putU16(b, off + checksumAt, finish(sum));
    }

    private static long addressSum(IpAddress a) {
        return halves(a.hi()) + halves(a.lo());
    }

    private static long halves(long w) {
        return (w >>> 32) + (w & 0xFFFFFFFFL);
    }
}
