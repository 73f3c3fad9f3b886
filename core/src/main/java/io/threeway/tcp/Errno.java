package io.threeway.tcp;

/**
 * The errors a connection can end with or a call can fail with, under Linux's errno names and with the
 * strerror(3) text users know ("Connection refused", "Connection reset by peer", ...).
 */
public enum Errno {
    ECONNREFUSED(111, "Connection refused"),
    ECONNRESET(104, "Connection reset by peer"),
    ETIMEDOUT(110, "Connection timed out"),
    EPIPE(32, "Broken pipe"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    EISCONN(106, "Transport endpoint is already connected"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    EHOSTUNREACH(113, "No route to host"),
    ENETUNREACH(101, "Network is unreachable"),
    EINPROGRESS(115, "Operation now in progress"),
    EALREADY(114, "Operation already in progress"),
    EAGAIN(11, "Resource temporarily unavailable"),
    EINVAL(22, "Invalid argument"),
    EBADF(9, "Bad file descriptor"),
    EMSGSIZE(90, "Message too long"),
    ENOPROTOOPT(92, "Protocol not available"),
    EOPNOTSUPP(95, "Operation not supported"),
    EACCES(13, "Permission denied"),
    EPERM(1, "Operation not permitted"),
    EPROTO(71, "Protocol error"),
    EHOSTDOWN(112, "Host is down"),
    ENONET(64, "Machine is not on the network");

    private final int number;
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
