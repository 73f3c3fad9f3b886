package io.threeway.conformance.run;

import io.threeway.tcp.Errno;
import java.util.HashMap;
import java.util.Map;

/** The symbolic constants system call lines use, with Linux's values (errno names come from {@link Errno}). */
final class Constants {
    static final int O_RDWR = 02;
    static final int O_NONBLOCK = 04000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    private static final Map<String, Long> VALUES = new HashMap<>();
    static {
        put("AF_INET", 2); put("AF_INET6", 10); put("PF_INET", 2); put("PF_INET6", 10);
        put("SOCK_STREAM", 1); put("IPPROTO_TCP", 6); put("IPPROTO_IP", 0); put("IPPROTO_IPV6", 41);
        put("SOL_SOCKET", 1); put("SOL_TCP", 6);
        put("SO_REUSEADDR", 2); put("SO_ERROR", 4); put("SO_SNDBUF", 7); put("SO_RCVBUF", 8);
        put("SO_KEEPALIVE", 9); put("SO_LINGER", 13); put("SO_REUSEPORT", 15);
        put("TCP_NODELAY", 1); put("TCP_MAXSEG", 2); put("TCP_CORK", 3); put("TCP_KEEPIDLE", 4);
        put("TCP_KEEPINTVL", 5); put("TCP_KEEPCNT", 6); put("TCP_SYNCNT", 7); put("TCP_INFO", 11);
        put("TCP_QUICKACK", 12); put("TCP_USER_TIMEOUT", 18); put("TCP_FASTOPEN", 23);
        put("TCP_FASTOPEN_CONNECT", 30);
        put("TCP_NOOPT", 8); put("TCP_KEEPINIT", 128); // FreeBSD-only options, named so scripts parse
        put("F_GETFL", F_GETFL); put("F_SETFL", F_SETFL); put("O_RDWR", O_RDWR); put("O_NONBLOCK", O_NONBLOCK);
        put("O_RDONLY", 0); put("O_WRONLY", 1);
        put("SHUT_RD", 0); put("SHUT_WR", 1); put("SHUT_RDWR", 2);
        put("POLLIN", Poll.POLLIN); put("POLLPRI", Poll.POLLPRI); put("POLLOUT", Poll.POLLOUT);
        put("POLLERR", Poll.POLLERR); put("POLLHUP", Poll.POLLHUP); put("POLLNVAL", Poll.POLLNVAL);
        put("POLLRDNORM", Poll.POLLRDNORM); put("POLLWRNORM", Poll.POLLWRNORM); put("POLLRDHUP", Poll.POLLRDHUP);
        put("MSG_FASTOPEN", 0x20000000); put("MSG_DONTWAIT", 0x40); put("MSG_PEEK", 0x2);
        put("MSG_NOSIGNAL", 0x4000);
        for (Errno e : Errno.values()) put(e.name(), e.number());
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
