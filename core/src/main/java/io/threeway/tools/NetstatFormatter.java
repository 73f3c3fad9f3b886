package io.threeway.tools;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Prints counters as {@code netstat -s} (net-tools 2.10) does, line for line: a heading per group ({@code Ip:},
 * {@code Icmp:}, {@code Tcp:}, {@code TcpExt:}), then per counter, in /proc's order, netstat's sentence where it has
 * one ({@code 12 times the listen queue of a socket overflowed}) or {@code Name: value}. As statistics.c does: the
 * counters it calls numbers are printed even when zero, the others only when not zero; ICMP message types go
 * under {@code ICMP input histogram:} and {@code ICMP output histogram:} (headings printed even when empty), eight
 * spaces in. The sentences and rules were read from the real netstat fed /proc files with known values, and
 * {@code RealNetToolsTest} compares the two on the same counters.
 */
public final class NetstatFormatter {
    private NetstatFormatter() {}

    /** When a counter's line is printed. */
    private enum Kind {
        /** A number netstat always prints, zero included. */
        ALWAYS,
        /** Printed only when not zero. */
        NONZERO,
        /** An ICMP input message type, under the input histogram, when not zero. */
        IN_HISTOGRAM,
        /** An ICMP output message type, under the output histogram, when not zero. */
        OUT_HISTOGRAM
    }

    /** netstat's sentence ({@code %d} for the value) and rule for a counter; counters not here print {@code Name: value} when not zero. */
    private record Line(Kind kind, String sentence) {}

    private static final Map<Counter, Line> LINES = new EnumMap<>(Counter.class);

    static {
        s(Counter.IP_IN_RECEIVES, Kind.ALWAYS, "%d total packets received");
        s(Counter.IP_IN_HDR_ERRORS, Kind.NONZERO, "%d with invalid headers");
        s(Counter.IP_IN_ADDR_ERRORS, Kind.NONZERO, "%d with invalid addresses");
        s(Counter.IP_IN_UNKNOWN_PROTOS, Kind.NONZERO, "%d with unknown protocol");
        s(Counter.IP_IN_DELIVERS, Kind.ALWAYS, "%d incoming packets delivered");
        s(Counter.IP_OUT_REQUESTS, Kind.ALWAYS, "%d requests sent out");
        s(Counter.IP_OUT_NO_ROUTES, Kind.NONZERO, "%d dropped because of missing route");
        s(Counter.IP_REASM_TIMEOUT, Kind.NONZERO, "%d fragments dropped after timeout");
        s(Counter.IP_REASM_REQDS, Kind.NONZERO, "%d reassemblies required");
        s(Counter.IP_REASM_OKS, Kind.NONZERO, "%d packets reassembled ok");
        s(Counter.IP_REASM_FAILS, Kind.NONZERO, "%d packet reassemblies failed");
        s(Counter.ACTIVE_OPENS, Kind.ALWAYS, "%d active connection openings");
        s(Counter.PASSIVE_OPENS, Kind.ALWAYS, "%d passive connection openings");
        s(Counter.ATTEMPT_FAILS, Kind.ALWAYS, "%d failed connection attempts");
        s(Counter.ESTAB_RESETS, Kind.ALWAYS, "%d connection resets received");
        s(Counter.CURR_ESTAB, Kind.ALWAYS, "%d connections established");
        s(Counter.IN_SEGS, Kind.ALWAYS, "%d segments received");
        s(Counter.OUT_SEGS, Kind.ALWAYS, "%d segments sent out");
        s(Counter.RETRANS_SEGS, Kind.ALWAYS, "%d segments retransmitted");
        s(Counter.IN_ERRS, Kind.ALWAYS, "%d bad segments received");
        s(Counter.OUT_RSTS, Kind.ALWAYS, "%d resets sent");
        s(Counter.SYNCOOKIES_SENT, Kind.NONZERO, "%d SYN cookies sent");
        s(Counter.SYNCOOKIES_RECV, Kind.NONZERO, "%d SYN cookies received");
        s(Counter.SYNCOOKIES_FAILED, Kind.NONZERO, "%d invalid SYN cookies received");
        s(Counter.EMBRYONIC_RSTS, Kind.NONZERO, "%d resets received for embryonic SYN_RECV sockets");
        s(Counter.TW, Kind.NONZERO, "%d TCP sockets finished time wait in fast timer");
        s(Counter.TW_RECYCLED, Kind.NONZERO, "%d time wait sockets recycled by time stamp");
        s(Counter.PAWS_ACTIVE, Kind.NONZERO, "%d active connections rejected because of time stamp");
        s(Counter.PAWS_ESTAB, Kind.NONZERO, "%d packets rejected in established connections because of timestamp");
        s(Counter.DELAYED_ACKS, Kind.NONZERO, "%d delayed acks sent");
        s(Counter.LISTEN_OVERFLOWS, Kind.NONZERO, "%d times the listen queue of a socket overflowed");
        s(Counter.LISTEN_DROPS, Kind.NONZERO, "%d SYNs to LISTEN sockets dropped");
        s(Counter.TCP_PURE_ACKS, Kind.NONZERO, "%d acknowledgments not containing data payload received");
        s(Counter.TCP_SACK_REORDER, Kind.NONZERO, "Detected reordering %d times using SACK");
        s(Counter.TCP_RENO_RECOVERY, Kind.NONZERO, "%d times recovered from packet loss due to fast retransmit");
        s(Counter.TCP_FAST_RETRANS, Kind.NONZERO, "%d fast retransmits");
        s(Counter.TCP_FULL_UNDO, Kind.NONZERO, "%d congestion windows fully recovered without slow start");
        s(Counter.TCP_PARTIAL_UNDO, Kind.NONZERO, "%d congestion windows partially recovered using Hoe heuristic");
        // TCPDSACKUndo has no sentence: net-tools 2.10 prints it as "TCPDSACKUndo: N" (checked by RealNetToolsTest)
        s(Counter.TCP_LOSS_UNDO, Kind.NONZERO, "%d congestion windows recovered without slow start after partial ack");
        s(Counter.TCP_SLOW_START_RETRANS, Kind.NONZERO, "%d retransmits in slow start");
        s(Counter.TCP_ABORT_ON_DATA, Kind.NONZERO, "%d connections reset due to unexpected data");
        s(Counter.TCP_ABORT_ON_CLOSE, Kind.NONZERO, "%d connections reset due to early user close");
        s(Counter.TCP_ABORT_ON_MEMORY, Kind.NONZERO, "%d connections aborted due to memory pressure");
        s(Counter.TCP_MEMORY_PRESSURES, Kind.NONZERO, "TCP ran low on memory %d times");
        s(Counter.TCP_ABORT_ON_TIMEOUT, Kind.NONZERO, "%d connections aborted due to timeout");
        s(Counter.TCP_ABORT_ON_LINGER, Kind.NONZERO, "%d connections aborted after user close in linger timeout");
        s(Counter.OUT_OF_WINDOW_ICMPS, Kind.NONZERO, "%d ICMP packets dropped because they were out-of-window");
        s(Counter.ICMP_IN_MSGS, Kind.ALWAYS, "%d ICMP messages received");
        s(Counter.ICMP_IN_ERRORS, Kind.ALWAYS, "%d input ICMP message failed");
        s(Counter.ICMP_IN_DEST_UNREACHS, Kind.IN_HISTOGRAM, "destination unreachable: %d");
        s(Counter.ICMP_IN_TIME_EXCDS, Kind.IN_HISTOGRAM, "timeout in transit: %d");
        s(Counter.ICMP_IN_PARM_PROBS, Kind.IN_HISTOGRAM, "wrong parameters: %d");
        s(Counter.ICMP_IN_ECHOS, Kind.IN_HISTOGRAM, "echo requests: %d");
        s(Counter.ICMP_OUT_MSGS, Kind.ALWAYS, "%d ICMP messages sent");
        s(Counter.ICMP_OUT_TIME_EXCDS, Kind.OUT_HISTOGRAM, "time exceeded: %d");
        s(Counter.ICMP_OUT_ECHO_REPS, Kind.OUT_HISTOGRAM, "echo replies: %d");
    }

    private static void s(Counter c, Kind kind, String sentence) {
        LINES.put(c, new Line(kind, sentence));
    }

    public static List<String> format(Counters counters) {
        List<String> out = new ArrayList<>();
        for (Counter.Group g : new Counter.Group[] {Counter.Group.IP, Counter.Group.ICMP, Counter.Group.TCP,
                Counter.Group.TCP_EXT}) {
            out.add(g.label() + ":");
            boolean inHeading = false;
            boolean outHeading = false;
            for (Counter c : Counter.values()) {
                if (c.group() != g) continue;
                long v = counters.get(c);
                Line line = LINES.get(c);
                Kind kind = line == null ? Kind.NONZERO : line.kind();
                if (kind == Kind.IN_HISTOGRAM && !inHeading) {
                    out.add("    ICMP input histogram:");
                    inHeading = true;
                } else if (kind == Kind.OUT_HISTOGRAM && !outHeading) {
                    out.add("    ICMP output histogram:");
                    outHeading = true;
                }
                if (v == 0 && kind != Kind.ALWAYS) continue;
                String indent = kind == Kind.IN_HISTOGRAM || kind == Kind.OUT_HISTOGRAM ? "        " : "    ";
                out.add(indent + (line != null ? line.sentence().replace("%d", Long.toString(v)) : c.linuxName() + ": " + v));
            }
        }
        return out;
    }
}
