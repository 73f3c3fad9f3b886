package io.threeway.host;

import io.threeway.stats.Counter;
import io.threeway.tcp.TimeWait;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpSegment;

/**
 * The way out (Linux's ip_queue_xmit for TCP, icmp_push_reply): route the packet, build IP header, TCP header
 * and options (in the stack's option layout) and checksums, show it to the observers, hand it to the
 * interface's {@link PacketSink}.
 */
final class Outbound {
    /** The host. */
    private final Stack stack;
    /** The IPv4 identification of the next packet. */
    private int ipId;

    Outbound(Stack stack, int firstIpId) {
        this.stack = stack;
        this.ipId = firstIpId;
    }

    /** Sends one TCP segment of the connection {@code t}. */
    void send(FourTuple t, TcpSegment s, long now) {
        Interface ifc = stack.route(t.remoteAddress());
        if (ifc == null) {
            stack.counters().inc(Counter.IP_OUT_NO_ROUTES);
            return;
        }
        PacketSink sink = ifc.sink();
        OptionLayout layout = stack.optionLayout();
        byte[] pkt = sink.buffer(PacketBuilder.tcpPacketLength(t.v6(), s, layout));
        int len = PacketBuilder.buildTcp(t.localAddress(), t.remoteAddress(), s, layout, ipId++ & 0xFFFF, pkt);
        if (s.pieces() > 1) {
            // A super-segment (TSO/GSO): one packet here and to the observers, as tcpdump on Linux's lo shows it.
            ipId += s.pieces() - 1; // the IDs its segments take when the device cuts it (tcp_gso_segment)
            stack.counters().inc(Counter.IP_OUT_REQUESTS);
            stack.observePacket(true, pkt, 0, len, now);
            sink.transmit(pkt, len, s.gsoSize, now);
            return;
        }
        hand(ifc, pkt, len, now);
    }

    /** The ACK of a compact TIME-WAIT (see {@link TimeWait#fillAck}). */
    void sendTimeWaitAck(TimeWaitEntry tw, int window, int tsOffset, long now) {
        TcpSegment s = stack.timeWaitReply;
        TimeWait.fillAck(s, tw.localPort(), tw.remotePort(), tw, window, tsOffset, now);
        stack.counters().inc(Counter.OUT_SEGS);
        send(tw.tuple(), s, now);
    }

    /** Sends an ICMP or ICMPv6 message from {@code src} to {@code dst}; false when no route. */
    boolean sendIcmp(IpAddress src, IpAddress dst, byte[] message, long now) {
        Interface ifc = stack.route(dst);
        if (ifc == null) {
            stack.counters().inc(Counter.IP_OUT_NO_ROUTES);
            return false;
        }
        byte[] pkt = PacketBuilder.buildIcmp(src, dst, message, 0, message.length, ipId++ & 0xFFFF);
        hand(ifc, pkt, pkt.length, now);
        return true;
    }

    private void hand(Interface ifc, byte[] pkt, int len, long now) {
        stack.counters().inc(Counter.IP_OUT_REQUESTS);
        stack.observePacket(true, pkt, 0, len, now);
        ifc.sink().transmit(pkt, len, now);
    }
}
