package io.threeway.conformance.run;

import io.threeway.conformance.script.TcpOption;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * TCP options as bytes on the wire, in the order a script writes them: encoding a script's option list
 * (for inbound packets, and to compare with what the stack sent), and decoding the stack's option bytes
 * back into script notation for reports.
 */
final class OptionBytes {
    /** Offset of the TSval field within the option bytes encoded by {@link #encode}, per timestamp option. */
    record Encoded(byte[] bytes, List<Integer> tsValOffsets) { }

    private OptionBytes() {}

    /**
     * Encodes options byte for byte as listed. {@code sackSeq} and {@code tsEcr} translate the script's
     * numbers into the wire's (SACK blocks into the other side's sequence space, TSecr into its clock).
     */
    static Encoded encode(List<TcpOption> options, LongUnaryOperator sackSeq, LongUnaryOperator tsEcr) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<Integer> tsOffsets = new ArrayList<>();
        for (TcpOption o : options) {
            switch (o) {
                case TcpOption.Nop n -> b.write(1);
                case TcpOption.Eol e -> b.write(0);
                case TcpOption.Mss m -> { b.write(2); b.write(4); u16(b, m.value()); }
                case TcpOption.WindowScale w -> { b.write(3); b.write(3); b.write(w.shift()); }
                case TcpOption.SackPermitted s -> { b.write(4); b.write(2); }
                case TcpOption.Sack s -> {
                    b.write(5);
                    b.write(2 + 8 * s.blocks().size());
                    for (long[] blk : s.blocks()) {
                        u32(b, sackSeq.applyAsLong(blk[0]));
                        u32(b, sackSeq.applyAsLong(blk[1]));
                    }
                }
                case TcpOption.Timestamp t -> {
                    b.write(8);
                    b.write(10);
                    tsOffsets.add(b.size());
                    u32(b, t.val());
                    u32(b, tsEcr.applyAsLong(t.ecr()));
                }
                case TcpOption.FastOpen f -> {
                    if (f.experimental()) {
                        b.write(254);
                        b.write(4 + f.cookie().length);
                        u16(b, 0xF989);
                    } else {
                        b.write(34);
                        b.write(2 + f.cookie().length);
                    }
                    b.writeBytes(f.cookie());
                }
                case TcpOption.Md5 m -> {
                    if (m.digest() == null) throw new IllegalArgumentException("md5 " + m.keyword() + ": TCP-MD5 signatures (RFC 2385) are not supported");
                    b.write(19);
                    b.write(18);
                    b.writeBytes(m.digest());
                }
                case TcpOption.AccEcn a -> {
                    b.write(a.order().get(0).equals("e0b") ? 172 : 174);
                    b.write(2 + 3 * a.values().size());
                    for (long v : a.values()) { b.write((int) (v >>> 16)); u16(b, (int) v & 0xFFFF); }
                }
            }
        }
        return new Encoded(b.toByteArray(), List.copyOf(tsOffsets));
    }

    /** The options in {@code b[off, off+len)} in script notation ({@code mss 1460,nop,wscale 6}). */
    static String describe(byte[] b, int off, int len, LongUnaryOperator sackSeq) {
        List<String> parts = new ArrayList<>();
        int i = off;
        int end = off + len;
        while (i < end) {
            int kind = b[i] & 0xFF;
            if (kind == 0) { parts.add("eol"); i++; continue; }
            if (kind == 1) { parts.add("nop"); i++; continue; }
            if (i + 1 >= end) { parts.add("<truncated>"); break; }
            int l = b[i + 1] & 0xFF;
            if (l < 2 || i + l > end) { parts.add("<bad length " + l + ">"); break; }
            switch (kind) {
                case 2 -> parts.add("mss " + u16(b, i + 2));
                case 3 -> parts.add("wscale " + (b[i + 2] & 0xFF));
                case 4 -> parts.add("sackOK");
                case 5 -> {
                    StringBuilder s = new StringBuilder("sack");
                    for (int k = i + 2; k + 8 <= i + l; k += 8) {
                        s.append(' ').append(sackSeq.applyAsLong(u32(b, k))).append(':').append(sackSeq.applyAsLong(u32(b, k + 4)));
                    }
                    parts.add(s.toString());
                }
                case 8 -> parts.add("TS val " + u32(b, i + 2) + " ecr " + u32(b, i + 6));
                case 34 -> parts.add("FO " + HexFormat.of().formatHex(b, i + 2, i + l));
                case 254 -> parts.add("FOEXP " + HexFormat.of().formatHex(b, i + 4, i + l));
                case 19 -> parts.add("md5 " + HexFormat.of().formatHex(b, i + 2, i + l));
                default -> parts.add("kind " + kind + " len " + l);
            }
            i += l;
        }
        return String.join(",", parts);
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    private static void u32(ByteArrayOutputStream b, long v) {
        u16(b, (int) (v >>> 16) & 0xFFFF);
        u16(b, (int) v & 0xFFFF);
    }
}
