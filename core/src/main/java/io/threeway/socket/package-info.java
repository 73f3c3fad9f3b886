/**
 * The blocking socket API over a Threeway stack: {@link java.net.Socket} and {@link java.net.ServerSocket}
 * subclasses backed by a custom {@link java.net.SocketImpl}, and {@code javax.net} factories, so ordinary
 * stream code and JSSE run unchanged over the user-space stack.
 *
 * <p>Start from {@link io.threeway.socket.ThreewaySockets#on}, which binds a stack to the
 * {@link io.threeway.socket.SocketRuntime} that drives it: the simulator's cooperative scheduler
 * ({@code Simulator.scheduler()}) for deterministic runs in virtual time, or a
 * {@link io.threeway.socket.RealTimeRuntime} on a real network. Blocking calls wait only through the
 * runtime, which is what lets the simulator park an application thread and move the clock.
 *
 * <p>Behaviour follows the JDK's own socket implementation on Linux, exception classes and messages
 * included ("Connection refused", "Connect timed out", "Read timed out", "Connection reset",
 * "Broken pipe", "Address already in use", "Socket closed"), with Linux's option semantics underneath
 * (SO_RCVBUF and SO_SNDBUF doubled, SO_LINGER 0 resetting the connection, accepted sockets inheriting
 * the listener's options).
 */
package io.threeway.socket;
