package io.threeway.lab.scenarios;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/** The bottleneck's count: each payload byte once, when it first crossed; every packet but a duplicate's copy. */
class BottleneckMeterTest {
    static final long S = 1_000_000_000L;
    static final IpAddress A = IpAddress.parse("198.18.0.1");
    static final IpAddress B = IpAddress.parse("198.18.0.2");

    static byte[] data(int port, int seq, int length, int ipId) {
        TcpSegment s = new TcpSegment();
        s.srcPort = port;
        s.dstPort = 5001;
        s.seq = seq;
        s.ack = 1;
        s.flags = TcpFlags.ACK;
        s.window = 1000;
        s.payload = new byte[length];
        s.payloadOffset = 0;
        s.payloadLength = length;
        return PacketBuilder.buildTcp(A, B, s, ipId);
    }

    static void deliver(BottleneckMeter m, byte[] p, long at) {
        m.packet(p, p.length, at);
    }

    /** A meter on a real link of a network that never runs: the test hands it the deliveries. */
    static BottleneckMeter meter(long from, long end) {
        Network net = new Network(1);
        Stack a = net.host("a", new Sysctls());
        Stack b = net.host("b", new Sysctls());
        Link link = net.link(a, A.toString(), b, B.toString(), LinkConfig.PERFECT);
        return BottleneckMeter.on(net.sim(), link.aToB(), from, end);
    }

    @Test
    void aHoleFilledInTheWindowCountsOnlyItsOwnBytes() {
        BottleneckMeter m = meter(1 * S, 2 * S);
        int isn = -1000;                                          // the sequence space wraps inside the transfer
        deliver(m, data(40000, isn, 1000, 1), S / 2);             // before the window
        deliver(m, data(40000, isn + 2000, 1000, 2), S / 2);      // a hole at isn + 1000
        byte[] fill = data(40000, isn + 1000, 1000, 3);
        deliver(m, fill, S + 1);                                  // fills it in the window: 1000 new bytes, not 2000
        deliver(m, fill, S + 1);                                  // its duplicate: not carried by the bottleneck
        deliver(m, data(40000, isn + 500, 2000, 4), S + 2);       // a retransmission of what arrived: nothing new
        deliver(m, data(40000, isn + 2500, 1000, 5), S + 3);      // 500 new bytes
        deliver(m, data(40001, 7, 100, 6), S + 4);                // another connection
        deliver(m, data(40000, isn + 9000, 100, 7), 3 * S);       // after the window
        assertEquals(1500 * 8, m.goodput(40000), 1e-9);
        assertEquals(100 * 8, m.goodput(40001), 1e-9);
        assertEquals(0, m.goodput(40002));
    }

    @Test
    void theWindowIncludesItsStartAndNotItsEnd() {
        BottleneckMeter m = meter(S, 2 * S);
        deliver(m, data(40000, 1, 100, 1), S);
        deliver(m, data(40000, 101, 100, 2), 2 * S);
        assertEquals(100 * 8, m.goodput(40000), 1e-9);
    }
}
