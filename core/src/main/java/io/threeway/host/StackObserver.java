package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;

/** Watches a stack: every packet in and out (as tcpdump on its interface would), and every state transition. */
public interface StackObserver {

    /** A packet crossed the stack's interface; {@code outbound} for sent, false for received. Read it, don't keep it. */
    default void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) { }

    /**
     * A connection changed state (the trace: virtual time, endpoint, four-tuple, from, to, cause). {@code conn} is
     * the connection, or null when the end of a compact TIME-WAIT is reported: the host replaced the orphaned
     * connection by a small record (Linux's inet_timewait_sock), and only its four-tuple remains.
     */
    default void transition(Stack stack, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                            long now) { }
}
