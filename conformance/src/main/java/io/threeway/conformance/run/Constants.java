package io.threeway.conformance.run;

import io.threeway.tcp.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The symbolic constants system call lines use, with Linux's values (packetdrill's symbols_linux.c), and the
 * errno names: the stack's {@link Errno} and the few only the runner's own calls return.
 */
final class Constants {
    static final int O_RDWR = 02;
    static final int O_NONBLOCK = 04000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final long MSG_PEEK = 0x2;
    static final long MSG_DONTWAIT = 0x40;
    static final long MSG_EOR = 0x80;
    static final long MSG_ERRQUEUE = 0x2000;
    static final long MSG_MORE = 0x8000;
    static final long MSG_FASTOPEN = 0x20000000;
    static final long MSG_ZEROCOPY = 0x4000000;
    static final long EPOLLET = 1L << 31;
    static final long EPOLLONESHOT = 1L << 30;

    /** errno values the runner returns itself (bad buffers, missing files), beside the stack's {@link Errno}. */
    static final Map<String, Integer> RUNNER_ERRNO = Map.of("EFAULT", 14, "ENOENT", 2, "ESPIPE", 29, "ENOTSOCK", 88, "ENOMSG", 42,
            "ENOTTY", 25, "EEXIST", 17, "ENOSPC", 28, "EDESTADDRREQ", 89, "ENOBUFS", 105);

    private static final Map<String, Long> VALUES = new HashMap<>();
    static {
        put("AF_INET", 2); put("AF_INET6", 10); put("AF_UNSPEC", 0); put("PF_INET", 2); put("PF_INET6", 10);
        put("SOCK_STREAM", 1); put("SOCK_DGRAM", 2); put("IPPROTO_TCP", 6); put("IPPROTO_IP", 0); put("IPPROTO_IPV6", 41);
        put("IPPROTO_UDP", 17); put("SOL_SOCKET", 1); put("SOL_TCP", 6); put("SOL_IP", 0); put("SOL_IPV6", 41);
        put("NULL", 0);
        put("SO_REUSEADDR", 2); put("SO_ERROR", 4); put("SO_SNDBUF", 7); put("SO_RCVBUF", 8);
        put("SO_KEEPALIVE", 9); put("SO_LINGER", 13); put("SO_REUSEPORT", 15); put("SO_RCVLOWAT", 18); put("SO_MARK", 36);
        put("SO_TIMESTAMPING", 37); put("SO_MAX_PACING_RATE", 47); put("SO_ZEROCOPY", 60); put("SO_MEMINFO", 55);
        put("SO_INCOMING_CPU", 49); put("SO_PRIORITY", 12);
        put("TCP_NODELAY", 1); put("TCP_MAXSEG", 2); put("TCP_CORK", 3); put("TCP_KEEPIDLE", 4);
        put("TCP_KEEPINTVL", 5); put("TCP_KEEPCNT", 6); put("TCP_SYNCNT", 7); put("TCP_LINGER2", 8); put("TCP_DEFER_ACCEPT", 9);
        put("TCP_WINDOW_CLAMP", 10); put("TCP_INFO", 11); put("TCP_QUICKACK", 12); put("TCP_CONGESTION", 13);
        put("TCP_MD5SIG", 14); put("TCP_THIN_LINEAR_TIMEOUTS", 16); put("TCP_USER_TIMEOUT", 18); put("TCP_REPAIR", 19);
        put("TCP_FASTOPEN", 23); put("TCP_TIMESTAMP", 24); put("TCP_NOTSENT_LOWAT", 25); put("TCP_CC_INFO", 26);
        put("TCP_SAVE_SYN", 27); put("TCP_SAVED_SYN", 28); put("TCP_FASTOPEN_CONNECT", 30); put("TCP_ULP", 31);
        put("TCP_FASTOPEN_KEY", 33); put("TCP_FASTOPEN_NO_COOKIE", 34); put("TCP_ZEROCOPY_RECEIVE", 35); put("TCP_INQ", 36);
        put("TCP_CM_INQ", 36); put("TCP_TX_DELAY", 37);
        put("TCP_NOOPT", 8); put("TCP_KEEPINIT", 128); // FreeBSD-only options, named so scripts parse
        put("IP_TOS", 1); put("IP_TTL", 2); put("IP_MTU_DISCOVER", 10); put("IP_RECVERR", 11); put("IP_MTU", 14);
        put("IP_FREEBIND", 15); put("IP_PMTUDISC_DONT", 0); put("IP_PMTUDISC_WANT", 1); put("IP_PMTUDISC_DO", 2);
        put("IP_PMTUDISC_PROBE", 3); put("IPV6_TCLASS", 67); put("IPV6_RECVERR", 25); put("IPV6_MTU_DISCOVER", 23);
        put("F_GETFL", F_GETFL); put("F_SETFL", F_SETFL); put("O_RDWR", O_RDWR); put("O_NONBLOCK", O_NONBLOCK);
        put("O_RDONLY", 0); put("O_WRONLY", 1);
        put("SHUT_RD", 0); put("SHUT_WR", 1); put("SHUT_RDWR", 2);
        put("POLLIN", Poll.POLLIN); put("POLLPRI", Poll.POLLPRI); put("POLLOUT", Poll.POLLOUT);
        put("POLLERR", Poll.POLLERR); put("POLLHUP", Poll.POLLHUP); put("POLLNVAL", Poll.POLLNVAL);
        put("POLLRDNORM", Poll.POLLRDNORM); put("POLLRDBAND", Poll.POLLRDBAND); put("POLLWRNORM", Poll.POLLWRNORM);
        put("POLLWRBAND", Poll.POLLWRBAND); put("POLLMSG", Poll.POLLMSG); put("POLLRDHUP", Poll.POLLRDHUP);
        put("EPOLLIN", Poll.POLLIN); put("EPOLLPRI", Poll.POLLPRI); put("EPOLLOUT", Poll.POLLOUT);
        put("EPOLLERR", Poll.POLLERR); put("EPOLLHUP", Poll.POLLHUP); put("EPOLLRDNORM", Poll.POLLRDNORM);
        put("EPOLLRDBAND", Poll.POLLRDBAND); put("EPOLLWRNORM", Poll.POLLWRNORM); put("EPOLLWRBAND", Poll.POLLWRBAND);
        put("EPOLLMSG", Poll.POLLMSG); put("EPOLLRDHUP", Poll.POLLRDHUP); put("EPOLLEXCLUSIVE", 1L << 28); put("EPOLLWAKEUP", 1L << 29);
        put("EPOLLONESHOT", EPOLLONESHOT); put("EPOLLET", EPOLLET);
        put("EPOLL_CTL_ADD", 1); put("EPOLL_CTL_DEL", 2); put("EPOLL_CTL_MOD", 3);
        put("MSG_OOB", 0x1); put("MSG_PEEK", MSG_PEEK); put("MSG_DONTROUTE", 0x4); put("MSG_TRUNC", 0x20);
        put("MSG_DONTWAIT", MSG_DONTWAIT); put("MSG_EOR", MSG_EOR); put("MSG_WAITALL", 0x100); put("MSG_ERRQUEUE", MSG_ERRQUEUE);
        put("MSG_NOSIGNAL", 0x4000); put("MSG_MORE", MSG_MORE); put("MSG_CMSG_CLOEXEC", 0x40000000);
        put("MSG_FASTOPEN", MSG_FASTOPEN); put("MSG_ZEROCOPY", MSG_ZEROCOPY); put("MSG_CTRUNC", 0x8);
        put("SIOCINQ", 0x541B); put("FIONREAD", 0x541B); put("SIOCOUTQ", 0x5411); put("TIOCOUTQ", 0x5411);
        put("SIOCOUTQNSD", 0x894B); put("SIOCATMARK", 0x8905);
        put("SPLICE_F_MOVE", 1); put("SPLICE_F_NONBLOCK", 2); put("SPLICE_F_MORE", 4);
        put("SO_EE_ORIGIN_NONE", 0); put("SO_EE_ORIGIN_LOCAL", 1); put("SO_EE_ORIGIN_ICMP", 2); put("SO_EE_ORIGIN_ICMP6", 3);
        put("SO_EE_ORIGIN_TIMESTAMPING", 4); put("SO_EE_ORIGIN_ZEROCOPY", 5); put("SO_EE_CODE_ZEROCOPY_COPIED", 1);
        String[] sof = {"TX_HARDWARE", "TX_SOFTWARE", "RX_HARDWARE", "RX_SOFTWARE", "SOFTWARE", "SYS_HARDWARE", "RAW_HARDWARE",
            "OPT_ID", "TX_SCHED", "TX_ACK", "OPT_CMSG", "OPT_TSONLY", "OPT_STATS", "OPT_PKTINFO", "OPT_TX_SWHW"};
        for (int k = 0; k < sof.length; k++) put("SOF_TIMESTAMPING_" + sof[k], 1L << k);
        put("SCM_TIMESTAMPING", 37); put("SCM_TSTAMP_SND", 0); put("SCM_TSTAMP_SCHED", 1); put("SCM_TSTAMP_ACK", 2);
        put("SCM_TIMESTAMPING_OPT_STATS", 54); put("IP_RECVERR", 11); put("IPV6_RECVERR", 25);
        for (Errno e : Errno.values()) put(e.name(), e.number());
        RUNNER_ERRNO.forEach((k, v) -> put(k, v));
        put("EWOULDBLOCK", 11);
    }

    private Constants() {}

    private static void put(String name, long value) {
        VALUES.put(name, value);
    }

    /** The value of a symbol, or null if it is unknown. */
    static Long value(String name) {
        return VALUES.get(name);
    }
}
