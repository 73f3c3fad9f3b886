package io.threeway.conformance.script;

/**
 * The IP header fields a packet line gives in brackets or parentheses after its direction: packetdrill's
 * {@code [ect0]}, {@code [noecn]}, {@code [ce]}, {@code [ect01]} (either ECT codepoint), {@code [tos 0x20]},
 * {@code (flowlabel 0x1)}, {@code (ttl 64)}; FreeBSD's packetdrill also writes {@code (tos 0x20, ttl 64)}, with
 * {@code class} for the IPv6 traffic class and {@code hlim} for the hop limit.
 *
 * @param ecn {@code noecn}, {@code ect0}, {@code ect1}, {@code ce} or {@code ect01}, or null when not given
 * @param tos the whole TOS / traffic class byte, or null
 * @param flowLabel the IPv6 flow label, or null
 * @param ttl the TTL / hop limit, or null
 */
public record IpInfo(String ecn, Long tos, Long flowLabel, Long ttl) {
    /** A line that gives no IP fields. */
    public static final IpInfo NONE = new IpInfo(null, null, null, null);

    /** Whether the line gives any field. */
    public boolean given() {
        return ecn != null || tos != null || flowLabel != null || ttl != null;
    }

    /** The two ECN bits this asks for (0 not-ECT, 1 ECT(1), 2 ECT(0), 3 CE), or -1 for none or {@code ect01}. */
    public int ecnBits() {
        if (ecn != null) {
            return switch (ecn) {
                case "noecn" -> 0;
                case "ect1" -> 1;
                case "ect0" -> 2;
                case "ce" -> 3;
                default -> -1;
            };
        }
        return tos != null ? (int) (tos & 3) : -1;
    }
}
