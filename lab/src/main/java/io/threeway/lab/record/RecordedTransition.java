package io.threeway.lab.record;

import io.threeway.tcp.TcpState;

/**
 * A connection's change of state.
 *
 * @param time       virtual ns
 * @param endpoint   the connection's id in the recording ({@link Recording#endpoints()})
 * @param from       the state it left
 * @param to         the state it entered
 * @param cause      why, in the engine's words (e.g. {@code rcv SYN-ACK})
 */
public record RecordedTransition(long time, int endpoint, TcpState from, TcpState to, String cause) {}
