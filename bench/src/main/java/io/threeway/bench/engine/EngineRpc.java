package io.threeway.bench.engine;

import io.threeway.bench.BenchSettings;
import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.Arrays;

/**
 * The rpc workload on the engine alone: one connection over a {@link Fabric} on the calling thread, the
 * client writing {@code bytes}, the server reading them and writing as many back, the client reading them;
 * each exchange timed. No sockets, no threads, no locks: the engine's share of an exchange.
 */
public final class EngineRpc {
    private EngineRpc() {}

    private static final long LIMIT_NANOS = 1_000_000_000L;

    /** The median time of one exchange, in microseconds, over {@code s}'s measured time. */
    public static double p50Micros(BenchSettings s, int bytes) {
        Fabric f = new Fabric(1, 1500);
        Listener l = f.server().listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        ConnectionOptions nodelay = new ConnectionOptions();
        nodelay.noDelay = true;
        TcpConnection c = f.client().connect(Fabric.SERVER, 80, 0, nodelay, f.now());
        f.client().userCallDone();
        if (!f.runUntil(() -> c.state() == TcpState.ESTABLISHED && l.acceptQueueLength() > 0, LIMIT_NANOS)) {
            throw new IllegalStateException("no connection: " + c);
        }
        TcpConnection srv = l.accept();
        byte[] req = new byte[bytes];
        byte[] buf = new byte[bytes];
        long warmEnd = System.nanoTime() + s.warmup().toNanos();
        long end = warmEnd + s.measure().toNanos();
        long[] lat = new long[1 << 16];
        int n = 0;
        long t;
        while ((t = System.nanoTime()) < end || n == 0) {
            exchange(f, c, srv, req, buf);
            if (t >= warmEnd) {
                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                lat[n++] = System.nanoTime() - t;
            }
        }
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        return sorted[(n - 1) / 2] / 1e3;
    }

    private static void exchange(Fabric f, TcpConnection c, TcpConnection srv, byte[] req, byte[] buf) {
        if (c.write(req, 0, req.length, f.now()) != req.length) throw new IllegalStateException("short write: " + c);
        f.client().userCallDone();
        f.drain();
        readAll(f, srv, buf);
        srv.write(buf, 0, buf.length, f.now());
        f.server().userCallDone();
        f.drain();
        readAll(f, c, buf);
        f.runTo(f.now() + 1_000); // 1 us of virtual time per exchange, so timers fire as they would
    }

    private static void readAll(Fabric f, TcpConnection conn, byte[] buf) {
        int got = 0;
        while (got < buf.length) {
            int r = conn.read(buf, got, buf.length - got, f.now());
            if (r <= 0) throw new IllegalStateException("nothing to read: " + conn);
            got += r;
        }
        f.client().userCallDone();
        f.server().userCallDone();
        f.drain();
    }
}
