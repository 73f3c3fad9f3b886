package io.threeway.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.threeway.wire.TestPackets;

class PcapTest {
    static final byte[] P1 = TestPackets.packet(TestPackets.A4, TestPackets.B4, TestPackets.linuxSyn(1, 2, 3));
    static final byte[] P2 = TestPackets.packet(TestPackets.A6, TestPackets.B6, TestPackets.withPayload(TestPackets.linuxSyn(1, 2, 3), 999));

    @Test
    void writerOutputReadsBack() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(P1, 0, P1.length, 0);
            w.write(P2, 0, P2.length, 3_123_456_789L);
        }
        byte[] file = bytes.toByteArray();
        assertEquals(24 + 16 + P1.length + 16 + P2.length, file.length);
        ByteBuffer h = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B23C4D, h.getInt(0));
        assertEquals(2, h.getShort(4));
        assertEquals(4, h.getShort(6));
        assertEquals(262144, h.getInt(16));
        assertEquals(101, h.getInt(20));

        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            assertTrue(r.nanosecondTimestamps());
            assertEquals(101, r.linkType());
            PcapPacket a = r.next();
            assertEquals(0, a.timeNanos());
            assertArrayEquals(P1, a.data());
            PcapPacket b = r.next();
            assertEquals(3_123_456_789L, b.timeNanos());
            assertArrayEquals(P2, b.data());
            assertNull(r.next());
        }
    }

    /** A file written by hand: magic, byte order, link type and records of (seconds, fraction, data). */
    static byte[] file(int magic, ByteOrder order, int linkType, Object... records) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        for (int i = 0; i < records.length; i += 3) {
            byte[] d = (byte[]) records[i + 2];
            b.putInt((Integer) records[i]).putInt((Integer) records[i + 1]).putInt(d.length).putInt(d.length).put(d);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void readsMicrosecondAndNanosecondInBothByteOrders() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            PcapReader micro = new PcapReader(new ByteArrayInputStream(file(0xA1B2C3D4, order, 101, 2, 500, P1)));
            assertEquals(2_000_500_000L, micro.next().timeNanos());
            PcapReader nano = new PcapReader(new ByteArrayInputStream(file(0xA1B23C4D, order, 101, 2, 500, P1)));
            PcapPacket p = nano.next();
            assertEquals(2_000_000_500L, p.timeNanos());
            assertArrayEquals(P1, p.data());
        }
    }

    @Test
    void stripsLinkLayerHeaders() throws IOException {
        byte[] eth = new byte[14];
        eth[12] = 0x08;
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] vlan6 = new byte[18];
        vlan6[12] = (byte) 0x81;
        vlan6[16] = (byte) 0x86;
        vlan6[17] = (byte) 0xDD;
        PcapReader r = new PcapReader(new ByteArrayInputStream(file(0xA1B2C3D4, ByteOrder.LITTLE_ENDIAN, 1,
                0, 0, concat(eth, P1), 0, 0, arp, 0, 1, concat(vlan6, P2))));
        assertArrayEquals(P1, r.next().data());
        assertArrayEquals(P2, r.next().data(), "the ARP frame is passed over, the VLAN tag skipped");
        assertNull(r.next());

        byte[] sll = new byte[16];
        sll[14] = 0x08;
        r = new PcapReader(new ByteArrayInputStream(file(0xA1B2C3D4, ByteOrder.LITTLE_ENDIAN, 113, 0, 0, concat(sll, P1))));
        assertArrayEquals(P1, r.next().data());

        for (int link : new int[] {228, 229}) {
            r = new PcapReader(new ByteArrayInputStream(file(0xA1B2C3D4, ByteOrder.BIG_ENDIAN, link, 0, 0, P1)));
            assertArrayEquals(P1, r.next().data());
        }
    }

    @Test
    void clearErrorsForDamagedFiles() {
        IOException e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(new byte[3])));
        assertTrue(e.getMessage().contains("only 3 bytes"), e.getMessage());

        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream("hello, world, not pcap!!".getBytes())));
        assertTrue(e.getMessage().contains("magic number"), e.getMessage());

        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(new byte[] {0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0})));
        assertTrue(e.getMessage().contains("pcapng"), e.getMessage());

        byte[] good = file(0xA1B23C4D, ByteOrder.LITTLE_ENDIAN, 101, 0, 0, P1);
        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(Arrays.copyOf(good, 20))));
        assertTrue(e.getMessage().contains("truncated pcap file header"), e.getMessage());

        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(file(0xA1B23C4D, ByteOrder.LITTLE_ENDIAN, 147))));
        assertTrue(e.getMessage().contains("link type 147"), e.getMessage());

        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(Arrays.copyOf(good, 30))).next());
        assertTrue(e.getMessage().contains("truncated record header"), e.getMessage());

        e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 1))).next());
        assertTrue(e.getMessage().contains("truncated packet"), e.getMessage());
    }

    @Test
    void packetsLongerThanTheSnapLengthAreCut() throws IOException {
        byte[] big = new byte[300_000];
        big[0] = 0x45;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(big, 0, big.length, 1);
        }
        PcapPacket p = new PcapReader(new ByteArrayInputStream(bytes.toByteArray())).next();
        assertEquals(PcapWriter.SNAPLEN, p.data().length);
        assertEquals(300_000, p.originalLength());
        assertTrue(p.truncated());
    }
}
