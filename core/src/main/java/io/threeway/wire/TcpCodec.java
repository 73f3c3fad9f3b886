package io.threeway.wire;

/**
 * The TCP header (RFC 9293 §3.1) and its options: parsing a segment in place into a reused {@link TcpSegment},
 * and encoding one.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                           [Options]                           |
 * </pre>
 *
 * <p>Parsing follows Linux's tcp_parse_options: EOL ends the list, NOP is skipped, a known option whose
 * length is wrong for its kind is ignored (MSS must be 4, window scale 3, SACK-permitted 2, timestamps 10,
 * SACK 2 + 8n with n in 1..4, Fast Open 2 + an even cookie length of 0 or 4..16 — RFC 7413 §4.1.1), and unknown
 * kinds are skipped by their length. An option with length 0 or 1, or one that runs past the header, makes
 * the segment {@link ParseResult#BAD_OPTION} (Linux stops parsing there and keeps the segment; so does the host). The parser
 * reports what is on the wire; which options count on which segments (MSS, window scale, SACK-permitted
 * and Fast Open on SYNs only) is the engine's business. The checksum is not checked here: the host checks
 * it with {@link #checksumOk} before it parses.
 *
 * <p>Encoding lays the options out with an {@link OptionLayout} ({@link OptionLayout#LINUX} by default).
 */
public final class TcpCodec {
    private TcpCodec() {}

    /** Header length without options. */
    public static final int HEADER_LENGTH = 20;
    /** Longest header: data offset 15. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Offset of the checksum field within the header. */
    public static final int CHECKSUM_OFFSET = 16;

    /**
     * Parses the segment of {@code len} bytes at {@code buf[off]} into {@code out}; the payload is left in
     * place ({@code out.payload == buf}). Never throws for any content of the range.
     */
    public static ParseResult parse(byte[] buf, int off, int len, TcpSegment out) {
        out.clear();
        if (len < HEADER_LENGTH) return ParseResult.TOO_SHORT;
        out.srcPort = Bytes.getU16(buf, off);
        out.dstPort = Bytes.getU16(buf, off + 2);
        out.seq = Bytes.getInt(buf, off + 4);
        out.ack = Bytes.getInt(buf, off + 8);
        int doff = (buf[off + 12] & 0xF0) >>> 2;
        out.flags = buf[off + 13] & 0xFF;
        out.window = Bytes.getU16(buf, off + 14);
        out.urgentPointer = Bytes.getU16(buf, off + 18);
        if (doff < HEADER_LENGTH || doff > len) return ParseResult.BAD_DATA_OFFSET;
        out.payload = buf;
        out.payloadOffset = off + doff;
        out.payloadLength = len - doff;
        return parseOptions(buf, off + HEADER_LENGTH, off + doff, out.options);
    }

    private static ParseResult parseOptions(byte[] b, int p, int end, TcpOptions o) {
        while (p < end) {
            int kind = b[p] & 0xFF;
            if (kind == TcpOptions.KIND_EOL) break;
            if (kind == TcpOptions.KIND_NOP) {
                p++;
                continue;
            }
            if (end - p < 2) return ParseResult.BAD_OPTION;
            int size = b[p + 1] & 0xFF;
            if (size < 2 || size > end - p) return ParseResult.BAD_OPTION;
            switch (kind) {
                case TcpOptions.KIND_MSS -> {
                    if (size == 4) o.mss = Bytes.getU16(b, p + 2);
                }
                case TcpOptions.KIND_WSCALE -> {
                    if (size == 3) o.windowScale = b[p + 2] & 0xFF;
                }
                case TcpOptions.KIND_SACK_PERMITTED -> {
                    if (size == 2) o.sackPermitted = true;
                }
                case TcpOptions.KIND_TIMESTAMP -> {
                    if (size == 10) {
                        o.timestamps = true;
                        o.tsVal = Bytes.getInt(b, p + 2);
                        o.tsEcr = Bytes.getInt(b, p + 6);
                    }
                }
                case TcpOptions.KIND_SACK -> {
                    int n = (size - 2) >>> 3;
                    if (((size - 2) & 7) == 0 && n >= 1 && n <= TcpOptions.MAX_SACK_BLOCKS) {
                        o.sackBlocks = 0;
                        for (int q = p + 2; q < p + size; q += 8) o.addSack(Bytes.getInt(b, q), Bytes.getInt(b, q + 4));
                    }
                }
                case TcpOptions.KIND_FASTOPEN -> fastOpen(b, p + 2, size - 2, false, o);
                case TcpOptions.KIND_EXPERIMENTAL -> {
                    if (size >= 4 && Bytes.getU16(b, p + 2) == TcpOptions.FASTOPEN_EXP_MAGIC) fastOpen(b, p + 4, size - 4, true, o);
                }
                default -> { }
            }
            p += size;
        }
        return ParseResult.OK;
    }

    /** RFC 7413 §4.1.1: a cookie request (no cookie) or a cookie of 4 to 16 bytes, even; anything else is ignored. */
    private static void fastOpen(byte[] b, int p, int cookieLength, boolean experimental, TcpOptions o) {
        if ((cookieLength & 1) != 0) return;
        if (cookieLength != 0 && (cookieLength < 4 || cookieLength > TcpOptions.MAX_FASTOPEN_COOKIE)) return;
        o.fastOpen = true;
        o.fastOpenExperimental = experimental;
        o.fastOpenCookieLength = cookieLength;
        System.arraycopy(b, p, o.fastOpenCookie, 0, cookieLength);
    }

    /** Header length (20 plus options) of {@code seg} laid out by {@link OptionLayout#LINUX}. */
    public static int headerLength(TcpSegment seg) {
        return headerLength(seg, OptionLayout.LINUX);
    }

    /** Header length (20 plus options, at most 60) of {@code seg} laid out by {@code layout}. */
    public static int headerLength(TcpSegment seg, OptionLayout layout) {
        return HEADER_LENGTH + layout.length(seg.options);
    }

    /** Writes {@code seg}'s header with {@link OptionLayout#LINUX}; see {@link #write(TcpSegment, OptionLayout, byte[], int)}. */
    public static int write(TcpSegment seg, byte[] b, int off) {
        return write(seg, OptionLayout.LINUX, b, off);
    }

    /**
     * Writes {@code seg}'s header and options at {@code b[off]} and returns the header length. The checksum
     * field is left zero (it covers the payload and the pseudo-header: see {@link #fillChecksum}); the payload
     * is not copied. Only the low 8 flag bits are sent (the experimental AE bit, RFC 3540, is not).
     */
    public static int write(TcpSegment seg, OptionLayout layout, byte[] b, int off) {
        int optLen = layout.write(seg.options, b, off + HEADER_LENGTH);
        int hlen = HEADER_LENGTH + optLen;
        Bytes.putU16(b, off, seg.srcPort);
        Bytes.putU16(b, off + 2, seg.dstPort);
        Bytes.putInt(b, off + 4, seg.seq);
        Bytes.putInt(b, off + 8, seg.ack);
        b[off + 12] = (byte) (hlen << 2);
        b[off + 13] = (byte) seg.flags;
        Bytes.putU16(b, off + 14, seg.window);
        b[off + 16] = 0;
        b[off + 17] = 0;
        Bytes.putU16(b, off + 18, seg.urgentPointer);
        return hlen;
    }

    /** Computes and stores the checksum of the complete segment (header and payload) at {@code b[off, off+len)}. */
    public static void fillChecksum(byte[] b, int off, int len, IpAddress src, IpAddress dst) {
        Checksum.fillTransport(b, off, len, CHECKSUM_OFFSET, src, dst, IpProtocol.TCP);
    }

    /** Whether the TCP segment carried by {@code ip} has a correct checksum (RFC 9293 §3.1). */
    public static boolean checksumOk(byte[] packet, IpPacket ip) {
        return Checksum.verifyTransport(packet, ip);
    }
}
