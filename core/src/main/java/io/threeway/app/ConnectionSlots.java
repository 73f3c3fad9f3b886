package io.threeway.app;

import java.io.IOException;
import java.net.Socket;
import java.util.LinkedHashSet;

/**
 * A server's connection limit. Each served connection holds a {@link Slot}; a connection waiting for its client
 * with nothing received (HTTP between requests, echo between reads) marks its slot idle. When every slot is taken
 * a newcomer gets the slot of the connection idle longest, which is closed (its thread then ends); when none is
 * idle the newcomer is refused. A slot being closed still counts until its thread lets go, so at most twice the
 * limit exist at any time, and usually the limit.
 */
final class ConnectionSlots {
    private final int max;
    private final ServerStats stats;
    private final LinkedHashSet<Slot> idle = new LinkedHashSet<>();
    private int taken;

    ConnectionSlots(int max, ServerStats stats) {
        this.max = max;
        this.stats = stats;
    }

    /** One connection's place; {@link #release()} when it ends. */
    final class Slot {
        private final Socket socket;
        private boolean released;

        private Slot(Socket socket) {
            this.socket = socket;
        }

        /** Marks the connection idle (closable to make room) or busy. */
        void idle(boolean isIdle) {
            synchronized (ConnectionSlots.this) {
                if (released) return;
                if (isIdle) idle.add(this);
                else idle.remove(this);
            }
        }

        /** Gives the place back; idempotent. */
        void release() {
            synchronized (ConnectionSlots.this) {
                if (released) return;
                released = true;
                idle.remove(this);
                taken--;
            }
        }
    }

    /** A slot for {@code socket}, making room by closing the connection idle longest; null when all are busy. */
    Slot admit(Socket socket) {
        Slot victim = null;
        synchronized (this) {
            if (taken >= max) {
                if (idle.isEmpty()) return null;
                victim = idle.removeFirst();
            }
            taken++;
        }
        if (victim != null) {
            stats.evicted.incrementAndGet();
            closeQuietly(victim.socket);
        }
        return new Slot(socket);
    }

    /** Connections being served now. */
    synchronized int taken() { return taken; }

    /** Of those, the ones waiting for their client with nothing received: the ones a newcomer may displace. */
    synchronized int idle() { return idle.size(); }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is all we wanted; nothing more to do
        }
    }
}
