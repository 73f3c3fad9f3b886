package io.threeway.socket;

import io.threeway.tcp.Errno;
import java.io.IOException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ClosedChannelException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The exceptions a Java user sees for the stack's errors: the classes and messages of the JDK's own socket
 * implementation ({@code sun.nio.ch.NioSocketImpl} over Linux), so code that matches on them keeps working.
 *
 * <p>On Linux the JDK turns a failed connect(2) into {@link ConnectException} for ECONNREFUSED and
 * ETIMEDOUT, {@link NoRouteToHostException} for EHOSTUNREACH, {@link BindException} for EADDRINUSE and
 * EADDRNOTAVAIL, and a plain {@link SocketException} otherwise, each with strerror(3)'s text. Reads and
 * writes report ECONNRESET as "Connection reset" (the JDK's own wording, not strerror's) and EPIPE as
 * "Broken pipe". ENETUNREACH, which the JDK reports as a plain SocketException, becomes a
 * {@link NoRouteToHostException} here (a subclass, so catching SocketException still works) with the
 * same "Network is unreachable" text.
 */
final class SocketErrors {
    private SocketErrors() {}

    /** NioSocketImpl's message for any use of a socket after close(). */
    static SocketException closed() {
        return new SocketException("Socket closed");
    }

    /** NioSocketImpl's read after a reset, for this read and every later one. */
    static SocketException connectionReset() {
        return new SocketException("Connection reset");
    }

    static SocketTimeoutException readTimedOut() {
        return new SocketTimeoutException("Read timed out");
    }

    static SocketTimeoutException connectTimedOut() {
        return new SocketTimeoutException("Connect timed out");
    }

    static SocketTimeoutException acceptTimedOut() {
        return new SocketTimeoutException("Accept timed out");
    }

    /**
     * What a channel's {@code java.net} adaptor throws for what its channel threw, as the JDK's
     * {@code Net.translateException}: the channel-only exceptions become SocketExceptions with
     * {@code java.net.Socket}'s wording, other IOExceptions (ConnectException, SocketTimeoutException) and
     * other runtime exceptions pass unchanged.
     */
    static IOException forSocket(Exception e) {
        String m = switch (e) {
            case ClosedChannelException x -> "Socket is closed";
            case NotYetBoundException x -> "Socket is not bound yet";
            case NotYetConnectedException x -> "Socket is not connected";
            case AlreadyBoundException x -> "Already bound";
            case AlreadyConnectedException x -> "Already connected";
            case ConnectionPendingException x -> "Connection pending";
            case UnresolvedAddressException x -> "Unresolved address";
            case UnsupportedAddressTypeException x -> "Unsupported address type";
            default -> null;
        };
        if (m != null) {
            SocketException s = new SocketException(m);
            s.initCause(e);
            return s;
        }
        if (e instanceof IOException io) return io;
        if (e instanceof RuntimeException r) throw r;
        return new IOException(e);
    }

    /** {@link #forSocket}, for methods that may throw only SocketException. */
    static SocketException asSocketException(Exception e) {
        IOException io = forSocket(e);
        if (io instanceof SocketException s) return s;
        SocketException s = new SocketException(io.getMessage());
        s.initCause(io);
        return s;
    }

    /** The exception for a call that failed with {@code errno}. */
    static SocketException of(Errno errno) {
        String m = errno.message();
        return switch (errno) {
            case ECONNREFUSED, ETIMEDOUT -> new ConnectException(m);
            case EHOSTUNREACH, ENETUNREACH -> new NoRouteToHostException(m);
            case EADDRINUSE, EADDRNOTAVAIL -> new BindException(m);
            case ECONNRESET -> connectionReset();
            default -> new SocketException(m);
        };
    }
}
