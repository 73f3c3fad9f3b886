package io.threeway.stats;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack's counters: one long per {@link Counter}. Incrementing is an array write, cheap enough for the
 * per-segment path. Formatting follows /proc/net/snmp and /proc/net/netstat: per group a header line of
 * names and a line of values, both starting with the group's label.
 */
public final class Counters {
    private final long[] values = new long[Counter.values().length];

    public void inc(Counter c) {
        values[c.ordinal()]++;
    }

    public void add(Counter c, long n) {
        values[c.ordinal()] += n;
    }

    public void dec(Counter c) {
        values[c.ordinal()]--;
    }

    /** Sets a gauge (CurrEstab after a reboot). */
    public void set(Counter c, long v) {
        values[c.ordinal()] = v;
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    /** A copy of every value, for comparing two moments. */
    public long[] snapshot() {
        return values.clone();
    }

    /** The lines of /proc/net/snmp (Ip, Icmp, Tcp) or /proc/net/netstat (TcpExt) for one group. */
    public List<String> procLines(Counter.Group group, Sysctls sysctls) {
        StringBuilder names = new StringBuilder(group.label()).append(':');
        StringBuilder vals = new StringBuilder(group.label()).append(':');
        if (group == Counter.Group.TCP) {
            // Linux prints four constants first: RtoAlgorithm (1 = other/Van Jacobson), RtoMin, RtoMax (ms), MaxConn.
            long rtoMinMs = sysctls == null ? 200 : sysctls.get(Sysctl.TCP_RTO_MIN_US) / 1000;
            long rtoMaxMs = sysctls == null ? 120000 : sysctls.get(Sysctl.TCP_RTO_MAX_MS);
            names.append(" RtoAlgorithm RtoMin RtoMax MaxConn");
            vals.append(" 1 ").append(rtoMinMs).append(' ').append(rtoMaxMs).append(" -1");
        }
        for (Counter c : Counter.values()) {
            if (c.group() != group) continue;
            names.append(' ').append(c.linuxName());
            vals.append(' ').append(values[c.ordinal()]);
        }
        List<String> out = new ArrayList<>(2);
        out.add(names.toString());
        out.add(vals.toString());
        return out;
    }
}
