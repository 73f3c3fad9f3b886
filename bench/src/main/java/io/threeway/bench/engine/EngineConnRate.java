package io.threeway.bench.engine;

import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.Locale;

/**
 * The engine's side of the lwIP comparison: the same work as {@code lwip-conn-rate.c}, on one thread, one
 * connection at a time, through the callback path (user calls straight on the engine, packets handed over in
 * memory by a {@link Fabric}). The clock is the real one, as lwIP's: TIME-WAIT entries pile up for the whole
 * run on both sides.
 *
 * <ul>
 *   <li>{@link CloseMode#FIN}: connect; the server accepts and closes at once; the client reads EOF and
 *   closes (a four-way close; the server, which closed first, keeps the TIME-WAIT).</li>
 *   <li>{@link CloseMode#RST}: connect; the client aborts with RST as soon as it is established; the server
 *   accepts and closes what it accepted.</li>
 * </ul>
 */
public final class EngineConnRate {
    private EngineConnRate() {}

    /** How each connection ends. */
    public enum CloseMode {
        /** A graceful four-way close. */
        FIN,
        /** An abort with RST once established. */
        RST;

        /** The mode's name as lwip-conn-rate takes it. */
        public String arg() { return name().toLowerCase(Locale.ROOT); }
    }

    /** The server's port, as in lwip-conn-rate.c. */
    static final int PORT = 8080;
    /** How long one connection may take before the run fails (it takes microseconds). */
    private static final long STEP_LIMIT_NANOS = 10_000_000_000L;

    /** What one run did. */
    public record Run(int connections, long nanos, long packets) {
        /** Connections per second. */
        public double rate() { return connections * 1e9 / nanos; }
    }

    /** Makes {@code n} connections one after the other on a fresh pair of stacks and times them. */
    public static Run run(int n, CloseMode mode) {
        Fabric f = new Fabric(1, 1500);
        long origin = System.nanoTime();
        Listener l = f.server().listen(IpAddress.ANY4, PORT, 4096, new ConnectionOptions(), false);
        ConnectionOptions opts = new ConnectionOptions();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            f.runTo(System.nanoTime() - origin);
            if (mode == CloseMode.FIN) graceful(f, l, opts); else abort(f, l, opts);
        }
        long t1 = System.nanoTime();
        return new Run(n, t1 - t0, f.delivered());
    }

    private static TcpConnection connect(Fabric f, ConnectionOptions opts) {
        TcpConnection c = f.client().connect(Fabric.SERVER, PORT, 0, opts, f.now());
        f.client().userCallDone();
        return c;
    }

    /** The server accepts and closes whatever is in its accept queue. */
    private static void acceptAndClose(Fabric f, Listener l) {
        TcpConnection s;
        boolean any = false;
        while ((s = l.accept()) != null) {
            s.close(f.now());
            any = true;
        }
        if (any) f.server().userCallDone();
    }

    private static void graceful(Fabric f, Listener l, ConnectionOptions opts) {
        TcpConnection c = connect(f, opts);
        boolean ok = f.runUntil(() -> {
            acceptAndClose(f, l);
            return c.atEof() || c.state() == TcpState.CLOSED;
        }, f.now() + STEP_LIMIT_NANOS);
        if (!ok || c.state() == TcpState.CLOSED) throw new IllegalStateException("connection failed: " + c + " " + c.error());
        c.close(f.now());
        f.client().userCallDone();
        f.drain();
        if (c.state() != TcpState.CLOSED || c.error() != null) throw new IllegalStateException("close failed: " + c);
    }

    private static void abort(Fabric f, Listener l, ConnectionOptions opts) {
        TcpConnection c = connect(f, opts);
        boolean ok = f.runUntil(() -> c.state() == TcpState.ESTABLISHED || c.state() == TcpState.CLOSED,
                f.now() + STEP_LIMIT_NANOS);
        if (!ok || c.state() != TcpState.ESTABLISHED) throw new IllegalStateException("connection failed: " + c + " " + c.error());
        c.abort(f.now());
        f.client().userCallDone();
        f.drain();
        acceptAndClose(f, l);
        f.drain();
    }
}
