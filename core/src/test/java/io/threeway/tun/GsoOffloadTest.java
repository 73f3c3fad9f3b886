package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The device boundary's offloads without a device: segments merged by {@link GsoCoalescer} into one GSO
 * super-packet, cut again by {@link GsoSegments#split} (what the kernel's tcp_gso_segment does), give back the
 * very packets the stack built, byte for byte, checksums included; the super-packet's partial checksum,
 * completed as F_NEEDS_CSUM asks, verifies; what must not merge goes out alone.
 */
class GsoOffloadTest {
    private static final int MSS = 1448;

    /** What the coalescer wrote: frames (virtio header + packet), as copies. */
    private static final class Recorder implements GsoCoalescer.Output {
        final List<byte[]> frames = new ArrayList<>();

        @Override
        public boolean packet(byte[] packet, int length) {
            byte[] f = new byte[VirtioNetHdr.LENGTH + length];
            System.arraycopy(packet, 0, f, VirtioNetHdr.LENGTH, length);
            frames.add(f);
            return true;
        }

        @Override
        public boolean frame(byte[] frame, int length) {
            frames.add(Arrays.copyOf(frame, length));
            return true;
        }
    }

    private static byte[] segment(boolean v6, int seq, int flags, int payload, int ipId) {
        TcpSegment s = new TcpSegment();
        s.srcPort = 80;
        s.dstPort = 40_000;
        s.seq = seq;
        s.ack = 777;
        s.flags = flags;
        s.window = 500;
        s.options.timestamps = true;
        s.options.tsVal = 11;
        s.options.tsEcr = 22;
        if (payload > 0) {
            s.payload = new byte[payload];
            for (int i = 0; i < payload; i++) s.payload[i] = (byte) (seq + i);
            s.payloadLength = payload;
        }
        IpAddress src = IpAddress.parse(v6 ? "2001:db8::2" : "198.18.0.2");
        IpAddress dst = IpAddress.parse(v6 ? "2001:db8::1" : "198.18.0.1");
        return PacketBuilder.buildTcp(src, dst, s, OptionLayout.LINUX, ipId);
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void mergedSegmentsSplitBackIntoTheSamePackets(boolean v6) throws Exception {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) sent.add(segment(v6, 1000 + i * MSS, i == 4 ? TcpFlags.ACK | TcpFlags.PSH : TcpFlags.ACK, i == 4 ? 300 : MSS, 50 + i));
        Recorder out = new Recorder();
        GsoCoalescer c = new GsoCoalescer(out);
        for (byte[] p : sent) assertTrue(c.add(p, p.length));
        assertEquals(0, out.frames.size(), "held until the call ends");
        assertTrue(c.flush());
        assertEquals(1, out.frames.size(), "one super-packet");
        byte[] frame = out.frames.get(0);
        VirtioNetHdr h = new VirtioNetHdr();
        h.parse(frame, 0);
        assertEquals(v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, h.gsoType);
        assertEquals(VirtioNetHdr.F_NEEDS_CSUM, h.flags);
        assertEquals(MSS, h.gsoSize);
        byte[] superPacket = Arrays.copyOfRange(frame, VirtioNetHdr.LENGTH, frame.length);
        assertEquals(sent.stream().mapToInt(p -> p.length).sum() - 4 * h.hdrLen, superPacket.length);

        List<byte[]> cut = new ArrayList<>();
        assertEquals(5, GsoSegments.split(superPacket, superPacket.length, h.gsoSize, (p, n) -> cut.add(Arrays.copyOf(p, n))));
        for (int i = 0; i < 5; i++) assertArrayEquals(sent.get(i), cut.get(i), "segment " + i);

        byte[] whole = superPacket.clone();
        assertTrue(GsoSegments.completeChecksum(whole, whole.length, h.csumStart, h.csumOffset));
        IpPacket ip = new IpPacket();
        if (v6) Ipv6Header.parse(whole, 0, whole.length, ip);
        else Ipv4Header.parse(whole, 0, whole.length, ip);
        assertTrue(Checksum.verifyTransport(whole, ip), "the completed checksum verifies over the whole super-packet");
        assertEquals(c.superPackets(), 1);
        assertEquals(c.mergedSegments(), 5);
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void aSuperSegmentTheSenderBuiltGoesOutWholeAndSplitsIntoItsSegments(boolean v6) throws Exception {
        // What the stack's sender builds with offload: one packet for 4 MSS and 300 bytes, PSH on it, IP ID 50.
        byte[] whole = segment(v6, 1000, TcpFlags.ACK | TcpFlags.PSH, 4 * MSS + 300, 50);
        List<byte[]> one = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] p = segment(v6, 1000 + i * MSS, i == 4 ? TcpFlags.ACK | TcpFlags.PSH : TcpFlags.ACK, i == 4 ? 300 : MSS, 50 + i);
            for (int k = 0; k < (i == 4 ? 300 : MSS); k++) p[p.length - (i == 4 ? 300 : MSS) + k] = (byte) (1000 + i * MSS + k);
            one.add(p);
        }
        Recorder out = new Recorder();
        GsoCoalescer c = new GsoCoalescer(out);
        assertEquals(1, c.addSuperSegment(whole, whole.length, MSS));
        assertEquals(1, out.frames.size(), "written at once, as one frame");
        VirtioNetHdr h = new VirtioNetHdr();
        h.parse(out.frames.get(0), 0);
        assertEquals(v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, h.gsoType);
        assertEquals(MSS, h.gsoSize);
        byte[] superPacket = Arrays.copyOfRange(out.frames.get(0), VirtioNetHdr.LENGTH, out.frames.get(0).length);
        List<byte[]> cut = new ArrayList<>();
        assertEquals(5, GsoSegments.split(superPacket, superPacket.length, h.gsoSize, (p, n) -> cut.add(Arrays.copyOf(p, n))));
        for (int i = 0; i < 5; i++) assertArrayEquals(one.get(i), cut.get(i), "segment " + i + " as the kernel cuts it");
        assertEquals(1, c.superPackets());
        assertEquals(1, c.builtBySender());
        assertEquals(-1, c.addSuperSegment(segment(v6, 1, TcpFlags.ACK | TcpFlags.SYN, 2 * MSS, 1), 52 + 2 * MSS + (v6 ? 20 : 0), MSS),
                "a SYN is not a super-segment it can describe: the caller cuts it instead");
    }

    @Test
    void whatMustNotMergeGoesOutAlone() throws Exception {
        Recorder out = new Recorder();
        GsoCoalescer c = new GsoCoalescer(out);
        byte[] a = segment(false, 1000, TcpFlags.ACK, MSS, 1);
        byte[] gap = segment(false, 1000 + 2 * MSS, TcpFlags.ACK, MSS, 2);   // not the next sequence number
        byte[] pureAck = segment(false, 1000 + 3 * MSS, TcpFlags.ACK, 0, 3); // no data
        byte[] fin = segment(false, 1000 + 3 * MSS, TcpFlags.ACK | TcpFlags.FIN, 10, 4);
        for (byte[] p : List.of(a, gap, pureAck, fin)) assertTrue(c.add(p, p.length));
        assertTrue(c.flush());
        assertEquals(4, out.frames.size());
        for (int i = 0; i < 4; i++) {
            byte[] f = out.frames.get(i);
            for (int k = 0; k < VirtioNetHdr.LENGTH; k++) assertEquals(0, f[k], "a plain packet's header is all zero");
        }
        assertArrayEquals(a, Arrays.copyOfRange(out.frames.get(0), VirtioNetHdr.LENGTH, out.frames.get(0).length));
        assertEquals(0, c.superPackets());
    }

    @Test
    void aSuperPacketStopsAtSixtyFourKibibytes() throws Exception {
        Recorder out = new Recorder();
        GsoCoalescer c = new GsoCoalescer(out);
        for (int i = 0; i < 60; i++) {
            byte[] p = segment(false, i * MSS, TcpFlags.ACK, MSS, i);
            assertTrue(c.add(p, p.length));
        }
        assertTrue(c.flush());
        int total = 0;
        for (byte[] f : out.frames) {
            int len = f.length - VirtioNetHdr.LENGTH;
            assertTrue(len <= 65535, "an IPv4 packet's length fits its 16 bits: " + len);
            assertEquals(len, Bytes.getU16(f, VirtioNetHdr.LENGTH + 2));
            total += (len - 52);
        }
        assertEquals(60 * MSS, total, "every byte went out once");
        assertTrue(out.frames.size() >= 2);
    }
}
