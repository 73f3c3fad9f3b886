package io.threeway.lab.scenarios;

import io.threeway.lab.Findings;
import java.util.Locale;

/**
 * Connections a client could not open because every local port was taken (connect() failing with
 * EADDRNOTAVAIL, "Cannot assign requested address"): a finding of the run, reported with when it first
 * happened and how many sockets sat in TIME-WAIT then, never a crash.
 */
final class PortExhaustion {
    /** connect() calls that failed for want of a port. */
    private long failures;
    /** When the first failed (ns), or -1. */
    private long first = -1;
    /** The client's sockets (each holding a port) when the first failed. */
    private int socketsAtFirst;
    /** Of those, the ones in TIME-WAIT. */
    private int timeWaitAtFirst;

    /**
     * One connect() failed with EADDRNOTAVAIL at {@code now}, the client holding {@code sockets} sockets of which
     * {@code timeWait} in TIME-WAIT.
     */
    void failed(long now, int sockets, int timeWait) {
        if (first < 0) {
            first = now;
            socketsAtFirst = sockets;
            timeWaitAtFirst = timeWait;
        }
        failures++;
    }

    boolean happened() { return failures > 0; }

    long failures() { return failures; }

    long first() { return first; }

    int timeWaitAtFirst() { return timeWaitAtFirst; }

    int socketsAtFirst() { return socketsAtFirst; }

    /** The figures, when ports ran out (nothing otherwise, so a run without exhaustion reads as before). */
    void report(Findings.Group g) {
        if (!happened()) return;
        g.put("connects failed: no free port (EADDRNOTAVAIL)", failures)
                .seconds("ports first ran out at", first)
                .put("client sockets when they ran out", socketsAtFirst)
                .put("of them in TIME-WAIT", timeWaitAtFirst);
    }

    /** One sentence for the conclusions. */
    String sentence(String who) {
        return String.format(Locale.ROOT, "%s the client ran out of local ports at %.1f s, holding %d sockets (%d in "
                + "TIME-WAIT): %d connects failed with EADDRNOTAVAIL (see time-wait-exhaustion; "
                + "net.ipv4.ip_local_port_range, net.ipv4.tcp_tw_reuse).", who, first / 1e9, socketsAtFirst,
                timeWaitAtFirst, failures);
    }
}
