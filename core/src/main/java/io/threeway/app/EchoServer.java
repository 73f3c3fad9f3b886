package io.threeway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The echo service (RFC 862) on any {@link ServerSocket}: each accepted connection gets a thread that sends back
 * what it reads until the client closes its side, then closes. Written against the blocking socket API only, so it
 * runs on a Threeway stack (simulated or on TUN) as on the kernel's.
 *
 * <p>Within {@link ServerLimits}: a connection silent for the idle timeout is closed; at the connection limit the
 * connection silent longest gives way to a newcomer, and when all are busy the newcomer is closed at once. The
 * buffer starts small and grows (to 16 KiB) only while reads fill it.
 */
public final class EchoServer implements AutoCloseable {
    private static final int MIN_BUFFER = 1024;
    private static final int MAX_BUFFER = 16384;

    private final ServerSocket server;
    private final ServerLimits limits;
    private final ServerRuntime runtime;
    private final ServerStats stats = new ServerStats();
    private final ConnectionSlots slots;

    private EchoServer(ServerSocket server, ServerLimits limits, ServerRuntime runtime) {
        this.server = server;
        this.limits = limits;
        this.runtime = runtime;
        this.slots = new ConnectionSlots(limits.maxConnections(), stats);
    }

    /** Starts serving on {@code server} with the default limits; {@link #close()} closes it. */
    public static EchoServer start(ServerSocket server) {
        return start(server, ServerLimits.DEFAULT, ServerRuntime.system());
    }

    public static EchoServer start(ServerSocket server, ServerLimits limits, ServerRuntime runtime) {
        EchoServer s = new EchoServer(server, limits, runtime);
        runtime.threads().newThread(() -> Acceptor.run(server, s::admit, s.stats, s::closeStalledWriters,
                limits.acceptTickMillis())).start();
        return s;
    }

    private void admit(Socket s) {
        ConnectionSlots.Slot slot = slots.admit(s);
        if (slot == null) {
            stats.refused.incrementAndGet();
            ConnectionSlots.closeQuietly(s);
            return;
        }
        stats.accepted.incrementAndGet();
        Acceptor.startOrClose(runtime, s, slot, stats, () -> echo(s, slot));
    }

    private void echo(Socket s, ConnectionSlots.Slot slot) {
        ReadDeadline deadline = new ReadDeadline(s, runtime.clock());
        try (s; InputStream in = s.getInputStream();
             OutputStream out = new WatchedOutput(s.getOutputStream(), slot, runtime.clock())) {
            byte[] buf = new byte[MIN_BUFFER];
            while (true) {
                deadline.start(limits.idleTimeout());
                slot.idle(true);
                deadline.beforeRead();
                int n = in.read(buf);
                slot.idle(false);
                if (n < 0) return;
                out.write(buf, 0, n);
                if (n == buf.length && buf.length < MAX_BUFFER) buf = new byte[buf.length * 2];
            }
        } catch (SocketTimeoutException e) {
            stats.timedOut.incrementAndGet();
        } catch (IOException e) {
            // reset or closed under us (or to make room): the client is gone
        } finally {
            slot.release();
        }
    }

    public int port() { return server.getLocalPort(); }

    /** Closes the connections whose write has been blocked longer than the send timeout. */
    private void closeStalledWriters() {
        slots.closeStalledWriters(runtime.clock().getAsLong(), limits.sendTimeout().toNanos());
    }

    /** What the server did so far. */
    public ServerStats stats() { return stats; }

    /** Connections being served now. */
    public int connections() { return slots.taken(); }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
