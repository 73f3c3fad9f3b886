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
    /** TCP_FASTOPEN as set: Linux's queue length for a later listen(), or FreeBSD's on/off flag (TF_FASTOPEN). */
    int fastOpen;
    /** connect() returned 0 with TCP_FASTOPEN_CONNECT and a cookie cached: the first write sends the SYN. */
    boolean deferredConnect;
    Listener listener;
    TcpConnection connection;

    Socket(int fd, ConnectionOptions options) {
        this.fd = fd;
        this.options = options;
    }
}
