package io.threeway.tcp;

/** A call that failed with one of Linux's errors; the message is strerror's text. */
public final class TcpException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;
    /** The error. */
    private final Errno errno;

    public TcpException(Errno errno) {
        super(errno.message());
        this.errno = errno;
    }

    public TcpException(Errno errno, String detail) {
        super(errno.message() + " (" + detail + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
