package io.threeway.wire;

/**
 * IP protocol numbers (the IPv4 Protocol field and the IPv6 Next Header field) this stack meets, from the
 * IANA "Assigned Internet Protocol Numbers" registry.
 */
public final class IpProtocol {
    private IpProtocol() {}

    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NO_NEXT = 59;
    public static final int IPV6_DEST_OPTS = 60;
}
