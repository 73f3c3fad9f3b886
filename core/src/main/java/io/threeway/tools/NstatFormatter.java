package io.threeway.tools;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints counters as iproute2's {@code nstat} does: a {@code #kernel} line, then one line per counter,
 * {@code TcpExtListenOverflows           12                 0.0} (name padded to 32, value to 16, then the
 * rate). nstat shows what changed since its previous run (the increments); with {@code -a} the absolute
 * values; it leaves out counters whose figure is zero unless {@code -z}. Here "the previous run" is an
 * earlier snapshot when there is one (see the CLI's {@code --since}); without one, increments and absolute
 * values are the same, as on nstat's first run. The rate column is the per-second average between the two
 * moments (nstat's daemon keeps an average; without one, as here on a first run, it prints 0.0).
 */
public final class NstatFormatter {
    private NstatFormatter() {}

    /**
     * @param now      the counters to print
     * @param previous the counters at an earlier moment, or null
     * @param seconds  the time between the two moments (for the rate), or 0
     * @param absolute {@code -a}
     * @param zeros    {@code -z}
     */
    /**
     * What nstat never prints (nstat.c's useless_numbers): settings and gauges rather than counters, among them
     * TcpCurrEstab.
     */
    static final Set<String> USELESS = Set.of("IpForwarding", "IpDefaultTTL", "TcpRtoAlgorithm",
            "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab");

    public static List<String> format(Counters now, Counters previous, double seconds, boolean absolute,
                                      boolean zeros) {
        List<String> out = new ArrayList<>();
        out.add("#kernel");
        for (Counter.Group g : new Counter.Group[] {Counter.Group.IP, Counter.Group.ICMP, Counter.Group.TCP,
                Counter.Group.TCP_EXT}) {
            for (Counter c : Counter.values()) {
                if (c.group() != g || USELESS.contains(c.nstatName())) continue;
                long delta = previous == null ? now.get(c) : now.get(c) - previous.get(c);
                long shown = absolute || c.isGauge() ? now.get(c) : delta;
                if (shown == 0 && !zeros) continue;
                double rate = previous != null && seconds > 0 ? delta / seconds : 0;
                out.add(String.format(Locale.ROOT, "%-32s%-16d%6.1f", c.nstatName(), shown, rate));
            }
        }
        return out;
    }
}
