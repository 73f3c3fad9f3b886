package io.threeway.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as a value: IPv4 in the low 32 bits of {@code lo}, IPv6 as two longs
 * (network byte order: {@code hi} holds bytes 0..7). Cheap to hash and compare on the demux path.
 */
public record IpAddress(long hi, long lo, boolean v6) {

    public static final IpAddress ANY4 = v4(0);
    public static final IpAddress ANY6 = new IpAddress(0, 0, true);

    public static IpAddress v4(int addr) {
        return new IpAddress(0, addr & 0xFFFFFFFFL, false);
    }

    public static IpAddress v6(long hi, long lo) {
        return new IpAddress(hi, lo, true);
    }

    /** The address in 4 or 16 bytes read from {@code b} at {@code off}. */
    public static IpAddress read(byte[] b, int off, boolean v6) {
        if (!v6) return v4(Bytes.getInt(b, off));
        return new IpAddress(Bytes.getLong(b, off), Bytes.getLong(b, off + 8), true);
    }

    public void write(byte[] b, int off) {
        if (!v6) {
            Bytes.putInt(b, off, (int) lo);
        } else {
            Bytes.putLong(b, off, hi);
            Bytes.putLong(b, off + 8, lo);
        }
    }

    public int v4Bits() {
        return (int) lo;
    }

    public int byteLength() {
        return v6 ? 16 : 4;
    }

    public boolean isAny() {
        return hi == 0 && lo == 0;
    }

    public boolean isLoopback() {
        return v6 ? (hi == 0 && lo == 1) : ((lo >>> 24) & 0xFF) == 127;
    }

    /** Parses dotted-quad IPv4 or RFC 4291 text IPv6 (no host names are looked up). */
    public static IpAddress parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        if (t.indexOf(':') < 0) {
            String[] p = t.split("\\.", -1);
            if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            int v = 0;
            for (String s : p) {
                int o;
                try {
                    o = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                if (o < 0 || o > 255 || s.isEmpty() || s.length() > 3) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                v = (v << 8) | o;
            }
            return v4(v);
        }
        try {
            // A literal containing ':' is parsed without any name lookup.
            byte[] b = InetAddress.getByName(t).getAddress();
            return b.length == 4 ? v4(Bytes.getInt(b, 0)) : new IpAddress(Bytes.getLong(b, 0), Bytes.getLong(b, 8), true);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
        }
    }

    public static IpAddress of(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? v4(Bytes.getInt(b, 0)) : new IpAddress(Bytes.getLong(b, 0), Bytes.getLong(b, 8), true);
    }

    public InetAddress toInetAddress() {
        byte[] b = new byte[byteLength()];
        write(b, 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dotted quad, or RFC 5952 text for IPv6 (as tcpdump prints it). */
    @Override
    public String toString() {
        if (!v6) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 4; i++) w[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
        for (int i = 0; i < 4; i++) w[4 + i] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        // RFC 5952: compress the longest run (length >= 2) of zero groups, the first such run on a tie.
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(w[i]));
        }
        return b.toString();
    }
}
