package io.threeway.host;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.settings.Sysctl;
import java.util.Arrays;

/**
 * ICMP for IPv4 (RFC 792) and ICMPv6 (RFC 4443) at the host: answers echo requests, so {@code ping} works
 * against the stack, and hands errors about our TCP segments to their connection, as Linux's icmp_rcv /
 * icmpv6_rcv and tcp_v4_err / tcp_v6_err do:
 * <ul>
 *   <li>the error quotes the start of the packet that caused it (IP header and at least 8 bytes of TCP:
 *       ports and sequence number), which names the connection; the quoted sequence number must lie in
 *       [SND.UNA, SND.NXT], or the message is ignored as forged or stale ({@code TcpExt: OutOfWindowIcmps});</li>
 *   <li>"fragmentation needed" (type 3 code 4) and "packet too big" lower the path MTU (RFC 1191, RFC 8201):
 *       the host caches it per destination and the connection shrinks its MSS and resends;</li>
 *   <li>any other unreachable, time exceeded or parameter problem becomes an errno by Linux's tables
 *       (icmp_err_convert, icmpv6_err_convert): port unreachable is ECONNREFUSED, host unreachable
 *       EHOSTUNREACH, network unreachable ENETUNREACH, ... While connecting it fails connect() at once; on an
 *       established connection it is a soft error (see {@link TcpConnection#icmpError}); a half-open
 *       passive connection is dropped quietly for the errors Linux's tcp_req_err drops it for.</li>
 * </ul>
 * Not done: ICMP redirects (a TUN link has one next hop), RFC 6069's RTO revert on unreachables, echo
 * replies' rate limits, and sending ICMP errors ourselves.
 */
final class IcmpHandler {
    // ICMP types and codes (RFC 792)
    static final int ECHO_REPLY = 0;
    static final int DEST_UNREACH = 3;
    static final int ECHO = 8;
    static final int TIME_EXCEEDED = 11;
    static final int PARAMETER_PROBLEM = 12;
    static final int NET_UNREACH = 0;
    static final int HOST_UNREACH = 1;
    static final int FRAG_NEEDED = 4;
    /** NR_ICMP_UNREACH: codes above it are ignored. */
    static final int MAX_UNREACH_CODE = 15;

    // ICMPv6 types and codes (RFC 4443)
    static final int V6_DEST_UNREACH = 1;
    static final int V6_PACKET_TOO_BIG = 2;
    static final int V6_TIME_EXCEEDED = 3;
    static final int V6_PARAMETER_PROBLEM = 4;
    static final int V6_ECHO_REQUEST = 128;
    static final int V6_ECHO_REPLY = 129;

    /** Linux's icmp_err_convert: the errno for each "destination unreachable" code 0 to 15. */
    private static final Errno[] V4_UNREACH = {
        Errno.ENETUNREACH,  // 0 net unreachable
        Errno.EHOSTUNREACH, // 1 host unreachable
        Errno.ENOPROTOOPT,  // 2 protocol unreachable
        Errno.ECONNREFUSED, // 3 port unreachable
        Errno.EMSGSIZE,     // 4 fragmentation needed (handled as PMTU before this table)
        Errno.EOPNOTSUPP,   // 5 source route failed
        Errno.ENETUNREACH,  // 6 destination network unknown
        Errno.EHOSTDOWN,    // 7 destination host unknown
        Errno.ENONET,       // 8 source host isolated
        Errno.ENETUNREACH,  // 9 network administratively prohibited
        Errno.EHOSTUNREACH, // 10 host administratively prohibited
        Errno.ENETUNREACH,  // 11 network unreachable for TOS
        Errno.EHOSTUNREACH, // 12 host unreachable for TOS
        Errno.EHOSTUNREACH, // 13 communication administratively prohibited
        Errno.EHOSTUNREACH, // 14 host precedence violation
        Errno.EHOSTUNREACH, // 15 precedence cutoff in effect
    };

    /** Linux's icmpv6_err_convert tab_unreach: errno and whether it is "fatal", for codes 0 to 6. */
    private static final Errno[] V6_UNREACH = {
        Errno.ENETUNREACH,  // 0 no route to destination
        Errno.EACCES,       // 1 administratively prohibited (fatal)
        Errno.EHOSTUNREACH, // 2 beyond scope of source address
        Errno.EHOSTUNREACH, // 3 address unreachable
        Errno.ECONNREFUSED, // 4 port unreachable (fatal)
        Errno.EACCES,       // 5 source address failed ingress/egress policy (fatal)
        Errno.EACCES,       // 6 reject route to destination (fatal)
    };
    private static final boolean[] V6_UNREACH_FATAL = {false, true, false, false, true, true, true};

    private final Stack stack;
    private final Counters counters;

    IcmpHandler(Stack stack) {
        this.stack = stack;
        this.counters = stack.counters();
    }

    /** One ICMP (in IPv4) or ICMPv6 (in IPv6) message addressed to this host, described by {@code ip}. */
    void receive(byte[] p, IpPacket ip, long now) {
        if (ip.v6()) {
            if (ip.protocol == IpProtocol.ICMPV6) receiveV6(p, ip, now);
        } else if (ip.protocol == IpProtocol.ICMP) {
            receiveV4(p, ip, now);
        }
    }

    private void receiveV4(byte[] p, IpPacket ip, long now) {
        counters.inc(Counter.ICMP_IN_MSGS);
        int off = ip.payloadOffset;
        int len = ip.payloadLength;
        if (len < 8) {
            counters.inc(Counter.ICMP_IN_ERRORS);
            return;
        }
        if (!Checksum.verifyIcmpV4(p, ip)) {
            counters.inc(Counter.ICMP_IN_CSUM_ERRORS);
            counters.inc(Counter.ICMP_IN_ERRORS);
            return;
        }
        int type = p[off] & 0xFF;
        int code = p[off + 1] & 0xFF;
        switch (type) {
            case ECHO -> {
                counters.inc(Counter.ICMP_IN_ECHOS);
                // net.ipv4.icmp_echo_ignore_all: do not answer pings (IPv4 only; Linux has a separate IPv6 setting).
                if (stack.sysctls().get(Sysctl.ICMP_ECHO_IGNORE_ALL) == 0) echoReply(p, ip, ECHO_REPLY, now);
            }
            case DEST_UNREACH -> {
                counters.inc(Counter.ICMP_IN_DEST_UNREACHS);
                if (code > MAX_UNREACH_CODE) return;
                if (code == FRAG_NEEDED) {
                    quotedV4(p, off + 8, len - 8, Errno.EMSGSIZE, false, Bytes.getU16(p, off + 6), now);
                    return;
                }
                boolean abortRequest = code == NET_UNREACH || code == HOST_UNREACH;
                quotedV4(p, off + 8, len - 8, V4_UNREACH[code], abortRequest, -1, now);
            }
            case TIME_EXCEEDED -> {
                counters.inc(Counter.ICMP_IN_TIME_EXCDS);
                quotedV4(p, off + 8, len - 8, Errno.EHOSTUNREACH, true, -1, now);
            }
            case PARAMETER_PROBLEM -> {
                counters.inc(Counter.ICMP_IN_PARM_PROBS);
                quotedV4(p, off + 8, len - 8, Errno.EPROTO, true, -1, now);
            }
            default -> { } // echo replies, redirects, source quench, timestamps...: nothing to do
        }
    }

    private void receiveV6(byte[] p, IpPacket ip, long now) {
        counters.inc(Counter.ICMP6_IN_MSGS);
        int off = ip.payloadOffset;
        int len = ip.payloadLength;
        if (len < 8) {
            counters.inc(Counter.ICMP6_IN_ERRORS);
            return;
        }
        if (!Checksum.verifyTransport(p, ip)) {
            counters.inc(Counter.ICMP6_IN_CSUM_ERRORS);
            counters.inc(Counter.ICMP6_IN_ERRORS);
            return;
        }
        int type = p[off] & 0xFF;
        int code = p[off + 1] & 0xFF;
        switch (type) {
            case V6_ECHO_REQUEST -> {
                counters.inc(Counter.ICMP6_IN_ECHOS);
                echoReply(p, ip, V6_ECHO_REPLY, now);
            }
            case V6_DEST_UNREACH -> {
                counters.inc(Counter.ICMP6_IN_DEST_UNREACHS);
                Errno err = code < V6_UNREACH.length ? V6_UNREACH[code] : Errno.EPROTO;
                boolean fatal = code < V6_UNREACH.length && V6_UNREACH_FATAL[code];
                quotedV6(p, off + 8, len - 8, err, fatal, -1, now);
            }
            case V6_PACKET_TOO_BIG -> {
                counters.inc(Counter.ICMP6_IN_PKT_TOO_BIGS);
                long mtu = Bytes.getInt(p, off + 4) & 0xFFFFFFFFL;
                quotedV6(p, off + 8, len - 8, Errno.EMSGSIZE, false, (int) Math.min(mtu, Integer.MAX_VALUE), now);
            }
            case V6_TIME_EXCEEDED -> {
                counters.inc(Counter.ICMP6_IN_TIME_EXCDS);
                quotedV6(p, off + 8, len - 8, Errno.EHOSTUNREACH, false, -1, now);
            }
            case V6_PARAMETER_PROBLEM -> {
                counters.inc(Counter.ICMP6_IN_PARM_PROBLEMS);
                quotedV6(p, off + 8, len - 8, Errno.EPROTO, true, -1, now);
            }
            default -> { } // echo replies, neighbour discovery (not needed on a point-to-point TUN link), MLD...
        }
    }

    /**
     * RFC 792 / RFC 4443 §4.2: the reply carries the request's identifier, sequence number and data, from
     * the address the request was sent to.
     */
    private void echoReply(byte[] p, IpPacket ip, int replyType, long now) {
        byte[] msg = Arrays.copyOfRange(p, ip.payloadOffset, ip.payloadOffset + ip.payloadLength);
        msg[0] = (byte) replyType;
        IpAddress from = ip.destination();
        IpAddress to = ip.source();
        if (stack.sendIcmp(from, to, msg, now)) {
            counters.inc(ip.v6() ? Counter.ICMP6_OUT_MSGS : Counter.ICMP_OUT_MSGS);
            counters.inc(ip.v6() ? Counter.ICMP6_OUT_ECHO_REPLIES : Counter.ICMP_OUT_ECHO_REPS);
        }
    }

    /** The IPv4 packet quoted in an error at {@code q}: at least its header and the first 8 bytes of TCP. */
    private void quotedV4(byte[] p, int q, int len, Errno err, boolean abortRequest, int mtu, long now) {
        if (len < Ipv4Header.LENGTH) return;
        int ihl = (p[q] & 0x0F) * 4;
        if ((p[q] >> 4 & 0xF) != 4 || ihl < Ipv4Header.LENGTH || len < ihl + 8) return;
        if ((p[q + 9] & 0xFF) != IpProtocol.TCP) return;
        IpAddress src = IpAddress.read(p, q + 12, false);
        IpAddress dst = IpAddress.read(p, q + 16, false);
        tcpError(src, dst, p, q + ihl, err, abortRequest, mtu, now);
    }

    /**
     * The IPv6 packet quoted in an error: its fixed header and the first 8 bytes of TCP. The stack sends no
     * extension headers, so a quote of one of its own packets has TCP right after the fixed header.
     */
    private void quotedV6(byte[] p, int q, int len, Errno err, boolean abortRequest, int mtu, long now) {
        if (len < Ipv6Header.LENGTH + 8 || (p[q] >> 4 & 0xF) != 6) return;
        if ((p[q + 6] & 0xFF) != IpProtocol.TCP) return;
        IpAddress src = IpAddress.read(p, q + 8, true);
        IpAddress dst = IpAddress.read(p, q + 24, true);
        tcpError(src, dst, p, q + Ipv6Header.LENGTH, err, abortRequest, mtu, now);
    }

    /** tcp_v4_err / tcp_v6_err for the segment we sent from {@code src} to {@code dst}, quoted at {@code t}. */
    private void tcpError(IpAddress src, IpAddress dst, byte[] p, int t, Errno err, boolean abortRequest, int mtu, long now) {
        FourTuple tuple = new FourTuple(src, Bytes.getU16(p, t), dst, Bytes.getU16(p, t + 2));
        if (stack.inCompactTimeWait(tuple)) return; // TIME-WAIT ignores ICMP errors, as below
        TcpConnection c = stack.connection(tuple);
        if (c == null) {
            counters.inc(src.v6() ? Counter.ICMP6_IN_ERRORS : Counter.ICMP_IN_ERRORS);
            return;
        }
        TcpState state = c.state();
        if (state == TcpState.TIME_WAIT || state == TcpState.CLOSED || state == TcpState.LISTEN) return;
        int seq = Bytes.getInt(p, t + 4);
        boolean request = c.isPassive() && state == TcpState.SYN_RECEIVED;
        if (!c.icmpQuoteInWindow(seq)) {
            counters.inc(Counter.OUT_OF_WINDOW_ICMPS);
            return;
        }
        if (mtu >= 0) {
            if (request) return;
            int lowered = stack.pathMtuReported(dst, mtu, now);
            if (lowered > 0) c.pathMtuChanged(lowered, now);
            return;
        }
        if (request && !abortRequest) return;
        c.icmpError(err, now);
    }
}
