package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.wire.TcpFlags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    private final Simulator sim = new Simulator(1);
    private final FakeHost client = new FakeHost("client");
    private final FakeHost server = new FakeHost("server");
    private final Link link = sim.link(client, server, LinkConfig.builder().delay(Duration.ofMillis(10)).build());

    {
        client.sink = link.sinkAtoB();
        server.sink = link.sinkBtoA();
    }

    private void at(long t, FakeHost from, byte[] packet) {
        sim.schedule(t, () -> from.send(packet, t));
    }

    @Test
    void dropTheFirstSynAck() {
        link.bToA().addRule(Rules.dropFirst(1, Packet::isSynAck));
        at(0, client, TestPackets.tcp4(TcpFlags.SYN, 0));
        at(10 * MS, server, TestPackets.tcp4(TcpFlags.SYN | TcpFlags.ACK, 0));
        at(1010 * MS, server, TestPackets.tcp4(TcpFlags.SYN | TcpFlags.ACK, 0));
        at(1020 * MS, server, TestPackets.tcp4(TcpFlags.ACK, 0));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(1, server.received.size(), "the SYN passes: the rule is on the other direction");
        assertEquals(2, client.received.size());
        assertEquals(1020 * MS, client.received.get(0).time());
        assertEquals(1, link.bToA().stats().droppedByRule());
    }

    @Test
    void blackholeEverythingAfterFiveSeconds() {
        link.aToB().addRule(Rules.blackholeAfter(5 * SECOND));
        for (int i = 0; i < 10; i++) at(i * SECOND, client, TestPackets.tcp4(TcpFlags.ACK, 10));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(5, server.received.size());
        assertEquals(5, link.aToB().stats().droppedByRule());
    }

    @Test
    void stripFastOpenOptionAndKeepTheChecksumValid() {
        byte[] options = {
            2, 4, 0x05, (byte) 0xB4,                 // MSS 1460
            34, 10, 1, 2, 3, 4, 5, 6, 7, 8,          // Fast Open cookie
            1, 1, 1, 1, 1, 1,                        // NOPs to a multiple of 4 (20 bytes)
        };
        link.aToB().addRule(Rules.stripTcpOption(34));
        at(0, client, TestPackets.tcp4(40000, 80, 7, TcpFlags.SYN, options, 5));
        sim.runUntilIdle(Long.MAX_VALUE);
        byte[] got = server.received.get(0).bytes();
        Packet p = Packet.of(got, got.length);
        assertEquals(-1, p.findTcpOption(34));
        assertEquals(20, p.findTcpOption(2) - p.tcpOffset(), "MSS untouched");
        assertTrue(p.tcpChecksumOk());
        assertEquals(5, p.tcpPayloadLength());
    }

    @Test
    void delayOneKindOfPacketAndLetOthersOvertake() {
        link.aToB().addRule(Rules.delayMatching(Packet::isFin, 100 * MS));
        at(0, client, TestPackets.tcp4(TcpFlags.FIN | TcpFlags.ACK, 0));
        at(MS, client, TestPackets.tcp4(TcpFlags.ACK, 10));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(11 * MS, server.received.get(0).time());
        assertEquals(110 * MS, server.received.get(1).time());
    }

    @Test
    void alterRewritesBytes() {
        link.aToB().addRule(Rules.alter(Packet::isSyn, p -> {
            p.setTcpFlags(p.tcpFlags() | TcpFlags.ECE | TcpFlags.CWR);
            p.updateTcpChecksum();
        }));
        at(0, client, TestPackets.tcp4(TcpFlags.SYN, 0));
        sim.runUntilIdle(Long.MAX_VALUE);
        byte[] got = server.received.get(0).bytes();
        Packet p = Packet.of(got, got.length);
        assertEquals(TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR, p.tcpFlags());
        assertTrue(p.tcpChecksumOk());
    }

    @Test
    void rulesRunInOrderAndSeeTransmitTime() {
        List<Long> seen = new ArrayList<>();
        link.aToB().addRule((p, now) -> {
            seen.add(now);
            return Verdict.PASS;
        }).addRule(Rules.dropNth(2, p -> true));
        at(3 * MS, client, TestPackets.tcp4(TcpFlags.ACK, 1));
        at(4 * MS, client, TestPackets.tcp4(TcpFlags.ACK, 2));
        at(5 * MS, client, TestPackets.tcp4(TcpFlags.ACK, 3));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(List.of(3 * MS, 4 * MS, 5 * MS), seen);
        assertEquals(2, server.received.size());
    }

    @Test
    void packetViewDecodesIpv4AndIpv6() {
        byte[] v4 = TestPackets.tcp4(1234, 80, 99, TcpFlags.SYN | TcpFlags.ACK, new byte[0], 3);
        Packet p = Packet.of(v4, v4.length);
        assertEquals(4, p.ipVersion());
        assertEquals(Packet.PROTO_TCP, p.protocol());
        assertEquals(1234, p.srcPort());
        assertEquals(80, p.dstPort());
        assertEquals(99, p.tcpSeq());
        assertTrue(p.isSynAck());
        assertFalse(p.isSyn());
        assertEquals(3, p.tcpPayloadLength());
        assertTrue(p.tcpChecksumOk());

        // The same segment over IPv6.
        int tcpLen = v4.length - 20;
        byte[] v6 = new byte[40 + tcpLen];
        v6[0] = 0x60;
        v6[4] = (byte) (tcpLen >>> 8);
        v6[5] = (byte) tcpLen;
        v6[6] = 6;
        v6[7] = 64;
        v6[8] = 0x20;
        v6[9] = 0x01;
        v6[23] = 1;
        v6[24] = 0x20;
        v6[25] = 0x01;
        v6[39] = 2;
        System.arraycopy(v4, 20, v6, 40, tcpLen);
        Packet q = Packet.of(v6, v6.length);
        assertEquals(6, q.ipVersion());
        assertEquals(40, q.tcpOffset());
        assertTrue(q.isSynAck());
        assertEquals(1234, q.srcPort());
        q.updateTcpChecksum();
        assertTrue(q.tcpChecksumOk());
        v6[45] ^= 1;
        assertFalse(q.tcpChecksumOk());

        Packet junk = Packet.of(new byte[] {0x45, 0}, 2);
        assertEquals(-1, junk.tcpFlags());
        assertFalse(junk.isSynAck());
        assertArrayEquals(new byte[] {0x45, 0}, junk.copy());
    }
}
