package io.threeway.bench.sockets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Where a socket workload runs: the same code (plain {@code java.net} calls on ordinary threads) over
 * Threeway's sockets or over the kernel's, so both sides of a comparison do exactly the same calls.
 */
public interface SocketSide extends AutoCloseable {
    /** What this side is, for the report. */
    String name();

    /** Called first on every thread the workload starts (enters the network namespace where there is one). */
    default void enterThread() throws IOException { }

    /** A server socket listening on this side's server address, with {@code backlog}. */
    ServerSocket listen(int backlog) throws IOException;

    /** A new unconnected client socket. */
    Socket socket() throws IOException;

    /** The address clients connect to for {@code server}. */
    InetSocketAddress address(ServerSocket server);

    @Override
    void close() throws IOException;
}
