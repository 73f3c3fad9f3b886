package io.threeway.conformance.run;

import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;

/** One file descriptor of the script's process: a TCP socket, unconnected, listening or connected. */
final class Socket {
    final int fd;
    final ConnectionOptions options;
    boolean nonBlocking;
    boolean reuseAddress;
    int boundPort;
    Listener listener;
    TcpConnection connection;

    Socket(int fd, ConnectionOptions options) {
        this.fd = fd;
        this.options = options;
    }
}
