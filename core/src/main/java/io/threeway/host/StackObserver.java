package io.threeway.host;

import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;

/** Watches a stack: every packet in and out (as tcpdump on its interface would), and every state transition. */
public interface StackObserver {

    /** A packet crossed the stack's interface; {@code outbound} for sent, false for received. Read it, don't keep it. */
    default void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) { }

    /** A connection changed state (the trace: virtual time, endpoint, four-tuple, from, to, cause). */
    default void transition(Stack stack, TcpConnection conn, TcpState from, TcpState to, String cause, long now) { }
}
