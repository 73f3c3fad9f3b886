package io.threeway.tools;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Prints counters as {@code netstat -s} (net-tools) does: a heading per group ({@code Ip:}, {@code Icmp:},
 * {@code Tcp:}, {@code TcpExt:}), then one indented line per counter in netstat's words where it has them
 * ({@code 12 times the listen queue of a socket overflowed}) and as {@code Name: value} where it has none.
 * Like netstat, TcpExt lines whose value is zero are left out; Tcp lines are always printed.
 */
public final class NetstatFormatter {
    private NetstatFormatter() {}

    /** netstat's sentence for a counter: {@code %d} stands for the value. */
    private static final Map<Counter, String> SENTENCES = new EnumMap<>(Counter.class);

    static {
        s(Counter.IP_IN_RECEIVES, "%d total packets received");
        s(Counter.IP_IN_HDR_ERRORS, "%d with invalid headers");
        s(Counter.IP_IN_ADDR_ERRORS, "%d with invalid addresses");
        s(Counter.IP_IN_UNKNOWN_PROTOS, "%d with unknown protocol");
        s(Counter.IP_IN_DELIVERS, "%d incoming packets delivered");
        s(Counter.IP_OUT_REQUESTS, "%d requests sent out");
        s(Counter.IP_OUT_NO_ROUTES, "%d dropped because of missing route");
        s(Counter.ICMP_IN_MSGS, "%d ICMP messages received");
        s(Counter.ICMP_IN_ERRORS, "%d input ICMP message failed");
        s(Counter.ICMP_OUT_MSGS, "%d ICMP messages sent");
        s(Counter.ACTIVE_OPENS, "%d active connection openings");
        s(Counter.PASSIVE_OPENS, "%d passive connection openings");
        s(Counter.ATTEMPT_FAILS, "%d failed connection attempts");
        s(Counter.ESTAB_RESETS, "%d connection resets received");
        s(Counter.CURR_ESTAB, "%d connections established");
        s(Counter.IN_SEGS, "%d segments received");
        s(Counter.OUT_SEGS, "%d segments sent out");
        s(Counter.RETRANS_SEGS, "%d segments retransmitted");
        s(Counter.IN_ERRS, "%d bad segments received");
        s(Counter.OUT_RSTS, "%d resets sent");
        s(Counter.SYNCOOKIES_SENT, "%d SYN cookies sent");
        s(Counter.SYNCOOKIES_RECV, "%d SYN cookies received");
        s(Counter.SYNCOOKIES_FAILED, "%d invalid SYN cookies received");
        s(Counter.EMBRYONIC_RSTS, "%d resets received for embryonic SYN_RECV sockets");
        s(Counter.TW, "%d TCP sockets finished time wait in fast timer");
        s(Counter.TW_RECYCLED, "%d time wait sockets recycled by time stamp");
        s(Counter.TW_KILLED, "%d TCP sockets finished time wait in slow timer");
        s(Counter.PAWS_ACTIVE, "%d active connections rejected because of time stamp");
        s(Counter.PAWS_ESTAB, "%d packets rejected in established connections because of timestamp");
        s(Counter.DELAYED_ACKS, "%d delayed acks sent");
        s(Counter.LISTEN_OVERFLOWS, "%d times the listen queue of a socket overflowed");
        s(Counter.LISTEN_DROPS, "%d SYNs to LISTEN sockets dropped");
        s(Counter.TCP_PURE_ACKS, "%d acknowledgments not containing data payload received");
        s(Counter.TCP_TIMEOUTS, "%d other TCP timeouts");
        s(Counter.TCP_ABORT_ON_DATA, "%d connections reset due to unexpected data");
        s(Counter.TCP_ABORT_ON_CLOSE, "%d connections reset due to early user close");
        s(Counter.TCP_ABORT_ON_TIMEOUT, "%d connections aborted due to timeout");
        s(Counter.TCP_SYN_RETRANS, "TCPSynRetrans: %d");
    }

    private static void s(Counter c, String sentence) {
        SENTENCES.put(c, sentence);
    }

    public static List<String> format(Counters counters) {
        List<String> out = new ArrayList<>();
        for (Counter.Group g : new Counter.Group[] {Counter.Group.IP, Counter.Group.ICMP, Counter.Group.TCP,
                Counter.Group.TCP_EXT}) {
            out.add(g.label() + ":");
            for (Counter c : Counter.values()) {
                if (c.group() != g) continue;
                long v = counters.get(c);
                if (v == 0 && g == Counter.Group.TCP_EXT) continue;
                String sentence = SENTENCES.get(c);
                out.add("    " + (sentence != null ? sentence.replace("%d", Long.toString(v)) : c.linuxName() + ": " + v));
            }
        }
        return out;
    }
}
