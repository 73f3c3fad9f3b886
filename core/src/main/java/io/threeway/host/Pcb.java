package io.threeway.host;

import io.threeway.tcp.TcpConnection;

/**
 * The host's record of one live connection (BSD's protocol control block): its four-tuple in the connection
 * table, its timer entry, and where it stands with its listener until accept().
 */
final class Pcb extends TupleEntry {
    /** The connection. */
    final TcpConnection conn;
    /** For a passive connection until accept(): the listener whose queues hold it. */
    Listener listener;
    /** In the listener's accept queue (else, with a listener, in its SYN queue or deferred). */
    boolean inAcceptQueue;
    /** TCP_DEFER_ACCEPT: when the handshake was done but no data had come, the time it will be queued anyway; 0 when not deferred. */
    long deferredUntil;
    /** A Fast Open connection counted in this listener's pending queue until it is established or gone. */
    Listener fastOpenListener;

    Pcb(TcpConnection conn) {
        super(conn.tuple());
        this.conn = conn;
    }

    @Override
    void fire(long now) {
        conn.onTimer(now);
    }
}
