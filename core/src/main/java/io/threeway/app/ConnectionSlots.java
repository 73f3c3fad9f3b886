package io.threeway.app;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A server's connection limit. Each served connection holds a {@link Slot}; a connection waiting for its client
 * with nothing received (HTTP between requests, echo between reads) marks its slot idle. When every slot is taken
 * a newcomer gets the slot of the connection idle longest, which is closed (its thread then ends); when none is
 * idle the newcomer is refused. A slot being closed still counts until its thread lets go, so at most twice the
 * limit exist at any time, and usually the limit.
 *
 * <p>A connection whose write has been blocked for longer than the send timeout (its client stopped reading)
 * is closed by {@link #closeStalledWriters}, which the accept loop calls as it wakes (nginx's send_timeout).
 */
final class ConnectionSlots {
    private final int max;
    private final ServerStats stats;
    private final LinkedHashSet<Slot> idle = new LinkedHashSet<>();
    /** Every slot not yet released, for the stalled-writer check. */
    private final LinkedHashSet<Slot> live = new LinkedHashSet<>();
    private int taken;
    /** When {@link #closeStalledWriters} next looks (on the server's clock). */
    private long nextCheck = Long.MIN_VALUE;

    ConnectionSlots(int max, ServerStats stats) {
        this.max = max;
        this.stats = stats;
    }

    /** One connection's place; {@link #release()} when it ends. */
    final class Slot {
        private final Socket socket;
        private boolean released;
        /** When the write in progress began (server clock, ns), or {@link Long#MIN_VALUE} when none is. */
        private volatile long writingSince = Long.MIN_VALUE;

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

        /** A write began at {@code now} (ns), or ended ({@link Long#MIN_VALUE}). */
        void writing(long now) {
            writingSince = now;
        }

        /** Gives the place back; idempotent. */
        void release() {
            synchronized (ConnectionSlots.this) {
                if (released) return;
                released = true;
                idle.remove(this);
                live.remove(this);
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
        Slot slot = new Slot(socket);
        synchronized (this) {
            live.add(slot);
        }
        return slot;
    }

    /**
     * Closes the connections whose current write began {@code timeout} ns or more before {@code now}; looks at
     * most twice a timeout (the accept loop may call it on every wake-up).
     */
    void closeStalledWriters(long now, long timeout) {
        List<Slot> stalled = new ArrayList<>();
        synchronized (this) {
            if (now < nextCheck) return;
            nextCheck = now + timeout / 2;
            for (Slot s : live) {
                long since = s.writingSince;
                if (since != Long.MIN_VALUE && now - since >= timeout) stalled.add(s);
            }
        }
        for (Slot s : stalled) {
            stats.timedOut.incrementAndGet();
            closeQuietly(s.socket);
        }
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
