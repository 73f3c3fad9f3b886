package io.threeway.bench.engine;

import io.threeway.bench.BenchSettings;
import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;

/**
 * The engine's throughput ceiling: one connection over a {@link Fabric} on the calling thread, the writer
 * writing 64 KiB at a time and the reader draining whatever arrives, in virtual time; counts bytes the reader
 * got per wall-clock second. No sockets, no threads, no locks: what the socket layer and its driver add is
 * the difference from the socket figure.
 */
public final class EngineThroughput {
    private EngineThroughput() {}

    private static final long STEP_LIMIT_NANOS = 10_000_000_000L;

    /** Bytes per second over one connection at {@code mtu}, one packet per segment. */
    public static double bytesPerSecond(BenchSettings s, int mtu) {
        return bytesPerSecond(s, mtu, 0);
    }

    /**
     * Bytes per second over one connection at {@code mtu}, over a link offloading segmentation up to
     * {@code gsoMaxSize} (0: one packet per segment).
     */
    public static double bytesPerSecond(BenchSettings s, int mtu, int gsoMaxSize) {
        Fabric f = new Fabric(1, mtu, gsoMaxSize);
        Listener l = f.server().listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        TcpConnection c = f.client().connect(Fabric.SERVER, 80, 0, new ConnectionOptions(), f.now());
        f.client().userCallDone();
        if (!f.runUntil(() -> c.state() == TcpState.ESTABLISHED && l.acceptQueueLength() > 0, STEP_LIMIT_NANOS)) {
            throw new IllegalStateException("no connection: " + c);
        }
        TcpConnection srv = l.accept();
        byte[] chunk = new byte[64 * 1024];
        byte[] sink = new byte[64 * 1024];
        long measureFrom = System.nanoTime() + s.warmup().toNanos();
        long measureTo = measureFrom + s.measure().toNanos();
        long[] read = new long[1];
        long readAtStart = -1;
        long startedAt = 0;
        int offset = 0;
        long wall;
        while (true) {
            wall = System.nanoTime();
            if (readAtStart < 0 && wall >= measureFrom) {
                readAtStart = read[0];
                startedAt = wall;
            }
            // On a starved machine a short window may see nothing arrive: measure on until something does.
            if (wall >= measureTo && read[0] > readAtStart) break;
            int n = c.write(chunk, offset, chunk.length - offset, f.now());
            f.client().userCallDone();
            offset = (offset + n) % chunk.length;
            boolean ok = f.runUntil(() -> {
                int r;
                boolean any = false;
                while ((r = srv.read(sink, 0, sink.length, f.now())) > 0) {
                    read[0] += r;
                    any = true;
                }
                if (any) f.server().userCallDone();
                return c.writable() >= chunk.length / 2 || c.state() != TcpState.ESTABLISHED;
            }, f.now() + STEP_LIMIT_NANOS);
            if (!ok || c.state() != TcpState.ESTABLISHED) {
                throw new IllegalStateException("transfer stalled: " + c + " writable " + c.writable() + "; server " + srv);
            }
        }
        return (read[0] - readAtStart) * 1e9 / (wall - startedAt);
    }
}
