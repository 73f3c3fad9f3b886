package io.threeway.app;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * The accept loop both servers share. It never dies while its socket is open: a failed accept (the kernel's
 * {@code EMFILE} when the file table is full, say) is retried after a short pause, and anything thrown while
 * handing a connection over is counted in {@link ServerStats#internalErrors()} and closes only that connection.
 */
final class Acceptor {
    private Acceptor() {}

    /** Pause after a failed accept, so a full file table does not make the loop spin. */
    private static final long RETRY_MILLIS = 50;

    /**
     * Accepts until the socket closes, handing each connection to {@code admit}; wakes at least every
     * {@code tickMillis} (through the listening socket's SO_TIMEOUT, so on the sockets' own clock) and after each
     * accept to run {@code tick} (the servers close stalled writers there).
     */
    static void run(ServerSocket server, Consumer<Socket> admit, ServerStats stats, Runnable tick, int tickMillis) {
        try {
            server.setSoTimeout(tickMillis);
        } catch (IOException e) {
            // a socket that cannot time out accepts anyway; tick then runs after each accept only
        }
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                tick.run();
                continue; // the periodic wake-up: keep accepting
            } catch (InterruptedIOException e) {
                return; // the thread is being stopped (an interrupt, or a simulated network closing)
            } catch (IOException e) {
                if (server.isClosed() || !pause()) return;
                continue;
            }
            try {
                admit.accept(s);
                tick.run();
            } catch (Throwable t) { // OutOfMemoryError included: drop this client, keep serving the others
                stats.internalErrors.incrementAndGet();
                ConnectionSlots.closeQuietly(s);
            }
        }
    }

    /** Starts {@code body} on a thread of its own; if no thread can be had, closes the connection and frees its slot. */
    static void startOrClose(ServerRuntime runtime, Socket s, ConnectionSlots.Slot slot, ServerStats stats, Runnable body) {
        try {
            runtime.threads().newThread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    stats.internalErrors.incrementAndGet();
                    ConnectionSlots.closeQuietly(s);
                    slot.release();
                }
            }).start();
        } catch (Throwable t) {
            stats.internalErrors.incrementAndGet();
            ConnectionSlots.closeQuietly(s);
            slot.release();
        }
    }

    /** Waits before the next accept; false when the thread was interrupted meanwhile (it should stop). */
    private static boolean pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
