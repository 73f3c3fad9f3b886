package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.conformance.script.IpInfo;
import io.threeway.conformance.script.TcpSpec;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner's device as packetdrill's tun device: a super-segment larger than the MTU passes whole and matches
 * the line that expects it; MSS-sized pieces of one are aggregated as packetdrill's sniffer aggregates them.
 */
class DeviceMatchingTest {
    private static final Peer PEER = new Peer(false);

    /** A segment from the stack (198.18.0.1:8080) to the peer, as the device would hand it to the runner. */
    private static SentPacket segment(long seq, int len, int flags) {
        TcpSegment s = new TcpSegment();
        s.srcPort = Peer.SCRIPT_PORT;
        s.dstPort = Peer.PEER_EPHEMERAL_PORT;
        s.seq = (int) seq;
        s.ack = 1;
        s.flags = flags;
        s.window = 256;
        s.payload = new byte[len];
        s.payloadLength = len;
        byte[] p = PacketBuilder.buildTcp(PEER.local, PEER.remote, s, 1);
        return SentPacket.decode(1_000_000, p, p.length);
    }

    private static TcpSpec expect(long start, int len, String flags) {
        return new TcpSpec(flags, false, start, start + len, len, 1L, null, null, List.of(), null, null);
    }

    @Test
    void aSuperSegmentBeyondTheMtuPassesWholeAndMatches() {
        SentPacket gso = segment(1, 4000, TcpFlags.ACK | TcpFlags.PSH); // 4 MSS of 1000 in one packet, over a 1500 MTU
        assertEquals(4000, gso.payload());
        assertTrue(gso.packet().length > 1500);
        assertEquals(List.of(), PacketMatcher.compare(expect(1, 4000, "P."), IpInfo.NONE, gso, PEER, 0, 4000));
    }

    @Test
    void piecesOfOneSegmentAggregateWithTheLastOnesFlagsAndTheFirstOnesSequence() {
        SentPacket a = segment(1, 1000, TcpFlags.ACK);
        SentPacket b = segment(1001, 1000, TcpFlags.ACK | TcpFlags.PSH);
        assertNull(SentPacket.fragmentMismatch(a, b));
        SentPacket whole = SentPacket.aggregate(List.of(a, b));
        assertEquals(2000, whole.payload());
        assertEquals(1, whole.seq());
        assertEquals(List.of(), PacketMatcher.compare(expect(1, 2000, "P."), IpInfo.NONE, whole, PEER, 0, 4000));
        assertNotNull(SentPacket.fragmentMismatch(a, segment(2001, 1000, TcpFlags.ACK)), "a gap is not a continuation");
        assertNotNull(SentPacket.fragmentMismatch(a, segment(1001, 1000, TcpFlags.ACK | TcpFlags.FIN | TcpFlags.SYN)),
                "SYN differs: not a continuation (FIN and PSH may differ, as in packetdrill's non-strict check)");
    }

    @Test
    void theDeviceTakesGsoOffFromEthtool() {
        ScriptDevice device = new ScriptDevice();
        assertTrue(device.gso, "packetdrill's tun device takes super-segments");
        ShellReader reader = new ShellReader(new io.threeway.host.Stack("t", 1), null, device, new java.util.HashMap<>());
        List<ShellReader.Outcome> out = reader.run("ethtool -K tun0 gso off tso off");
        assertTrue(out.get(0).applied(), out::toString);
        assertEquals(false, device.gso);
    }
}
