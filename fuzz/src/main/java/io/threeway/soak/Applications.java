package io.threeway.soak;

import io.threeway.sim.Simulator;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/**
 * The applications of every conversation, as event handlers: {@link #step} does all one side can do now (read,
 * check, write, shut down, close, abort) without blocking, and asks to be called again at the next time it chose
 * (a stall's end, the server's think time, a delayed close); wakeups from its stack call it too. Every byte read is
 * checked against the stream the peer writes, at the offset expected: a byte out of order, lost, corrupted or
 * delivered twice fails the soak at once.
 */
final class Applications {
    /** The simulator: for the time and for scheduling. */
    private final Simulator sim;
    /** Where a failure is reported. */
    private final Soak soak;
    /** One buffer for every read and write (the applications run one at a time). */
    private final byte[] buffer = new byte[65536];

    Applications(Simulator sim, Soak soak) {
        this.sim = sim;
        this.soak = soak;
    }

    /** Runs {@code e}'s step at {@code at} (now at the earliest), once if asked several times before it runs. */
    void schedule(Endpoint e, long at) {
        if (at <= sim.now()) {
            if (e.scheduled) return;
            e.scheduled = true;
            sim.schedule(sim.now(), () -> {
                e.scheduled = false;
                step(e);
            });
        } else {
            sim.schedule(at, () -> step(e));
        }
    }

    /** Everything {@code e} can do at this moment. */
    void step(Endpoint e) {
        if (e.done || e.conn == null) return;
        long now = sim.now();
        TcpConnection c = e.conn;
        if (c.error() != null) {
            e.error = c.error();
            finish(e, "error", false, now);
        } else if (c.connectDone() || c.state() == TcpState.CLOSED) { // CLOSED without an error: TIME-WAIT ran out, data may remain
            if (!abortDue(e, now) && read(e, now) && !abortDue(e, now)) {
                if (e.eof && !e.receivedAll()) finish(e, "closed at an early EOF", false, now); // the peer broke off
                else {
                    write(e, now);
                    closeIfDue(e, now);
                }
            }
        }
        e.stack.userCallDone();
    }

    /** Reads and checks what is there; false when the step must stop (a failure was reported). */
    private boolean read(Endpoint e, long now) {
        Plan p = e.conv.plan;
        int cap = Math.min(p.chunk(), buffer.length);
        while (!e.eof) {
            boolean stallsHere = p.stallAt() >= 0 && p.stallClient() == e.client;
            if (stallsHere && !e.stalled && e.received >= p.stallAt()) {
                e.stalled = true;
                e.stallUntil = now + p.stallNanos();
                schedule(e, e.stallUntil);
            }
            if (now < e.stallUntil) return true;
            int n = e.conn.read(buffer, 0, cap, now);
            if (n == 0) return true;
            if (n < 0) {
                e.eof = true;
                if (e.conv.normal() && !e.receivedAll()) fail(e, "EOF after " + e.received + " bytes");
                return true;
            }
            if (e.received + n > e.toReceive()) fail(e, "read " + (e.received + n) + " bytes, more than were sent");
            int bad = Streams.mismatch(e.receiveStream(), e.received, buffer, n);
            if (bad >= 0) fail(e, "byte " + (e.received + bad) + " of the stream is not the one sent");
            e.received += n;
            e.lastProgress = now;
            if (abortDue(e, now)) return false;
        }
        return true;
    }

    /** Writes as much of its message as this side may now. */
    private void write(Endpoint e, long now) {
        Plan p = e.conv.plan;
        if (!e.client) {
            boolean requestIn = e.receivedAll() && (p.closing() != Plan.Closing.HALF_CLOSE || e.eof);
            if (!requestIn) return;
            if (e.respondAt == 0) {
                e.respondAt = now + p.thinkNanos();
                if (e.respondAt > now) schedule(e, e.respondAt);
            }
            if (now < e.respondAt) return;
        }
        while (e.sent < e.toSend()) {
            int len = (int) Math.min(Math.min(p.chunk(), buffer.length), e.toSend() - e.sent);
            Streams.fill(e.sendStream(), e.sent, buffer, len);
            int n = e.conn.write(buffer, 0, len, now);
            if (n == 0) break;
            e.sent += n;
            e.lastProgress = now;
        }
        if (e.sent == e.toSend() && !e.shutDown && e.client && p.closing() == Plan.Closing.HALF_CLOSE) {
            e.shutDown = true;
            e.conn.shutdownOutput(now);
        }
    }

    /** Closes when the plan says this side is through, after its wait. */
    private void closeIfDue(Endpoint e, long now) {
        Plan p = e.conv.plan;
        if (e.sent < e.toSend() || !e.receivedAll()) return;
        boolean waitsForEof = e.client
                ? p.closing() == Plan.Closing.SERVER_FIRST || p.closing() == Plan.Closing.HALF_CLOSE
                : p.closing() == Plan.Closing.CLIENT_FIRST;
        if (waitsForEof && !e.eof) return;
        if (e.closeAt < 0) {
            e.closeAt = now + (p.closeNanos() == 0 ? 0 : e.conv.random.nextLong(p.closeNanos()));
            if (e.closeAt > now) schedule(e, e.closeAt);
        }
        if (now >= e.closeAt) finish(e, "closed", false, now);
    }

    /** Breaks off when the plan says this side does, at this point of what it received. */
    private boolean abortDue(Endpoint e, long now) {
        Plan p = e.conv.plan;
        boolean mine = switch (p.abort()) {
            case NONE -> false;
            case SERVER_RESET -> !e.client;
            case CLIENT_RESET, CLIENT_CLOSE_EARLY -> e.client;
        };
        if (!mine || e.received < p.abortAt() || !e.conn.connectDone()) return false;
        if (p.abort() == Plan.Abort.CLIENT_CLOSE_EARLY) finish(e, "closed early", false, now);
        else finish(e, "aborted", true, now);
        return true;
    }

    /** The application lets go of its connection: close() or abort(). */
    void finish(Endpoint e, String why, boolean abort, long now) {
        if (e.done) return;
        e.done = true;
        e.ending = why;
        if (abort) e.conn.abort(now);
        else e.conn.close(now);
        soak.endpointDone(e);
    }

    /** Gives up on {@code e} (its idle timeout) by aborting, as a server's timeout would. */
    void giveUp(Endpoint e, long now) {
        finish(e, "idle", true, now);
        e.stack.userCallDone();
    }

    private void fail(Endpoint e, String what) {
        throw soak.failure((e.client ? "client" : "server") + " of " + e.conv + ": " + what);
    }
}
