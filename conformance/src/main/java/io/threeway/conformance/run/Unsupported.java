package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.TcpOption;

/**
 * What makes a script unrunnable before it starts: a feature the stack lacks (UDP, tunnels, TCP-MD5, AccECN)
 * or one the runner does not model. Such a script is skipped with the reason, never failed on a parse error.
 */
final class Unsupported {
    private Unsupported() {}

    /** Why the script cannot be run at all, or null. */
    static String reason(Script script) {
        for (Event e : script.events()) {
            String why = switch (e) {
                case Event.Udp u -> "UDP packets are not supported (the stack has TCP only)";
                case Event.Icmp i -> i.encapsulation() != null ? "encapsulated packets (" + i.encapsulation() + ") are not supported"
                        : !i.inbound() ? "outbound ICMP lines are not supported (the stack sends no ICMP errors)" : null;
                case Event.Packet p -> packet(p);
                default -> null;
            };
            if (why != null) return e.pos() + ": " + why;
        }
        String ip = script.option("ip_version", "ipv4");
        if (!ip.equals("ipv4") && !ip.equals("ipv6")) return "--ip_version=" + ip + " is not supported";
        return null;
    }

    private static String packet(Event.Packet p) {
        if (p.encapsulation() != null) return "encapsulated packets (" + p.encapsulation() + ") are not supported";
        if (p.tcp().options() != null) {
            for (TcpOption o : p.tcp().options()) {
                if (o instanceof TcpOption.Md5 m && (m.digest() == null || !p.inbound())) {
                    return "TCP-MD5 signatures (RFC 2385, TCP_MD5SIG) are not supported by the stack";
                }
                if (o instanceof TcpOption.AccEcn && !p.inbound()) return "AccECN (RFC 9768) is not supported by the stack";
            }
        }
        if (!p.inbound() && (p.tcp().has('A') || p.tcp().flags().chars().anyMatch(Character::isDigit))) {
            return "AccECN's AE flag and ACE field are not supported by the stack";
        }
        return null;
    }
}
