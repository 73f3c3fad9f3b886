package io.threeway.socket;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.FastOpen;
import io.threeway.tcp.MssPolicy;
import io.threeway.tcp.TcpConnection;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import java.util.HashSet;

/**
 * One socket's options (setsockopt/getsockopt): the engine's {@link ConnectionOptions}, which a connection
 * reads live, plus the few that live in the socket layer (SO_TIMEOUT, SO_REUSEADDR, IP_TOS, TCP_FASTOPEN). Values,
 * ranges and errors follow Linux's {@code sock_setsockopt} and {@code do_tcp_setsockopt}.
 *
 * <p>Not thread-safe: the owning {@link ThreewaySocketImpl} calls it with exclusive access to the stack.
 */
final class SocketSettings {
    /** Linux's net.core.rmem_max and net.core.wmem_max defaults: the most SO_RCVBUF/SO_SNDBUF may ask for. */
    static final int RMEM_MAX = 212_992;
    static final int WMEM_MAX = 212_992;
    /** Linux's SOCK_MIN_RCVBUF (2048 + sizeof(struct sk_buff), aligned) and SOCK_MIN_SNDBUF (twice that). */
    static final int SOCK_MIN_RCVBUF = 2304;
    static final int SOCK_MIN_SNDBUF = 2 * SOCK_MIN_RCVBUF;

    /** The options both kinds of socket take: a listener's are inherited by the connections it accepts. */
    private static final Set<SocketOption<?>> COMMON_OPTIONS = Set.of(
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.IP_TOS, ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
            ExtendedSocketOptions.TCP_KEEPCOUNT, ExtendedSocketOptions.TCP_QUICKACK,
            ThreewaySocketOptions.TCP_USER_TIMEOUT, ThreewaySocketOptions.TCP_MAXSEG,
            ThreewaySocketOptions.TCP_CONGESTION, ThreewaySocketOptions.TCP_SYNCNT);

    /** Fast Open splits by role: TCP_FASTOPEN_CONNECT is for connect(), TCP_FASTOPEN for listen(). */
    private static final Set<SocketOption<?>> CLIENT_OPTIONS = with(COMMON_OPTIONS, ThreewaySocketOptions.TCP_FASTOPEN_CONNECT);
    private static final Set<SocketOption<?>> SERVER_OPTIONS = with(with(COMMON_OPTIONS, ThreewaySocketOptions.TCP_FASTOPEN),
            ThreewaySocketOptions.TCP_DEFER_ACCEPT);

    private final Sysctls sysctls;
    private ConnectionOptions options;
    private int soTimeoutMillis;
    private boolean reuseAddress;
    private int trafficClass;
    /** TCP_FASTOPEN as set: the listener's Fast Open queue length before the somaxconn cap; 0 off. */
    private int fastOpenQueueLength;

    SocketSettings(Sysctls sysctls) {
        this.sysctls = sysctls;
        this.options = new ConnectionOptions();
    }

    /** The options a connection or listener is created with; the engine reads them live. */
    ConnectionOptions connectionOptions() { return options; }

    /** An accepted connection brings its own copy of the listener's options. */
    void adopt(ConnectionOptions inherited) { this.options = inherited; }

    int soTimeoutMillis() { return soTimeoutMillis; }

    boolean reuseAddress() { return reuseAddress; }

    /** TCP_DEFER_ACCEPT in seconds: 0 off. */
    private int deferAcceptSeconds;

    int deferAcceptSeconds() { return deferAcceptSeconds; }

    /** The Fast Open queue limit a listener gets: TCP_FASTOPEN capped at net.core.somaxconn (tcp_fastopen_queue_tune). */
    int fastOpenQueueLimit() {
        return Math.min(fastOpenQueueLength, sysctls.get(Sysctl.SOMAXCONN));
    }

    static Set<SocketOption<?>> supported(boolean server) {
        return server ? SERVER_OPTIONS : CLIENT_OPTIONS;
    }

    /** SO_TIMEOUT, which Java keeps outside StandardSocketOptions: 0 waits forever. */
    void setSoTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout < 0");
        soTimeoutMillis = millis;
    }

    /**
     * setsockopt: validates {@code value} and stores it. {@code live} is the connection, when there is one,
     * for the options Linux applies at once (SO_KEEPALIVE and the keepalive timing re-arm the timer);
     * {@code connecting} says whether connect() has been called, whether or not a SYN went yet. TCP_FASTOPEN
     * is only stored: the caller hands {@link #fastOpenQueueLimit()} to the listener.
     */
    <T> void set(SocketOption<T> name, T value, TcpConnection live, boolean connecting, long now) throws SocketException {
        if (name == ThreewaySocketOptions.TCP_FASTOPEN) {
            fastOpenQueueLength = inRange((Integer) value, 0, Integer.MAX_VALUE, name);
        } else if (name == ThreewaySocketOptions.TCP_DEFER_ACCEPT) {
            deferAcceptSeconds = inRange((Integer) value, 0, Integer.MAX_VALUE, name);
        } else if (name == ThreewaySocketOptions.TCP_FASTOPEN_CONNECT) {
            // do_tcp_setsockopt(TCP_FASTOPEN_CONNECT): EOPNOTSUPP without the client bit, EINVAL once connecting.
            if ((sysctls.get(Sysctl.TCP_FASTOPEN) & FastOpen.CLIENT) == 0) throw new SocketException("Operation not supported");
            if (connecting) throw new SocketException("Invalid argument");
            options.fastOpenConnect = (Boolean) value;
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            options.noDelay = (Boolean) value;
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            options.keepAlive = (Boolean) value;
            if (live != null) live.keepaliveChanged(now);
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int s = (Integer) value;
            options.lingerSeconds = s < 0 ? -1 : Math.min(s, 65535);
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            // sock_setsockopt(SO_RCVBUF): clamp to rmem_max, then double for bookkeeping overhead.
            int v = positive((Integer) value, "SO_RCVBUF");
            options.rcvBuf = Math.max(2 * Math.min(v, RMEM_MAX), SOCK_MIN_RCVBUF);
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            int v = positive((Integer) value, "SO_SNDBUF");
            options.sndBuf = Math.max(2 * Math.min(v, WMEM_MAX), SOCK_MIN_SNDBUF);
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            reuseAddress = (Boolean) value;
        } else if (name == StandardSocketOptions.IP_TOS) {
            trafficClass = (Integer) value & 0xFF;
        } else if (name == ExtendedSocketOptions.TCP_KEEPIDLE) {
            options.keepIdle = inRange((Integer) value, 1, 32767, name);
            if (live != null) live.keepaliveChanged(now);
        } else if (name == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            options.keepIntvl = inRange((Integer) value, 1, 32767, name);
        } else if (name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            options.keepCnt = inRange((Integer) value, 1, 127, name);
        } else if (name == ExtendedSocketOptions.TCP_QUICKACK) {
            options.quickAck = (Boolean) value;
        } else if (name == ThreewaySocketOptions.TCP_USER_TIMEOUT) {
            options.userTimeoutMs = inRange((Integer) value, 0, Integer.MAX_VALUE, name);
        } else if (name == ThreewaySocketOptions.TCP_MAXSEG) {
            options.maxSeg = inRange((Integer) value, MssPolicy.MIN_ADVERTISED_MSS, MssPolicy.MAX_USER_MSS, name);
        } else if (name == ThreewaySocketOptions.TCP_SYNCNT) {
            options.synCount = inRange((Integer) value, 1, 127, name);
        } else if (name == ThreewaySocketOptions.TCP_CONGESTION) {
            // Linux: setsockopt(TCP_CONGESTION) with an unknown name fails with ENOENT.
            if (!ConnectionOptions.congestionAvailable((String) value)) throw new SocketException("No such file or directory");
            options.congestion = (String) value;
            if (live != null) live.changeCongestionControl((String) value, now);
        } else {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    /**
     * getsockopt, as Java code reads each option on Linux (the buffer sizes Linux doubled, halved again by the JDK;
     * the MSS in use once connected).
     */
    Object get(SocketOption<?> name, TcpConnection live) {
        if (name == StandardSocketOptions.TCP_NODELAY) return options.noDelay;
        if (name == StandardSocketOptions.SO_KEEPALIVE) return options.keepAlive;
        if (name == StandardSocketOptions.SO_LINGER) return options.lingerSeconds;
        // getsockopt(SO_RCVBUF/SO_SNDBUF) reports the doubled size, and the JDK halves it again on Linux
        // (NET_GetSockOpt: "SO_SNDBUF/SO_RCVBUF aren't symmetric"), so Java code reads back what it set.
        if (name == StandardSocketOptions.SO_RCVBUF) {
            if (options.rcvBuf > 0) return options.rcvBuf / 2;
            return (live != null && live.receiveBufferSpace() > 0 ? live.receiveBufferSpace() : sysctls.get(Sysctl.TCP_RMEM, 1)) / 2;
        }
        if (name == StandardSocketOptions.SO_SNDBUF) {
            return (options.sndBuf > 0 ? options.sndBuf : sysctls.get(Sysctl.TCP_WMEM, 1)) / 2;
        }
        if (name == StandardSocketOptions.SO_REUSEADDR) return reuseAddress;
        if (name == StandardSocketOptions.IP_TOS) return trafficClass;
        if (name == ExtendedSocketOptions.TCP_KEEPIDLE) {
            return options.keepIdle > 0 ? options.keepIdle : sysctls.get(Sysctl.TCP_KEEPALIVE_TIME);
        }
        if (name == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            return options.keepIntvl > 0 ? options.keepIntvl : sysctls.get(Sysctl.TCP_KEEPALIVE_INTVL);
        }
        if (name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            return options.keepCnt > 0 ? options.keepCnt : sysctls.get(Sysctl.TCP_KEEPALIVE_PROBES);
        }
        if (name == ExtendedSocketOptions.TCP_QUICKACK) return options.quickAck;
        if (name == ThreewaySocketOptions.TCP_USER_TIMEOUT) return options.userTimeoutMs;
        if (name == ThreewaySocketOptions.TCP_MAXSEG) {
            if (live != null && live.state().isSynchronized()) return live.maxSegment();
            return options.maxSeg > 0 ? options.maxSeg : MssPolicy.DEFAULT_MSS_V4;
        }
        if (name == ThreewaySocketOptions.TCP_SYNCNT) {
            return options.synCount > 0 ? options.synCount : sysctls.get(Sysctl.TCP_SYN_RETRIES);
        }
        if (name == ThreewaySocketOptions.TCP_FASTOPEN) return fastOpenQueueLimit();
        if (name == ThreewaySocketOptions.TCP_DEFER_ACCEPT) return deferAcceptSeconds;
        if (name == ThreewaySocketOptions.TCP_FASTOPEN_CONNECT) return options.fastOpenConnect;
        if (name == ThreewaySocketOptions.TCP_CONGESTION) {
            if (live != null) return live.congestionControlName();
            return options.congestion != null ? options.congestion : stackDefaultCongestion();
        }
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }

    private static int positive(int v, String what) throws SocketException {
        if (v <= 0) throw new SocketException(what + " <= 0");
        return v;
    }

    private static int inRange(int v, int min, int max, SocketOption<?> name) {
        if (v < min || v > max) throw new IllegalArgumentException("Invalid value '" + v + "' for " + name);
        return v;
    }

    private static Set<SocketOption<?>> with(Set<SocketOption<?>> base, SocketOption<?> extra) {
        Set<SocketOption<?>> all = new HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }

    /** The stack's net.ipv4.tcp_congestion_control, as a new socket would get it. */
    private String stackDefaultCongestion() {
        return ConnectionOptions.defaultCongestion(sysctls);
    }
}
