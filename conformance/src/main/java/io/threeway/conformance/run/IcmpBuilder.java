package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.ScriptException;
import io.threeway.wire.Bytes;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.PacketBuilder;
import java.util.List;
import java.util.Map;

/**
 * An inbound ICMP line as packetdrill's icmp_packet.c builds it: the type and code by name ({@code unreachable
 * frag_needed}, ICMPv6's {@code packet_too_big}, or {@code type_N}/{@code code_N}), the MTU, and a quote of the
 * stack's segment that caused it: an IP header from the stack to the peer and the first 8 bytes of TCP (ports
 * and sequence number, the script's number translated as a non-SYN of the stack's, map_inbound_icmp_tcp_packet).
 */
final class IcmpBuilder {
    /** The TCP bytes an ICMP error quotes (ICMP_ECHO_BYTES). */
    private static final int ECHO_BYTES = 8;
    private static final List<String> V4_TYPES = List.of("echo_reply", "", "", "unreachable", "source_quench", "redirect", "", "",
            "echo_request", "", "", "time_exceeded", "parameter_problem", "timestamp_request", "timestamp_reply",
            "information_request", "information_reply", "address_mask_request", "address_mask_reply");
    private static final List<String> V4_UNREACH = List.of("net_unreachable", "host_unreachable", "protocol_unreachable",
            "port_unreachable", "frag_needed", "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated",
            "net_prohibited", "host_prohibited", "net_unreachable_for_tos", "host_unreachable_for_tos", "packet_filtered",
            "precedence_violation", "precedence_cutoff");
    /** Time exceeded's codes, as FreeBSD's packetdrill names them (packetdrill itself takes code_N). */
    private static final List<String> V4_TIME_EXCEEDED = List.of("ttl_exceeded_in_transit", "frag_reass_exceeded");
    private static final Map<String, Integer> V6_TYPES = Map.of("unreachable", 1, "packet_too_big", 2, "time_exceeded", 3,
            "parameter_problem", 4, "echo_request", 128, "echo_reply", 129);
    private static final Map<Integer, List<String>> V6_CODES = Map.of(
            1, List.of("net_unreachable", "no_route", "admin_prohibited", "not_neighbour", "address_unreachable", "port_unreachable"),
            3, List.of("exceeded_hop_limit", "exceeded_frag_time"),
            4, List.of("header_field", "unknown_next_header", "unknown_option"));

    private IcmpBuilder() {}

    /** The IP packet for an inbound ICMP line. */
    static byte[] build(Event.Icmp e, Peer peer) {
        boolean v6 = peer.local.v6();
        int type = type(e, v6);
        int code = code(e, v6, type);
        int quotedIp = v6 ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        boolean quotes = e.echoed() == null || !e.echoed().protocol().equals("raw");
        int length = quotes ? 8 + quotedIp + ECHO_BYTES : Math.max(8, Math.min(e.echoed().length(), 65_000));
        byte[] m = new byte[length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        if (e.mtu() != null) {
            if (v6) Bytes.putInt(m, 4, e.mtu());
            else Bytes.putU16(m, 6, e.mtu());
        }
        if (e.id() != null) Bytes.putU16(m, 4, e.id());
        if (quotes) quote(e, peer, m, 8, v6);
        return PacketBuilder.buildIcmp(peer.remote, peer.local, m, 0, m.length, 1); // fills the checksum
    }

    /** The stack's segment as the error quotes it: its IP header and its first 8 TCP bytes. */
    private static void quote(Event.Icmp e, Peer peer, byte[] m, int off, boolean v6) {
        boolean udp = e.echoed() != null && e.echoed().protocol().equals("udp");
        int l4 = udp ? 8 : 20;
        int payload = e.echoed() == null ? 0 : e.echoed().length();
        int protocol = udp ? 17 : 6;
        if (v6) Ipv6Header.write(m, off, peer.local, peer.remote, protocol, l4 + payload);
        else Ipv4Header.write(m, off, peer.local, peer.remote, protocol, l4 + payload, 0);
        int t = off + (v6 ? Ipv6Header.LENGTH : Ipv4Header.LENGTH);
        Bytes.putU16(m, t, peer.localPort);
        Bytes.putU16(m, t + 2, peer.remotePort);
        if (!udp) {
            long seq = e.echoed() == null ? 0 : e.echoed().seq();
            Bytes.putInt(m, t + 4, (int) peer.localToWire(seq, false));
        }
    }

    private static int type(Event.Icmp e, boolean v6) {
        Integer n = numbered(e.type(), "type_");
        if (n != null) return n;
        int t = v6 ? V6_TYPES.getOrDefault(e.type(), -1) : V4_TYPES.indexOf(e.type());
        if (t < 0 || e.type().isEmpty()) throw new ScriptException(e.pos(), "bad ICMP type " + e.type());
        return t;
    }

    private static int code(Event.Icmp e, boolean v6, int type) {
        if (e.code() == null) return 0;
        Integer n = numbered(e.code(), "code_");
        if (n != null) return n;
        List<String> codes = v6 ? V6_CODES.get(type) : type == 3 ? V4_UNREACH : type == 11 ? V4_TIME_EXCEEDED : null;
        int c = codes == null ? -1 : codes.indexOf(e.code());
        if (c < 0) throw new ScriptException(e.pos(), "bad ICMP code " + e.code());
        return c;
    }

    /** {@code type_3} or {@code code_4}: a number written out. */
    private static Integer numbered(String s, String prefix) {
        if (!s.startsWith(prefix)) return null;
        try {
            int v = Integer.parseInt(s.substring(prefix.length()));
            return v >= 0 && v <= 255 ? v : null;
        } catch (NumberFormatException ex) {
            return null;
        }
    }
}
