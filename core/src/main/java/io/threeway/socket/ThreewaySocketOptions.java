package io.threeway.socket;

import java.net.SocketOption;

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
    public static final SocketOption<Boolean> TCP_QUICKACK = jdk.net.ExtendedSocketOptions.TCP_QUICKACK;

    /**
     * TCP_CONGESTION: the congestion control algorithm by name. The engine implements "reno" only; setting
     * anything else fails as Linux does for a module it does not have ("No such file or directory").
     */
    public static final SocketOption<String> TCP_CONGESTION = new Option<>("TCP_CONGESTION", String.class);

    /** TCP_SYNCNT: SYN retransmissions before connect() gives up, for this socket (1 to 127; tcp_syn_retries otherwise). */
    public static final SocketOption<Integer> TCP_SYNCNT = new Option<>("TCP_SYNCNT", Integer.class);

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
