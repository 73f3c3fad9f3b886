package io.threeway.trace;

import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;

/**
 * One state transition of one connection, as a {@link TraceRecorder} saw it.
 *
 * @param timeNanos virtual time of the transition
 * @param endpoint  the name of the stack the connection belongs to
 * @param tuple     the connection's four-tuple, from that stack's side
 * @param from      the state left
 * @param to        the state entered
 * @param cause     why, in the engine's words ({@code connect()}, {@code SYN received}, ...)
 */
public record Transition(long timeNanos, String endpoint, FourTuple tuple, TcpState from, TcpState to, String cause)
        implements TraceEvent {
}
