package io.threeway.tcp;

/**
 * The errors a connection can end with or a call can fail with, under Linux's errno names and with the
 * strerror(3) text users know ("Connection refused", "Connection reset by peer", ...).
 */
public enum Errno {
    /** 111: Connection refused. */
    ECONNREFUSED(111, "Connection refused"),
    /** 104: Connection reset by peer. */
    ECONNRESET(104, "Connection reset by peer"),
    /** 110: Connection timed out. */
    ETIMEDOUT(110, "Connection timed out"),
    /** 32: Broken pipe. */
    EPIPE(32, "Broken pipe"),
    /** 107: Transport endpoint is not connected. */
    ENOTCONN(107, "Transport endpoint is not connected"),
    /** 106: Transport endpoint is already connected. */
    EISCONN(106, "Transport endpoint is already connected"),
    /** 98: Address already in use. */
    EADDRINUSE(98, "Address already in use"),
    /** 99: Cannot assign requested address. */
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    /** 113: No route to host. */
    EHOSTUNREACH(113, "No route to host"),
    /** 101: Network is unreachable. */
    ENETUNREACH(101, "Network is unreachable"),
    /** 115: Operation now in progress. */
    EINPROGRESS(115, "Operation now in progress"),
    /** 114: Operation already in progress. */
    EALREADY(114, "Operation already in progress"),
    /** 11: Resource temporarily unavailable. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** 22: Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** 9: Bad file descriptor. */
    EBADF(9, "Bad file descriptor"),
    /** 90: Message too long. */
    EMSGSIZE(90, "Message too long"),
    /** 92: Protocol not available. */
    ENOPROTOOPT(92, "Protocol not available"),
    /** 95: Operation not supported. */
    EOPNOTSUPP(95, "Operation not supported"),
    /** 13: Permission denied. */
    EACCES(13, "Permission denied"),
    /** 1: Operation not permitted. */
    EPERM(1, "Operation not permitted"),
    /** 71: Protocol error. */
    EPROTO(71, "Protocol error"),
    /** 112: Host is down. */
    EHOSTDOWN(112, "Host is down"),
    /** 64: Machine is not on the network. */
    ENONET(64, "Machine is not on the network");

    /** Linux's errno value. */
    private final int number;
    /** strerror(3)'s text. */
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** Linux's errno value. */
    public int number() { return number; }

    /** strerror(3)'s text. */
    public String message() { return message; }
}
