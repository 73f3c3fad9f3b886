package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;

/**
 * The host's record of one live connection (BSD's protocol control block): its place in the connection table
 * (the four-tuple is the connection's own), its timer entry, and where it stands with its listener until
 * accept(). TCP_DEFER_ACCEPT's and Fast Open's rarer bookkeeping lives in {@link DeferAccept} and
 * {@link ListenPath}, not here, so an idle connection does not carry it.
 */
final class Pcb extends TupleEntry {
    /** The connection. */
    final TcpConnection conn;
    /** For a passive connection until accept(): the listener whose queues hold it. */
    Listener listener;
    /** In the listener's accept queue (else, with a listener, in its SYN queue or deferred). */
    boolean inAcceptQueue;

    Pcb(TcpConnection conn) {
        super(conn.tuple().localPort(), conn.tuple().remotePort());
        this.conn = conn;
    }

    @Override
    IpAddress local() {
        return conn.tuple().localAddress();
    }

    @Override
    long remoteHi() {
        return conn.tuple().remoteAddress().hi();
    }

    @Override
    long remoteLo() {
        return conn.tuple().remoteAddress().lo();
    }

    @Override
    void fire(long now) {
        conn.onTimer(now);
    }
}
