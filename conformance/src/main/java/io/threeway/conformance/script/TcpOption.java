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
}
