package io.threeway.bench.jmh;

import io.threeway.bench.engine.Fabric;
import io.threeway.host.Listener;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One data segment through both stacks: on an established connection over a {@link Fabric}, the client
 * writes one MSS (1448 bytes), the segment is built, handed over, parsed, demultiplexed and queued by the
 * server, whose application reads it; the server's ACK (one per two segments, as Linux's delayed ACKs)
 * goes back the same way. The clock moves 10 us per segment so timers fire as they would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentBenchmarks {
    private static final long STEP_NANOS = 10_000;
    private Fabric fabric;
    private TcpConnection client;
    private TcpConnection server;
    private final byte[] data = new byte[WireBenchmarks.PAYLOAD];
    private final byte[] sink = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void connect() {
        fabric = new Fabric(1, 1500);
        Listener l = fabric.server().listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        ConnectionOptions nodelay = new ConnectionOptions();
        client = fabric.client().connect(Fabric.SERVER, 80, 0, nodelay, fabric.now());
        fabric.client().userCallDone();
        if (!fabric.runUntil(() -> client.state() == TcpState.ESTABLISHED && l.acceptQueueLength() > 0, 1_000_000_000L)) {
            throw new IllegalStateException("no connection: " + client);
        }
        server = l.accept();
    }

    /** Write one MSS, deliver, read it on the other side. */
    @Benchmark
    public int dataSegmentThroughBothStacks() {
        int n = client.write(data, 0, data.length, fabric.now());
        fabric.client().userCallDone();
        fabric.drain();
        int r = server.read(sink, 0, sink.length, fabric.now());
        fabric.server().userCallDone();
        fabric.runTo(fabric.now() + STEP_NANOS);
        if (n == 0 && r == 0) throw new IllegalStateException("stalled: " + client + " / " + server);
        return r;
    }
}
