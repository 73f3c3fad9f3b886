package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP_DEFER_ACCEPT (Linux's TCP_DEFER_ACCEPT on a listener): a connection whose handshake is done waits outside
 * the accept queue until its first data arrives, or until its listener's deadline, when it is queued anyway.
 */
final class DeferAccept {
    /** Handshaken connections held back, waiting for data or their deadline. */
    private final List<Pcb> deferred = new ArrayList<>();

    /** Holds {@code pcb} back until {@code until} (ns). */
    void defer(Pcb pcb, long until) {
        pcb.deferredUntil = until;
        deferred.add(pcb);
    }

    /** Whether {@code pcb} is held back. */
    static boolean isDeferred(Pcb pcb) {
        return pcb.deferredUntil != 0;
    }

    /** Data (or EOF) arrived: the connection is released to the accept queue; returns whether it was held. */
    boolean dataArrived(Pcb pcb, TcpConnection conn) {
        if (!isDeferred(pcb) || !(conn.readable() > 0 || conn.atEof())) return false;
        deferred.remove(pcb);
        return true;
    }

    /** The connection is gone: forget it. */
    void forget(Pcb pcb) {
        if (!isDeferred(pcb)) return;
        deferred.remove(pcb);
        pcb.deferredUntil = 0;
    }

    /** Releases every connection whose deadline has come, newest first, to {@code release}. */
    void expire(long now, ListenPath release) {
        for (int i = deferred.size() - 1; i >= 0; i--) {
            Pcb pcb = deferred.get(i);
            if (pcb.deferredUntil <= now) {
                deferred.remove(i);
                release.deferralEnded(pcb);
            }
        }
    }

    /** The earliest deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < deferred.size(); i++) d = Math.min(d, deferred.get(i).deferredUntil);
        return d;
    }

    void clear() {
        deferred.clear();
    }
}
