package io.threeway.soak;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import java.util.SplittableRandom;

/**
 * One connection's life in the soak: its {@link Plan}, the client's and the server's {@link Endpoint}, and the
 * check when it is over: in a conversation that does not break off by plan, each side read exactly the other's
 * message (every byte checked as it was read: in order, intact, once), saw no error and closed; in one that
 * breaks off, each read a prefix of the other's message. Either way, it is over only when both connections are
 * CLOSED or in TIME-WAIT.
 */
final class Conversation {
    /** Its number, from 0: the streams' ids derive from it. */
    final long id;
    /** What the applications do. */
    final Plan plan;
    /** The index of the client host. */
    final int client;
    /** When it started (virtual ns). */
    final long started;
    /** The random source for its applications' waits. */
    final SplittableRandom random;
    /** The client side. */
    final Endpoint clientSide;
    /** The server side. */
    final Endpoint serverSide;

    Conversation(long id, Plan plan, int client, long started, SplittableRandom random, Endpoint.Sides sides) {
        this.id = id;
        this.plan = plan;
        this.client = client;
        this.started = started;
        this.random = random;
        this.clientSide = new Endpoint(this, true, sides.client());
        this.serverSide = new Endpoint(this, false, sides.server());
    }

    /** Whether the conversation ends normally by plan (no reset, no early close). */
    boolean normal() { return plan.abort() == Plan.Abort.NONE; }

    /** Whether both applications are done and both connections have ended (CLOSED or TIME-WAIT). */
    boolean over() {
        if (!clientSide.done || !ended(clientSide.conn)) return false;
        if (serverSide.conn == null) return !normal() || clientSide.error != null;
        return serverSide.done && ended(serverSide.conn);
    }

    private static boolean ended(TcpConnection c) {
        TcpState s = c.state();
        return s == TcpState.CLOSED || s == TcpState.TIME_WAIT;
    }

    /** The conversation is over: null if it went as its plan allows, else what went wrong. */
    String verdict() {
        if (!normal()) return null; // every byte read was checked as a prefix already
        Endpoint c = clientSide;
        Endpoint s = serverSide;
        if (c.error != null || s.error != null) return "an error in a conversation that breaks off nowhere: " + this;
        if (!"closed".equals(c.ending) || !"closed".equals(s.ending)) return "an application gave up: " + this;
        if (c.received != plan.response() || s.received != plan.request() || c.sent != plan.request()
                || s.sent != plan.response()) {
            return "bytes missing: " + this;
        }
        return null;
    }

    @Override
    public String toString() {
        return "conversation " + id + " (client " + client + ", started " + started / 1e9 + " s, " + plan + "): "
                + clientSide + "; " + serverSide;
    }
}
