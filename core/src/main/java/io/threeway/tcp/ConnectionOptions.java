package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.tcp.cc.CongestionControls;
import java.util.Objects;

/**
 * Per-socket options (setsockopt), each starting from the stack's sysctl default as Linux does.
 * A value of -1 means "use the sysctl" for the keepalive knobs, as in Linux where TCP_KEEPIDLE etc.
 * override tcp_keepalive_* only once set.
 */
public final class ConnectionOptions {
    /** TCP_NODELAY: disable Nagle's algorithm (RFC 896). */
    public boolean noDelay;
    /** SO_KEEPALIVE. */
    public boolean keepAlive;
    /** TCP_KEEPIDLE: idle seconds before the first keepalive probe; -1 = the sysctl. */
    public int keepIdle = -1;
    /** TCP_KEEPINTVL: seconds between keepalive probes; -1 = the sysctl. */
    public int keepIntvl = -1;
    /** TCP_KEEPCNT: unanswered probes before the connection is dropped; -1 = the sysctl. */
    public int keepCnt = -1;
    /** TCP_USER_TIMEOUT in milliseconds; 0 = off. */
    public int userTimeoutMs;
    /** SO_LINGER: -1 off; 0 means close() aborts with RST. */
    public int lingerSeconds = -1;
    /** SO_RCVBUF as set by the user (bytes, already doubled as Linux does), or -1 for the sysctl default. */
    public int rcvBuf = -1;
    /** SO_SNDBUF as set by the user (bytes, already doubled as Linux does), or -1 for the sysctl default. */
    public int sndBuf = -1;
    /** TCP_MAXSEG: a cap on the MSS, or 0 for none. */
    public int maxSeg;
    /** TCP_QUICKACK (one-shot in Linux: cleared once quick acks are used up). */
    public boolean quickAck;
    /** TCP_CONGESTION: the algorithm's name ("cubic", "reno"), or null for net.ipv4.tcp_congestion_control. */
    public String congestion;
    /** TCP_SYNCNT: SYN retries for this socket, or 0 for tcp_syn_retries. */
    public int synCount;
    /**
     * TCP_FASTOPEN_CONNECT: this connect() wants Fast Open even before it has data to send. Without a cached
     * cookie the SYN asks for one (Linux's tcp_fastopen_defer_connect allocating fastopen_req), so the next
     * connection to the server can carry data; the socket layer defers the SYN itself when a cookie is cached.
     */
    public boolean fastOpenConnect;
    /**
     * Offer the whole receive buffer as window from the first segment, as BSD stacks do, instead of Linux's
     * first window of whole segments that grows as data arrives (tcp_select_initial_window, rcv_ssthresh).
     * Off by default; a conformance profile for another system turns it on.
     */
    public boolean offerWholeBuffer;
    /**
     * FreeBSD's TCP_KEEPINIT, in milliseconds: the connection-establishment timeout of this socket, overriding
     * {@link EngineProfile#keepInitNanos()} (FreeBSD's TP_KEEPINIT: the socket's value if set, else the
     * sysctl). 0 = use the profile's. Linux has no such option.
     */
    public int keepInitMs;
    /**
     * FreeBSD's TCP_NOOPT: the connection's SYN or SYN-ACK carries no TCP options at all, not even MSS
     * (tcp_output and syncache_respond add none under TF_NOOPT), so window scaling, timestamps and SACK are
     * never agreed. The peer's MSS option is still honoured. Linux has no such option.
     */
    public boolean noOptions;
    /**
     * TCP_NOTSENT_LOWAT: how many unsent bytes a write may leave queued before it stops taking more (Linux's
     * tcp_stream_memory_free), unsigned as Linux's u32 tp->notsent_lowat; 0 uses net.ipv4.tcp_notsent_lowat (by
     * default no limit), as tcp_notsent_lowat() does.
     */
    public int notSentLowat;
    /** TCP_CORK: partial segments wait until the cork comes off (or the probe timer, about an RTO, sends them). */
    public boolean cork;

    public ConnectionOptions copy() {
        ConnectionOptions o = new ConnectionOptions();
        o.notSentLowat = notSentLowat;
        o.cork = cork;
        o.noDelay = noDelay;
        o.keepAlive = keepAlive;
        o.keepIdle = keepIdle;
        o.keepIntvl = keepIntvl;
        o.keepCnt = keepCnt;
        o.userTimeoutMs = userTimeoutMs;
        o.lingerSeconds = lingerSeconds;
        o.rcvBuf = rcvBuf;
        o.sndBuf = sndBuf;
        o.maxSeg = maxSeg;
        o.quickAck = quickAck;
        o.synCount = synCount;
        o.fastOpenConnect = fastOpenConnect;
        o.congestion = congestion;
        o.offerWholeBuffer = offerWholeBuffer;
        o.keepInitMs = keepInitMs;
        o.noOptions = noOptions;
        return o;
    }

    /**
     * Whether every option equals {@code o}'s (what {@link #copy} copies): a listener's children share one copy of
     * its options while they stay the same (see {@code TcpConnection}'s copy on write).
     */
    public boolean sameAs(ConnectionOptions o) {
        return notSentLowat == o.notSentLowat && cork == o.cork && noDelay == o.noDelay && keepAlive == o.keepAlive
                && keepIdle == o.keepIdle && keepIntvl == o.keepIntvl && keepCnt == o.keepCnt
                && userTimeoutMs == o.userTimeoutMs && lingerSeconds == o.lingerSeconds && rcvBuf == o.rcvBuf
                && sndBuf == o.sndBuf && maxSeg == o.maxSeg && quickAck == o.quickAck && synCount == o.synCount
                && fastOpenConnect == o.fastOpenConnect && Objects.equals(congestion, o.congestion)
                && offerWholeBuffer == o.offerWholeBuffer && keepInitMs == o.keepInitMs && noOptions == o.noOptions;
    }

    /** Whether TCP_CONGESTION accepts {@code name} (an algorithm the engine has, as Linux's tcp_available_congestion_control). */
    public static boolean congestionAvailable(String name) {
        return CongestionControls.isAvailable(name);
    }

    /** The algorithm a socket gets without TCP_CONGESTION: net.ipv4.tcp_congestion_control's. */
    public static String defaultCongestion(Sysctls sysctls) {
        return CongestionControls.stackDefault(sysctls).name();
    }

    int keepIdleSeconds(Sysctls s) { return keepIdle > 0 ? keepIdle : s.get(Sysctl.TCP_KEEPALIVE_TIME); }
    int keepIntvlSeconds(Sysctls s) { return keepIntvl > 0 ? keepIntvl : s.get(Sysctl.TCP_KEEPALIVE_INTVL); }
    int keepProbes(Sysctls s) { return keepCnt > 0 ? keepCnt : s.get(Sysctl.TCP_KEEPALIVE_PROBES); }
}
