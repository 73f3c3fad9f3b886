package io.threeway.app;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * A served connection's output, each write marked on its {@link ConnectionSlots.Slot} with the time it began, so
 * that a write blocked past the send timeout (a client that stopped reading) gets its connection closed under it
 * ({@link ConnectionSlots#closeStalledWriters}); the blocked write then fails and the connection's thread ends.
 */
final class WatchedOutput extends OutputStream {
    /** The socket's own stream. */
    private final OutputStream out;
    /** Where writes are marked. */
    private final ConnectionSlots.Slot slot;
    /** The server's clock (ns). */
    private final LongSupplier clock;

    WatchedOutput(OutputStream out, ConnectionSlots.Slot slot, LongSupplier clock) {
        this.out = out;
        this.slot = slot;
        this.clock = clock;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        slot.writing(clock.getAsLong());
        try {
            out.write(b, off, len);
        } finally {
            slot.writing(Long.MIN_VALUE);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
