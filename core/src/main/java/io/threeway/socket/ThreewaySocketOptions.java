package io.threeway.socket;

import java.net.SocketOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Linux TCP socket options that {@code java.net.StandardSocketOptions} and {@code jdk.net.ExtendedSocketOptions}
 * do not offer, for {@link ThreewaySocket#setOption} and {@link ThreewaySocket#getOption}. Each behaves as the
 * Linux option of the same name (tcp(7)).
 *
 * <p>The JDK's own {@code jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL},
 * {@code TCP_KEEPCOUNT} and {@code TCP_QUICKACK} work on Threeway sockets as they do on Linux ones;
 * {@link #TCP_QUICKACK} here is the same object, so either name may be used.
 */
public final class ThreewaySocketOptions {
    private ThreewaySocketOptions() {}

    /**
     * TCP_USER_TIMEOUT (RFC 5482): milliseconds that transmitted data may stay unacknowledged, or keepalive
     * probes unanswered, before the connection is dropped with ETIMEDOUT. 0 (the default) leaves it to
     * tcp_retries2 and the keepalive settings.
     */
    public static final SocketOption<Integer> TCP_USER_TIMEOUT = new Option<>("TCP_USER_TIMEOUT", Integer.class);

    /**
     * TCP_MAXSEG: a cap on the MSS. Set before connect() (or on the listener, for accepted connections) it
     * lowers the MSS announced in the SYN; read on a connected socket it gives the MSS in use (Linux's
     * mss_cache), before one the cap or the 536-byte default. Linux accepts 88 to 32767.
     */
    public static final SocketOption<Integer> TCP_MAXSEG = new Option<>("TCP_MAXSEG", Integer.class);

    /** TCP_QUICKACK: acknowledge at once rather than delay; the JDK's own option, under a second name. */
    public static final SocketOption<Boolean> TCP_QUICKACK = ExtendedSocketOptions.TCP_QUICKACK;

    /**
     * TCP_CONGESTION: the congestion control algorithm by name ("cubic", "reno"); setting anything else fails
     * as Linux does for a module it does not have ("No such file or directory").
     */
    public static final SocketOption<String> TCP_CONGESTION = new Option<>("TCP_CONGESTION", String.class);

    /** TCP_SYNCNT: SYN retransmissions before connect() gives up, for this socket (1 to 127; tcp_syn_retries otherwise). */
    public static final SocketOption<Integer> TCP_SYNCNT = new Option<>("TCP_SYNCNT", Integer.class);

    /**
     * TCP_FASTOPEN on a server socket (RFC 7413 §5.1): accept data in the SYN from clients that present a
     * valid Fast Open cookie, with up to this many such connections pending (not yet through their handshake)
     * at once; beyond that the SYN's data is ignored and the client falls back to the ordinary handshake.
     * Cookie requests are answered only while it is above 0. It needs the server bit (2) of
     * net.ipv4.tcp_fastopen, which Linux and the stack leave off by default. As on Linux it may be set before
     * or after {@code bind}, reads back capped at net.core.somaxconn, and 0 (the default) turns it off.
     */
    public static final SocketOption<Integer> TCP_FASTOPEN = new Option<>("TCP_FASTOPEN", Integer.class);

    /**
     * TCP_DEFER_ACCEPT on a server socket, in seconds: accept() returns a connection only once its first data has
     * arrived (or the time has passed), so a thread-per-connection server never waits on an idle client; 0 (the
     * default) turns it off. The seeds' C server sets it to 5.
     */
    public static final SocketOption<Integer> TCP_DEFER_ACCEPT = new Option<>("TCP_DEFER_ACCEPT", Integer.class);

    /**
     * TCP_FASTOPEN_CONNECT on a client socket (Linux 4.11), the Java equivalent of sendto(MSG_FASTOPEN): set
     * before {@code connect}, it makes the request ride in the SYN without changing the application's code.
     * <ul>
     *   <li>With a Fast Open cookie cached for the server, {@code connect} returns at once without sending
     *       anything, and the first {@code write} connects with its bytes as the SYN's data: the server
     *       application can have its request half a round trip after {@code connect}, one round trip sooner
     *       than without Fast Open. That write returns once the handshake is done; a refused or timed-out
     *       connection fails it ({@link java.net.ConnectException}), as the first send(2) fails on Linux. A
     *       {@code read} (or {@code flush}, or {@code shutdownOutput}) before any write sends the SYN without
     *       data; the read then reports the connection's failure the same way.</li>
     *   <li>Without a cookie, {@code connect} is an ordinary blocking connect whose SYN asks for one, so the
     *       next connection to that server can carry data.</li>
     * </ul>
     * If the server turns the data down (an old or rotated cookie, or Fast Open off) or a middlebox strips
     * the option, the data is sent again after the handshake: the request still arrives exactly once. Needs
     * the client bit (1) of net.ipv4.tcp_fastopen, on by default: without it setting this option fails with
     * "Operation not supported", and after {@code connect} with "Invalid argument", as on Linux.
     *
     * <p>Until the deferred SYN leaves, {@code getLocalPort()} reads 0: Linux has chosen the port inside
     * {@code connect}, the stack chooses it when the SYN is sent.
     */
    public static final SocketOption<Boolean> TCP_FASTOPEN_CONNECT = new Option<>("TCP_FASTOPEN_CONNECT", Boolean.class);

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
