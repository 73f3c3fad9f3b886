package io.threeway.tun;

import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import java.io.IOException;
import java.util.Arrays;

/**
 * Generic segmentation offload on transmit, at the device boundary: consecutive TCP segments the stack sends on
 * one connection in one burst (one call into the stack) are written to the TUN device as one super-packet with
 * a {@link VirtioNetHdr} (GSO_TCPV4 or GSO_TCPV6, gso_size the segments' payload, F_NEEDS_CSUM), so the kernel
 * takes up to 64 KiB in one write(2) and one pass through its IP and TCP receive, as if its GRO had merged
 * them. The merge follows what {@code tcp_gso_segment} will undo: every segment has the first one's headers
 * but for the sequence number (IPv4's identification counts up), all but the last carry exactly gso_size bytes,
 * PSH may only come last, and nothing but ACK and PSH is set. The transport checksum is left partial (the
 * pseudo-header's sum, as Linux's {@code __tcp_v4_send_check} leaves it for a device that checksums).
 *
 * <p>Anything else (a pure ACK, a SYN, FIN or RST, another connection, a packet that does not continue the
 * burst) ends the super-packet being built and goes out on its own with an all-zero header. The caller calls
 * {@link #flush} when the stack's call ends, so nothing waits for a later packet. Used by one thread at a
 * time (the runtime's lock).
 */
final class GsoCoalescer {
    /** The most payload bytes a super-packet carries: Linux's GSO_LEGACY_MAX_SIZE less the headers. */
    static final int MAX_PACKET = 65535;
    /** The most segments one super-packet stands for (Linux's tso_max_segs is larger; a bound on the burst). */
    static final int MAX_SEGMENTS = 64;
    /** TCP's ACK flag. */
    private static final int ACK = 0x10;
    /** TCP's PSH flag. */
    private static final int PSH = 0x08;

    /** Where the coalescer's output goes: a TUN device with offloads, or a test's recorder. */
    interface Output {
        /** One packet as it is, behind an all-zero virtio header; false if refused. */
        boolean packet(byte[] packet, int length) throws IOException;

        /** One frame: the virtio header the coalescer filled, then the packet; false if refused. */
        boolean frame(byte[] frame, int length) throws IOException;
    }

    /** Where super-packets and single packets go. */
    private final Output device;
    /** The frame being built: the virtio header, then the IP packet. */
    private final byte[] frame = new byte[VirtioNetHdr.LENGTH + MAX_PACKET];
    /** The header written in front of each frame. */
    private final VirtioNetHdr header = new VirtioNetHdr();
    /** The IP packet's length in {@link #frame} (0: nothing pending). */
    private int length;
    /** The pending packet's IP header length. */
    private int ipHeader;
    /** Its IP and TCP headers' length. */
    private int headers;
    /** Payload bytes of each segment (the first one's). */
    private int segmentSize;
    /** Segments merged. */
    private int segments;
    /** The sequence number the next segment must have. */
    private int nextSeq;
    /** The last segment was short or had PSH: nothing more may follow it. */
    private boolean ended;
    /** Super-packets written (two or more segments each), for the loop's counts. */
    private long superPackets;
    /** Segments written inside super-packets. */
    private long mergedSegments;
    /** Super-packets the stack built itself (TSO in its sender), among {@link #superPackets}. */
    private long builtBySender;

    GsoCoalescer(Output device) {
        this.device = device;
    }

    /** A coalescer writing to {@code device} (opened with offloads). */
    static GsoCoalescer on(TunDevice device) {
        return new GsoCoalescer(new Output() {
            @Override
            public boolean packet(byte[] packet, int length) throws IOException {
                return device.write(packet, length);
            }

            @Override
            public boolean frame(byte[] frame, int length) throws IOException {
                return device.writeFrame(frame, length);
            }
        });
    }

    /**
     * Takes one IP packet from the stack: merged into the super-packet being built, or the start of a new one,
     * or written at once. Returns false if the device refused a write this caused (the packet is then lost).
     */
    boolean add(byte[] p, int len) throws IOException {
        if (length > 0 && continues(p, len)) {
            append(p, len);
            return true;
        }
        boolean ok = flush();
        if (startable(p, len)) {
            start(p, len);
            return ok;
        }
        return device.packet(p, len) && ok;
    }

    /**
     * Takes a super-segment the stack built itself (TSO in its sender: one packet standing for segments of
     * {@code gsoSize} payload bytes): whatever is pending goes first, then this as one frame with its GSO type and
     * gso_size. Returns -1 if it is not a packet this can describe (the caller cuts it into segments instead), 0 if
     * the device refused a write, 1 if written.
     */
    int addSuperSegment(byte[] p, int len, int gsoSize) throws IOException {
        if (len > MAX_PACKET || !startable(p, len, ACK | PSH | 0x01)) return -1;
        boolean ok = flush();
        start(p, len);
        segmentSize = gsoSize;
        segments = (len - headers + gsoSize - 1) / gsoSize;
        ended = true;
        builtBySender++;
        return flush() && ok ? 1 : 0;
    }

    /** Writes what is pending. Returns false if the device refused it. */
    boolean flush() throws IOException {
        if (length == 0) return true;
        int n = length;
        length = 0;
        if (segments == 1) {
            header.clear();
        } else {
            finishSuperPacket(n);
            superPackets++;
            mergedSegments += segments;
        }
        header.write(frame, 0);
        return device.frame(frame, VirtioNetHdr.LENGTH + n);
    }

    /** Super-packets written so far. */
    long superPackets() {
        return superPackets;
    }

    /** Super-packets the stack's sender built whole (the rest were merged here). */
    long builtBySender() {
        return builtBySender;
    }

    /** Segments carried by them. */
    long mergedSegments() {
        return mergedSegments;
    }

    /** A TCP segment with data and only ACK set, in a packet whose layout this understands. */
    private boolean startable(byte[] p, int len) {
        return startable(p, len, ACK);
    }

    /** A TCP segment with data, ACK set and no flag outside {@code allowed}, in a packet this understands. */
    private boolean startable(byte[] p, int len, int allowed) {
        int ip = GsoSegments.ipHeaderLength(p, len);
        if (ip != 20 && ip != GsoSegments.IPV6_HEADER) return false; // IPv4 with options: leave it alone
        if (len < ip + 20 || p[ip == 20 ? 9 : 6] != 6) return false;   // TCP, without IPv6 extension headers
        if (ip == 20 && (Bytes.getU16(p, 6) & 0x3FFF) != 0) return false; // a fragment
        int tcp = ((p[ip + 12] & 0xFF) >>> 4) * 4;
        int flags = p[ip + GsoSegments.TCP_FLAGS] & 0xFF;
        return tcp >= 20 && ip + tcp < len && (flags & ACK) != 0 && (flags & ~allowed) == 0;
    }

    private void start(byte[] p, int len) {
        System.arraycopy(p, 0, frame, VirtioNetHdr.LENGTH, len);
        length = len;
        ipHeader = GsoSegments.ipHeaderLength(p, len);
        headers = ipHeader + ((p[ipHeader + 12] & 0xFF) >>> 4) * 4;
        segmentSize = len - headers;
        segments = 1;
        nextSeq = Bytes.getInt(p, ipHeader + 4) + segmentSize;
        ended = false;
    }

    /** Whether {@code p} is the next segment of the pending super-packet and fits in it. */
    private boolean continues(byte[] p, int len) {
        if (ended || segments == MAX_SEGMENTS || len <= headers || len - headers > segmentSize) return false;
        if (length + len - headers > MAX_PACKET || GsoSegments.ipHeaderLength(p, len) != ipHeader) return false;
        int f = VirtioNetHdr.LENGTH;
        int flags = p[ipHeader + GsoSegments.TCP_FLAGS] & 0xFF;
        if (flags != ACK && flags != (ACK | PSH)) return false;
        if (Bytes.getInt(p, ipHeader + 4) != nextSeq) return false;
        if (ipHeader == 20) {
            // Version, IHL, TOS; flags and fragment offset, TTL, protocol; both addresses.
            if (!same(p, 0, f, 2) || !same(p, 6, f + 6, 4) || !same(p, 12, f + 12, 8)) return false;
        } else if (!same(p, 0, f, 4) || !same(p, 6, f + 6, 34)) {
            return false; // version, class, flow label; next header, hop limit, both addresses
        }
        // Ports; the acknowledgment, data offset and window; the options (same timestamps).
        return same(p, ipHeader, f + ipHeader, 4) && same(p, ipHeader + 8, f + ipHeader + 8, 5)
                && same(p, ipHeader + 14, f + ipHeader + 14, 2) && same(p, ipHeader + 20, f + ipHeader + 20, headers - ipHeader - 20);
    }

    private boolean same(byte[] p, int from, int frameFrom, int n) {
        return Arrays.equals(p, from, from + n, frame, frameFrom, frameFrom + n);
    }

    private void append(byte[] p, int len) {
        int payload = len - headers;
        System.arraycopy(p, headers, frame, VirtioNetHdr.LENGTH + length, payload);
        length += payload;
        segments++;
        nextSeq += payload;
        if ((p[ipHeader + GsoSegments.TCP_FLAGS] & PSH) != 0) {
            frame[VirtioNetHdr.LENGTH + ipHeader + GsoSegments.TCP_FLAGS] |= PSH;
            ended = true;
        }
        if (payload < segmentSize) ended = true;
    }

    /** The super-packet's IP length fields, IPv4 header checksum, partial TCP checksum and virtio header. */
    private void finishSuperPacket(int n) {
        int f = VirtioNetHdr.LENGTH;
        int tcpLength = n - ipHeader;
        boolean v6 = ipHeader == GsoSegments.IPV6_HEADER;
        long pseudo;
        if (v6) {
            Bytes.putU16(frame, f + 4, tcpLength);
            pseudo = Checksum.add(0, frame, f + 8, 32);
        } else {
            Bytes.putU16(frame, f + 2, n);
            Bytes.putU16(frame, f + 10, 0);
            Bytes.putU16(frame, f + 10, Checksum.compute(frame, f, ipHeader));
            pseudo = Checksum.add(0, frame, f + 12, 8);
        }
        // The pseudo-header's folded sum, not complemented: what the device (here the kernel) completes.
        Bytes.putU16(frame, f + ipHeader + VirtioNetHdr.TCP_CSUM_OFFSET, Checksum.fold(pseudo + 6 + tcpLength));
        header.flags = VirtioNetHdr.F_NEEDS_CSUM;
        header.gsoType = v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4;
        header.hdrLen = headers;
        header.gsoSize = segmentSize;
        header.csumStart = ipHeader;
        header.csumOffset = VirtioNetHdr.TCP_CSUM_OFFSET;
    }
}
