package io.threeway.soak;

import io.threeway.host.Stack;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;

/**
 * One side's application in a conversation, driven by events (a wakeup of its connection, or a time it chose): it
 * writes its message in chunks as the send buffer takes them, reads and checks every byte against the stream it
 * expects, stalls, shuts down, closes or aborts as its {@link Plan} says, and gives up after {@link #IDLE_NANOS}
 * without progress (as a server's idle timeout would). It never blocks and never polls.
 */
final class Endpoint {
    /** An application gives up (aborts) after this long without progress: 5 minutes. */
    static final long IDLE_NANOS = 300_000_000_000L;

    /** The conversation this side belongs to. */
    final Conversation conv;
    /** Whether this is the client (it writes the request and reads the response). */
    final boolean client;
    /** This side's stack. */
    final Stack stack;
    /** The connection, once connected or accepted. */
    TcpConnection conn;
    /** Bytes of its own message written so far. */
    long sent;
    /** Bytes of the peer's message read (and checked) so far. */
    long received;
    /** The end of the peer's stream was read. */
    boolean eof;
    /** The sending side was shut down (or closed). */
    boolean shutDown;
    /** The application let go of the connection (close or abort): its part is over. */
    boolean done;
    /** The error the application saw, or null. */
    Errno error;
    /** Why the application ended: "closed", "aborted", "error", "idle". */
    String ending;
    /** Reading stops until this time (a stall), or 0. */
    long stallUntil;
    /** The stall was taken (it happens once). */
    boolean stalled;
    /** When the server may start its response (its think time), or 0. */
    long respondAt;
    /** When this side closes, once it decided to (its wait before closing), or -1. */
    long closeAt = -1;
    /** The last time this side made progress (for the idle timeout). */
    long lastProgress;
    /** Its connection's transitions so far ("time from->to (cause)"), for the report of a failure. */
    final StringBuilder transitions = new StringBuilder();
    /** An action is scheduled and not yet run (one at a time). */
    boolean scheduled;

    /** The client's and the server's stacks of a conversation. */
    record Sides(Stack client, Stack server) {}

    Endpoint(Conversation conv, boolean client, Stack stack) {
        this.conv = conv;
        this.client = client;
        this.stack = stack;
    }

    /** The size of this side's own message. */
    long toSend() { return client ? conv.plan.request() : conv.plan.response(); }

    /** The size of the peer's message. */
    long toReceive() { return client ? conv.plan.response() : conv.plan.request(); }

    /** This side's stream's id (the peer checks it). */
    long sendStream() { return conv.id * 2 + (client ? 0 : 1); }

    /** The peer's stream's id. */
    long receiveStream() { return conv.id * 2 + (client ? 1 : 0); }

    /** Whether this side, which reads {@code toReceive()} bytes, has them all. */
    boolean receivedAll() { return received == toReceive(); }

    @Override
    public String toString() {
        return (client ? "client" : "server") + " sent " + sent + "/" + toSend() + " received " + received + "/"
                + toReceive() + (eof ? " eof" : "") + (done ? " done(" + ending + ")" : "") + (error != null ? " " + error : "")
                + (conn == null ? "" : " " + conn.state() + " " + conn.debugState()) + " transitions:" + transitions;
    }
}
