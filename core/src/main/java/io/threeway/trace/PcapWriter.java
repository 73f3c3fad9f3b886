package io.threeway.trace;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes classic pcap files (the libpcap format, draft-ietf-opsawg-pcap): a 24-byte file header, then a
 * 16-byte record header and the packet bytes for each packet. The files use the nanosecond magic
 * {@code 0xA1B23C4D} (virtual time has nanoseconds), version 2.4, snap length 262144 and link type 101,
 * LINKTYPE_RAW: every record starts at the IP header. Fields are little-endian; readers detect the order from
 * the magic. {@code tcpdump -r} and Wireshark read them.
 */
public final class PcapWriter implements Closeable, Flushable {
    public static final int MAGIC_NANOS = 0xA1B23C4D;
    public static final int MAGIC_MICROS = 0xA1B2C3D4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 262144;
    /** LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header. */
    public static final int LINKTYPE_RAW = 101;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OutputStream out;
    private final byte[] header = new byte[16];

    /** Starts a file on {@code out} (buffered here) by writing the file header. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = new BufferedOutputStream(out, 1 << 16);
        byte[] h = new byte[24];
        putLe32(h, 0, MAGIC_NANOS);
        putLe16(h, 4, VERSION_MAJOR);
        putLe16(h, 6, VERSION_MINOR);
        // thiszone (8) and sigfigs (12) stay zero.
        putLe32(h, 16, SNAPLEN);
        putLe32(h, 20, LINKTYPE_RAW);
        this.out.write(h);
    }

    /**
     * Appends the IP packet of {@code len} bytes at {@code packet[off]}, captured at {@code timeNanos}
     * (nanoseconds since time 0; negative times are written as 0). Packets longer than the snap length are
     * cut, recording their full length.
     */
    public void write(byte[] packet, int off, int len, long timeNanos) throws IOException {
        write(packet, off, len, len, timeNanos);
    }

    /**
     * Appends the first {@code captured} bytes, at {@code packet[off]}, of an IP packet of {@code len} bytes (a
     * capture with a snap length, as {@code tcpdump -s}: the record says how long the packet was).
     */
    public void write(byte[] packet, int off, int captured, int len, long timeNanos) throws IOException {
        long t = Math.max(0, timeNanos);
        captured = Math.min(Math.min(captured, len), SNAPLEN);
        putLe32(header, 0, (int) (t / NANOS_PER_SECOND));
        putLe32(header, 4, (int) (t % NANOS_PER_SECOND));
        putLe32(header, 8, captured);
        putLe32(header, 12, len);
        out.write(header);
        out.write(packet, off, captured);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
