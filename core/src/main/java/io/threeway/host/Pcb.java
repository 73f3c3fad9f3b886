package io.threeway.host;

import io.threeway.tcp.TcpConnection;

/**
 * The host's record of one connection (BSD's protocol control block): its timer entry, the listener a
 * passive connection came from, and whether its local port was picked from the ephemeral range.
 */
final class Pcb extends TimerWheel.Entry {
    final TcpConnection conn;
    /** For a passive connection until accept(): the listener whose queues hold it. */
    Listener listener;
    boolean inAcceptQueue;
    /** TCP_DEFER_ACCEPT: when the handshake was done but no data had come, the time it will be queued anyway; 0 when not deferred. */
    long deferredUntil;
    /** A Fast Open connection counted in this listener's pending queue until it is established or gone. */
    Listener fastOpenListener;

    Pcb(TcpConnection conn) {
        this.conn = conn;
    }
}
