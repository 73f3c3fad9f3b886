package io.threeway.host;

import io.threeway.wire.IpAddress;
import java.util.HashMap;

/**
 * Path MTUs learned from ICMP, per destination: Linux keeps them as exceptions on the route (fib nexthop
 * exceptions, {@code ip route get} shows {@code mtu lock 1280 expires 598sec}). An entry only ever lowers
 * the interface's MTU, and expires after net.ipv4.route.mtu_expires (600 s), when the path is tried at
 * full size again (RFC 1191 §6.3; RFC 8201 §4 asks for at least 5 minutes).
 */
final class PathMtuCache {
    /** net.ipv4.route.mtu_expires and net.ipv6.route.mtu_expires: 600 s. */
    static final long EXPIRES_NANOS = 600_000_000_000L;
    /** net.ipv4.route.min_pmtu: 552 (512 + 20 + 20); a report below it is raised to it. */
    static final int MIN_PMTU_V4 = 552;
    /** RFC 8200 §5: every IPv6 link carries 1280 bytes; Linux's tcp_v6_err ignores smaller reports. */
    static final int MIN_MTU_V6 = 1280;

    private record Entry(int mtu, long expires) {}

    private final HashMap<IpAddress, Entry> entries = new HashMap<>();

    /** The learned path MTU to {@code dst} at {@code now}, or {@code Integer.MAX_VALUE} when none holds. */
    int get(IpAddress dst, long now) {
        Entry e = entries.get(dst);
        if (e == null) return Integer.MAX_VALUE;
        if (now >= e.expires) {
            entries.remove(dst);
            return Integer.MAX_VALUE;
        }
        return e.mtu;
    }

    /**
     * Records a report that packets to {@code dst} must be at most {@code reported} bytes, on a path whose
     * current MTU is {@code current}. Returns the path MTU from now on (unchanged if the report is not lower),
     * or -1 for a report to ignore (an IPv6 MTU below 1280).
     */
    int lower(IpAddress dst, int reported, int current, long now) {
        int mtu = reported;
        if (dst.v6()) {
            if (mtu < MIN_MTU_V6) return -1;
        } else if (mtu < MIN_PMTU_V4) {
            mtu = MIN_PMTU_V4; // __ip_rt_update_pmtu: below min_pmtu, use min_pmtu (and lock it)
        }
        if (mtu >= current) return current;
        entries.put(dst, new Entry(mtu, now + EXPIRES_NANOS));
        return mtu;
    }

    int size() { return entries.size(); }
}
