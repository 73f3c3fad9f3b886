package io.threeway.tools;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The accept loop of the management plane (the metrics endpoint, the control socket): local clients, each on a
 * virtual thread of its own, so one slow or silent client never holds up another. It survives any client:
 * <ul>
 *   <li>each client has {@code timeout} for its whole exchange; then its channel is closed under it;</li>
 *   <li>at most {@code maxClients} are served at once; one more is handed to {@code busy} (a short refusal) and
 *       closed;</li>
 *   <li>a failed accept ({@code EMFILE} with a full file table, say) is retried after a pause; only
 *       {@link #close()} ends the loop.</li>
 * </ul>
 * It runs outside any simulation, on the real clock, as the endpoints do.
 */
public final class LocalServer implements AutoCloseable {
    /** What serves one client; the channel is closed after it returns. */
    public interface Handler {
        void serve(SocketChannel client) throws IOException;
    }

    /** Pause after a failed accept. */
    private static final long RETRY_MILLIS = 50;

    private final ServerSocketChannel server;
    private final Handler handler;
    private final Handler busy;
    private final Duration timeout;
    private final Semaphore slots;
    private final ScheduledExecutorService timer;

    private LocalServer(ServerSocketChannel server, Handler handler, Handler busy, int maxClients, Duration timeout, String name) {
        this.server = server;
        this.handler = handler;
        this.busy = busy;
        this.timeout = timeout;
        this.slots = new Semaphore(maxClients);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(name + "-timeouts").unstarted(r));
    }

    /** Starts accepting on the bound {@code server}, on a platform daemon thread called {@code name}. */
    public static LocalServer start(ServerSocketChannel server, Handler handler, Handler busy, int maxClients,
                                    Duration timeout, String name) {
        LocalServer s = new LocalServer(server, handler, busy, maxClients, timeout, name);
        Thread.ofPlatform().daemon().name(name).start(s::acceptLoop);
        return s;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) return;
                pause();
                continue;
            }
            try {
                dispatch(client);
            } catch (Throwable t) { // no thread to be had, say: this client goes, the loop stays
                closeQuietly(client);
            }
        }
    }

    private void dispatch(SocketChannel client) {
        if (!slots.tryAcquire()) {
            Thread.ofVirtual().start(() -> serveBounded(client, busy, false));
            return;
        }
        Thread.ofVirtual().start(() -> serveBounded(client, handler, true));
    }

    private void serveBounded(SocketChannel client, Handler h, boolean holdsSlot) {
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(client), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (client) {
            h.serve(client);
        } catch (IOException | RuntimeException e) {
            // the client went away, or its time ran out and its channel was closed
        } finally {
            deadline.cancel(false);
            if (holdsSlot) slots.release();
        }
    }

    static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting; clients being served finish or time out. */
    @Override
    public void close() throws IOException {
        server.close();
        timer.shutdown();
    }
}
