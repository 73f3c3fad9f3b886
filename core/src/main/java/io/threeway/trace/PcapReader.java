package io.threeway.trace;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import io.threeway.wire.Bytes;

/**
 * Reads classic pcap files: microsecond ({@code 0xA1B2C3D4}) or nanosecond ({@code 0xA1B23C4D}) magic, in
 * either byte order, and hands back IP packets. Link types understood (tcpdump.org "Link-layer header types"):
 * <ul>
 *   <li>101 LINKTYPE_RAW, 228 LINKTYPE_IPV4, 229 LINKTYPE_IPV6: the record is the IP packet;</li>
 *   <li>1 LINKTYPE_ETHERNET: the 14-byte Ethernet header (and any 802.1Q tags) is skipped;</li>
 *   <li>113 LINKTYPE_LINUX_SLL and 276 LINKTYPE_LINUX_SLL2 ({@code tcpdump -i any}): the cooked header is skipped;</li>
 *   <li>0 LINKTYPE_NULL and 108 LINKTYPE_LOOP (BSD loopback): the 4-byte family header is skipped.</li>
 * </ul>
 * Records that carry something other than IPv4 or IPv6 (ARP, say) are passed over. A damaged file fails with
 * an {@link IOException} that says what is wrong and where.
 */
public final class PcapReader implements Closeable {
    public static final int LINKTYPE_NULL = 0;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LOOP = 108;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    /** Larger records than this are taken as corruption rather than allocated. */
    private static final int MAX_RECORD = 1 << 26;

    private final InputStream in;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private final int snapLength;
    private final byte[] recordHeader = new byte[16];
    private long offset;

    /** Reads and checks the file header. */
    public PcapReader(InputStream in) throws IOException {
        this.in = new BufferedInputStream(in, 1 << 16);
        byte[] h = new byte[24];
        int n = readFully(h, 24);
        if (n < 4) throw new IOException("not a pcap file: only " + n + " bytes, a pcap file header has 24");
        int magicBe = Bytes.getInt(h, 0);
        int magicLe = le32(h, 0);
        if (magicBe == PcapWriter.MAGIC_MICROS || magicBe == PcapWriter.MAGIC_NANOS) {
            bigEndian = true;
            nanos = magicBe == PcapWriter.MAGIC_NANOS;
        } else if (magicLe == PcapWriter.MAGIC_MICROS || magicLe == PcapWriter.MAGIC_NANOS) {
            bigEndian = false;
            nanos = magicLe == PcapWriter.MAGIC_NANOS;
        } else if (magicBe == 0x0A0D0D0A) {
            throw new IOException("this is a pcapng file; only classic pcap is read (convert it with: editcap -F pcap IN OUT)");
        } else {
            throw new IOException(String.format("not a pcap file: magic number 0x%08X, expected 0xA1B2C3D4 or 0xA1B23C4D", magicBe));
        }
        if (n < 24) throw new IOException("truncated pcap file header: " + n + " of 24 bytes");
        int major = u16(h, 4);
        if (major != 2) throw new IOException("unsupported pcap version " + major + "." + u16(h, 6) + ", expected 2.4");
        snapLength = i32(h, 16);
        linkType = i32(h, 20) & 0x0FFFFFFF; // the top bits may carry FCS information
        switch (linkType) {
            case LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP, LINKTYPE_LINUX_SLL,
                 LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2 -> { }
            default -> throw new IOException("unsupported pcap link type " + linkType
                    + " (supported: 0 null, 1 Ethernet, 101 raw IP, 108 loop, 113 Linux SLL, 228 IPv4, 229 IPv6, 276 Linux SLL2)");
        }
        offset = 24;
    }

    public int linkType() { return linkType; }

    public boolean nanosecondTimestamps() { return nanos; }

    public int snapLength() { return snapLength; }

    /** The next IP packet, or null at the end of the file. */
    public PcapPacket next() throws IOException {
        while (true) {
            long at = offset;
            int n = readFully(recordHeader, 16);
            if (n == 0) return null;
            if (n < 16) throw new IOException("truncated record header at byte " + at + ": " + n + " of 16 bytes");
            long sec = i32(recordHeader, 0) & 0xFFFFFFFFL;
            long frac = i32(recordHeader, 4) & 0xFFFFFFFFL;
            int captured = i32(recordHeader, 8);
            int original = i32(recordHeader, 12);
            if (captured < 0 || captured > MAX_RECORD) {
                throw new IOException("record at byte " + at + " claims " + Integer.toUnsignedString(captured) + " captured bytes: the file is damaged");
            }
            byte[] data = new byte[captured];
            int got = readFully(data, captured);
            offset += 16 + got;
            if (got < captured) {
                throw new IOException("truncated packet in record at byte " + at + ": " + got + " of " + captured + " bytes");
            }
            long time = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
            int skip = linkHeaderLength(data);
            if (skip < 0) continue;
            byte[] ip = skip == 0 ? data : Arrays.copyOfRange(data, skip, data.length);
            return new PcapPacket(time, ip, Math.max(original - skip, ip.length));
        }
    }

    /** Bytes of link-layer header in front of an IP packet in {@code d}, or -1 if it carries no IP. */
    private int linkHeaderLength(byte[] d) {
        switch (linkType) {
            case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6 -> {
                return 0;
            }
            case LINKTYPE_ETHERNET -> {
                int p = 12;
                while (p + 2 <= d.length) {
                    int type = Bytes.getU16(d, p);
                    if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
                        p += 4;
                        continue;
                    }
                    return isIp(type) ? p + 2 : -1;
                }
                return -1;
            }
            case LINKTYPE_LINUX_SLL -> {
                return d.length >= 16 && isIp(Bytes.getU16(d, 14)) ? 16 : -1;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                return d.length >= 20 && isIp(Bytes.getU16(d, 0)) ? 20 : -1;
            }
            case LINKTYPE_NULL, LINKTYPE_LOOP -> {
                if (d.length < 4) return -1;
                // The family is in the capturing host's byte order, which need not be the file's.
                int family = Bytes.getInt(d, 0);
                return isAddressFamilyIp(family) || isAddressFamilyIp(Integer.reverseBytes(family)) ? 4 : -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /** AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 depending on the OS. */
    private static boolean isAddressFamilyIp(int family) {
        return family == 2 || family == 10 || family == 24 || family == 28 || family == 30;
    }

    private static boolean isIp(int ethertype) {
        return ethertype == ETHERTYPE_IPV4 || ethertype == ETHERTYPE_IPV6;
    }

    private int readFully(byte[] b, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, n, len - n);
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int i32(byte[] b, int off) {
        return bigEndian ? Bytes.getInt(b, off) : le32(b, off);
    }

    private int u16(byte[] b, int off) {
        return bigEndian ? Bytes.getU16(b, off) : (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }



    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
