package io.threeway.conformance.script;

import java.util.List;

/** One TCP option as a packet line writes it between {@code <} and {@code >}. */
public sealed interface TcpOption {
    record Nop() implements TcpOption { }
    record Eol() implements TcpOption { }
    record Mss(int value) implements TcpOption { }
    record WindowScale(int shift) implements TcpOption { }
    record SackPermitted() implements TcpOption { }
    /** {@code sack 1:100 200:300}: blocks as [left, right) in the script's (relative) sequence space. */
    record Sack(List<long[]> blocks) implements TcpOption { }
    record Timestamp(long val, long ecr) implements TcpOption { }
    /** {@code FO cookie} (kind 34) or {@code FOEXP cookie} (kind 254, magic 0xF989); an empty cookie asks for one. */
    record FastOpen(byte[] cookie, boolean experimental) implements TcpOption { }
    /**
     * {@code md5 000102...0f}: RFC 2385's TCP-MD5 signature (kind 19, 16 bytes) as written; FreeBSD's packetdrill
     * writes {@code md5 valid} or {@code md5 invalid} for a signature it computes, where {@code digest} is null.
     */
    record Md5(byte[] digest, String keyword) implements TcpOption { }
    /**
     * {@code ECN e0b 1 ceb 2 e1b 3}: AccECN's option (kind 172 or 174 by the first field), its byte counters in
     * the order written.
     *
     * @param order the counters' names in order ({@code e0b}, {@code ceb}, {@code e1b})
     */
    record AccEcn(List<String> order, List<Long> values) implements TcpOption { }
}
