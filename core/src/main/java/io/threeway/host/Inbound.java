package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.Resets;
import io.threeway.tcp.TimeWait;
import io.threeway.wire.Checksum;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpPacket;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.ParseResult;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;

/**
 * The way in (Linux's ip_rcv, tcp_v4_rcv): IP header checks, the TCP checksum, the header and options parsed
 * into one reused {@link TcpSegment}, then demultiplexing: the connection by four-tuple (the
 * {@link ConnectionTable}, without making an object), else a listener, else an RST (RFC 9293 §3.10.7.1: what
 * makes connect() fail with "Connection refused").
 */
final class Inbound {
    /** The host. */
    private final Stack stack;
    /** Its counters. */
    private final Counters counters;
    /** The one parsed IP header, reused for every packet. */
    private final IpPacket ip = new IpPacket();
    /** The one parsed TCP segment, reused for every packet; its payload stays in the packet's array. */
    private final TcpSegment seg = new TcpSegment();
    /** The one outgoing reset, reused. */
    private final TcpSegment reply = new TcpSegment();

    Inbound(Stack stack) {
        this.stack = stack;
        this.counters = stack.counters();
    }

    /** One IP packet from an interface. */
    void receiveIp(byte[] p, int off, int len, long now) {
        counters.inc(Counter.IP_IN_RECEIVES);
        if (len < 1) {
            counters.inc(Counter.IP_IN_HDR_ERRORS);
            return;
        }
        ParseResult r = parse(p, off, len);
        if (!r.ok() && r != ParseResult.FRAGMENT) {
            counters.inc(Counter.IP_IN_HDR_ERRORS);
            return;
        }
        // ip_rcv_finish's route lookup (martian sources, then "is it for us") comes before ip_local_deliver's defrag.
        Martians.Verdict source = Martians.judge(ip, stack.interfaceList(), stack.sysctls().get(Sysctl.IP_ROUTE_LOCALNET) != 0);
        if (source != Martians.Verdict.OK) {
            counters.inc(source == Martians.Verdict.MARTIAN ? Counter.THREEWAY_IN_MARTIAN_SRC : Counter.IP_IN_HDR_ERRORS);
            return;
        }
        if (!stack.isLocal(ip)) {
            counters.inc(Counter.IP_IN_ADDR_ERRORS);
            return;
        }
        if (ip.fragment) {
            byte[] whole = stack.reassembly.add(p, ip, now);
            if (whole == null || !parse(whole, 0, whole.length).ok()) return;
            p = whole;
        }
        deliver(p, now);
    }

    /** Parses an IPv4 or IPv6 packet into {@link #ip}. */
    private ParseResult parse(byte[] p, int off, int len) {
        int version = (p[off] >> 4) & 0xF;
        return version == 4 ? Ipv4Header.parse(p, off, len, ip)
                : version == 6 ? Ipv6Header.parse(p, off, len, ip) : ParseResult.BAD_VERSION;
    }

    /** A whole datagram for us, to its protocol (ip_local_deliver_finish). */
    private void deliver(byte[] p, long now) {
        if (ip.protocol == IpProtocol.TCP) {
            counters.inc(Counter.IP_IN_DELIVERS);
            receiveTcp(p, now);
        } else if (ip.protocol == (ip.v6() ? IpProtocol.ICMPV6 : IpProtocol.ICMP)) {
            counters.inc(Counter.IP_IN_DELIVERS);
            stack.icmp.receive(p, ip, now);
        } else {
            counters.inc(Counter.IP_IN_UNKNOWN_PROTOS);
        }
    }

    /** A TCP segment for one of our addresses. */
    private void receiveTcp(byte[] p, long now) {
        if (!Checksum.verifyTransport(p, ip)) {
            counters.inc(Counter.IN_CSUM_ERRORS);
            counters.inc(Counter.IN_ERRS);
            return;
        }
        ParseResult parsed = TcpCodec.parse(p, ip.payloadOffset, ip.payloadLength, seg);
        // A bad option length ends option parsing and the segment is kept with the options before it (Linux's
        // tcp_parse_options returns there: "silly options", "don't parse partial options"); a bad header drops it.
        if (!parsed.ok() && parsed != ParseResult.BAD_OPTION) {
            counters.inc(Counter.IN_ERRS);
            return;
        }
        seg.ecn = ip.trafficClass & 3; // RFC 3168 §5: the IP header's ECN field reaches TCP (TCP_SKB_CB(skb)->ip_dsfield)
        SynRateLimit limit = stack.synRateLimit();
        if (limit != null && seg.syn() && !seg.ackFlag() && !limit.admit(now)) {
            return; // dropped by the ingress filter before TCP sees it, as iptables would
        }
        counters.inc(Counter.IN_SEGS);
        TupleEntry e = stack.table.find(ip, seg.srcPort, seg.dstPort);
        if (e != null && !stack.timeWaitReuse.synReplaces(e, seg, now)) {
            if (e instanceof Pcb pcb) {
                if (!stack.listenPath.acceptQueueOverflow(pcb, seg, now)) pcb.conn.segmentArrives(seg, now);
            } else {
                TimeWait.arrives((TimeWaitEntry) e, stack.env, seg, now);
            }
            return;
        }
        // Our address is the interface's own object: every connection to it shares one.
        FourTuple t = new FourTuple(stack.ownAddress(ip), seg.dstPort, ip.source(), seg.srcPort);
        Listener l = stack.listeners.find(t.localAddress(), t.localPort());
        if (l != null) {
            stack.listenPath.arrives(l, seg, t, now);
            return;
        }
        // RFC 9293 §3.10.7.1: "If the state is CLOSED ... a reset is sent in response to any incoming
        // segment except another reset."
        replyReset(seg, t, now);
    }

    /** The reset that answers {@code in} for the four-tuple {@code t}, if one is due. */
    void replyReset(TcpSegment in, FourTuple t, long now) {
        if (!Resets.replyTo(in, reply)) return;
        counters.inc(Counter.OUT_RSTS);
        counters.inc(Counter.OUT_SEGS);
        stack.outbound.send(t, reply, now);
    }
}
