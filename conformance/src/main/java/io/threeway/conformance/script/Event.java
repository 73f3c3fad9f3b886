package io.threeway.conformance.script;

import java.util.List;

/** One event of a script: a time followed by a packet, a system call, a backtick command or a code block. */
public sealed interface Event {
    SourcePos pos();
    EventTime time();
    /** The event as written (its first line, trimmed), for reports. */
    String text();

    /**
     * {@code < ...} (the script sends to the stack) or {@code > ...} (the stack must send) with a TCP segment.
     *
     * @param ip the IP header fields the line gives ({@code [ect0]}, {@code (tos 0x20)}), or {@link IpInfo#NONE}
     * @param encapsulation a tunnel the packet travels in ({@code ipv4 a > b:}, {@code gre:}, {@code mpls},
     *        FreeBSD's {@code /udp(1 > 9811)}), as written, or null
     */
    record Packet(SourcePos pos, EventTime time, String text, boolean inbound, IpInfo ip, String encapsulation,
                  TcpSpec tcp) implements Event { }

    /** {@code < udp (100)}: a UDP datagram with that many bytes of payload. */
    record Udp(SourcePos pos, EventTime time, String text, boolean inbound, IpInfo ip, String encapsulation,
               Integer srcPort, Integer dstPort, int length) implements Event { }

    /**
     * {@code < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]}: an ICMP message, its type and code as
     * named (ICMPv6 names under IPv6), the MTU it reports, an echo id, and the segment it quotes.
     *
     * @param code the code's name, or null
     * @param mtu the MTU a "fragmentation needed" or "packet too big" message reports, or null
     * @param echoed the quoted packet: {@code [start:end(len)]} for TCP, or null for a TCP header at 0:0(0)
     */
    record Icmp(SourcePos pos, EventTime time, String text, boolean inbound, IpInfo ip, String encapsulation,
                String type, String code, Integer mtu, Integer id, Echoed echoed) implements Event {

        /** What an ICMP error quotes: the protocol, the first sequence number and the payload length. */
        public record Echoed(String protocol, long seq, int length) { }
    }

    /**
     * {@code connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}: a system call, its arguments,
     * the result it must return and, for -1, the errno name it must fail with (null: any errno).
     */
    record Syscall(SourcePos pos, EventTime time, String text, String name, List<Expr> args, Expr result,
                   String errno, String note) implements Event { }

    /** A backtick command at a time: a shell command the runner never executes. */
    record Shell(SourcePos pos, EventTime time, String text, String command) implements Event { }

    /** A {@code %{ ... }%} block of Python, evaluated against TCP_INFO by the runner's own evaluator. */
    record Code(SourcePos pos, EventTime time, String text, String code) implements Event { }
}
