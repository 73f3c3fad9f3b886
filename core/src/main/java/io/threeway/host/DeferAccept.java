package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP_DEFER_ACCEPT (Linux's TCP_DEFER_ACCEPT on a listener): a connection whose handshake is done waits outside
 * the accept queue until its first data arrives, or until its listener's deadline, when it is queued anyway.
 */
final class DeferAccept {
    /** A connection held back, and when it is queued anyway (ns). */
    private record Deferred(Pcb pcb, long until) {}

    /** Handshaken connections held back, waiting for data or their deadline, in the order they were deferred. */
    private final List<Deferred> deferred = new ArrayList<>();

    /** Holds {@code pcb} back until {@code until} (ns). */
    void defer(Pcb pcb, long until) {
        deferred.add(new Deferred(pcb, until));
    }

    /** The index of {@code pcb} in the list, or -1. */
    private int indexOf(Pcb pcb) {
        for (int i = 0; i < deferred.size(); i++) if (deferred.get(i).pcb() == pcb) return i;
        return -1;
    }

    /** Data (or EOF) arrived: the connection is released to the accept queue; returns whether it was held. */
    boolean dataArrived(Pcb pcb, TcpConnection conn) {
        if (deferred.isEmpty() || !(conn.readable() > 0 || conn.atEof())) return false;
        int i = indexOf(pcb);
        if (i < 0) return false;
        deferred.remove(i);
        return true;
    }

    /** The connection is gone, or queued: forget it. */
    void forget(Pcb pcb) {
        if (deferred.isEmpty()) return;
        int i = indexOf(pcb);
        if (i >= 0) deferred.remove(i);
    }

    /** Releases every connection whose deadline has come, newest first, to {@code release}. */
    void expire(long now, ListenPath release) {
        for (int i = deferred.size() - 1; i >= 0; i--) {
            Deferred d = deferred.get(i);
            if (d.until() <= now) {
                deferred.remove(i);
                release.deferralEnded(d.pcb());
            }
        }
    }

    /** The earliest deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < deferred.size(); i++) d = Math.min(d, deferred.get(i).until());
        return d;
    }

    void clear() {
        deferred.clear();
    }
}
