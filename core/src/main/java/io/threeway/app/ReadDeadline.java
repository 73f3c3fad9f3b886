package io.threeway.app;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The deadline a connection's next reads must meet, enforced through {@code SO_TIMEOUT}: before each read the
 * socket's timeout is set to the time left, so a read blocks no later than the deadline, on the runtime's clock
 * (virtual in the simulator). A read at or past the deadline fails at once with {@link SocketTimeoutException}.
 */
class ReadDeadline {
    /** A deadline that never passes and sets nothing: for a parser fed from memory. */
    static final ReadDeadline NONE = new ReadDeadline(null, () -> 0) {
        @Override
        void beforeRead() { }
    };

    private final Socket socket;
    private final LongSupplier clock;
    private long deadline = Long.MAX_VALUE;

    ReadDeadline(Socket socket, LongSupplier clock) {
        this.socket = socket;
        this.clock = clock;
    }

    /** Reads from now on must be done within {@code d}. */
    void start(Duration d) {
        deadline = clock.getAsLong() + d.toNanos();
    }

    /** Moves the deadline later by {@code nanos} (a body's minimum rate earning time). */
    void extend(long nanos) {
        if (deadline != Long.MAX_VALUE) deadline += nanos;
    }

    /** Sets {@code SO_TIMEOUT} to what is left (at least 1 ms), or fails when nothing is. */
    void beforeRead() throws IOException {
        long left = deadline - clock.getAsLong();
        if (left <= 0) throw new SocketTimeoutException("deadline passed");
        long ms = Math.max(1, (left + 999_999) / 1_000_000);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
    }
}
