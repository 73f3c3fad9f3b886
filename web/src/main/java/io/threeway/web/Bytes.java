package io.threeway.web;

import io.threeway.wire.IpAddress;
import java.util.HexFormat;

/** Big-endian reads and address text for the web lab's packet views. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] p, int at) { return p[at] & 0xFF; }

    static int u16(byte[] p, int at) { return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF); }

    static long u32(byte[] p, int at) { return ((long) u16(p, at) << 16) | u16(p, at + 2); }

    static String v4(byte[] p, int at) {
        return IpAddress.read(p, at, false).toString();
    }

    static String v6(byte[] p, int at) {
        return IpAddress.read(p, at, true).toString();
    }

    /** {@code 0a 1b ...}: the bytes as hex pairs. */
    static String hex(byte[] p) {
        return HexFormat.ofDelimiter(" ").formatHex(p);
    }
}
