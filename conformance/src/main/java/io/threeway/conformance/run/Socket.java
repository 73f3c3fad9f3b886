package io.threeway.conformance.run;

import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import java.util.HashMap;
import java.util.Map;

/** A TCP socket of the script's process: unconnected, listening or connected. */
final class Socket implements Fd {
    final ConnectionOptions options;
    boolean nonBlocking;
    boolean reuseAddress;
    int boundPort;
    /** TCP_FASTOPEN as set: Linux's queue length for a later listen(), or FreeBSD's on/off flag (TF_FASTOPEN). */
    int fastOpen;
    /** connect() returned 0 with TCP_FASTOPEN_CONNECT and a cookie cached: the first write sends the SYN. */
    boolean deferredConnect;
    /**
     * Linux's sock->state is SS_CONNECTED: set by accept(), a blocking connect() that completed, or the first
     * MSG_FASTOPEN send after a non-blocking one's handshake (__inet_stream_connect); until then a connected socket
     * is still SS_CONNECTING, and sendmsg(MSG_FASTOPEN) on it goes through instead of failing with EISCONN.
     */
    boolean ssConnected;
    /** TCP_INQ: recvmsg() reports the bytes left to read in a TCP_CM_INQ control message. */
    boolean inq;
    /** shutdown(SHUT_RD): reads return 0 at once (the data is dropped unread, as tcp_shutdown leaves it). */
    boolean readShutdown;
    /** TCP_CONGESTION set before connect(), applied to the connection it makes; null for the default. */
    String congestion;
    /** Socket options Linux has and the stack does not model, as set (name → value), for getsockopt. */
    final Map<String, Long> unmodelled = new HashMap<>();
    Listener listener;
    TcpConnection connection;

    Socket(ConnectionOptions options) {
        this.options = options;
    }
}
