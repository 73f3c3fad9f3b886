package io.threeway.bench.sockets;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.netns.NetNs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nio} (issue 14): the same selector code on Threeway's NIO in the library's in-process real-time mode and
 * on the kernel's NIO over loopback, in the same run: echo throughput over one connection, and connections per
 * second with {@value #CONCURRENT} connects in flight on one selector. Both at MTU 1500: the kernel's loopback is
 * set to it in a namespace the bench creates (root), or left at its own 65536 otherwise (and the report says so).
 * Issue 14 sets no ratio goal: the row reports the ratio. Beside them ({@code threeway_inline_delivery}): the same
 * channels on the bench's {@link RealTimePair} with inline delivery, the measure of the library's driver hand-off.
 */
public final class NioRow implements BenchRow {
    /** Connections the connection-rate client keeps in flight. */
    static final int CONCURRENT = 16;
    /** The MTU of both sides. */
    static final int MTU = 1500;

    @Override public String name() { return "nio"; }

    @Override
    public String description() {
        return "NIO selector echo throughput and connection rate (in-process real time) against the kernel's NIO on loopback";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        String why = NetNs.unavailableReason();
        NetNs ns = why == null ? NetNs.create() : null;
        try {
            if (ns != null) ns.setLoopbackMtu(MTU);
            String kernelAt = ns != null ? "lo at MTU " + MTU + " (offloads on)"
                    : "lo at its own MTU (65536), not " + MTU + ": " + why;
            List<BenchResult> out = new ArrayList<>();
            out.add(echo(s, ns, kernelAt));
            out.add(connections(s, ns, kernelAt));
            return out;
        } finally {
            if (ns != null) ns.close();
        }
    }

    private static BenchResult echo(BenchSettings s, NetNs ns, String kernelAt) throws Exception {
        double threeway;
        String threewayName;
        try (NioSide t = NioSide.threeway(MTU)) {
            threewayName = t.name();
            threeway = NioWorkloads.echoThroughput(t, s);
        }
        double inline;
        try (NioSide t = NioSide.pair(MTU, true)) {
            inline = NioWorkloads.echoThroughput(t, s);
        }
        NioSide k = NioSide.kernel(ns);
        double kernel = NioWorkloads.echoThroughput(k, s);
        String work = "one connection, a selector thread each side, non-blocking: the client writes 64 KiB chunks with at"
                + " most 256 KiB unechoed and reads the echo; the server echoes, waiting for OP_WRITE after a partial write";
        return new BenchResult("nio", "echo", threeway, kernel, k.name(), "bytes/s", true, null,
                threewayName + ": " + work, kernelAt + ": " + work, null,
                Map.of("mtu", MTU, "seconds", s.measureSeconds(), "threeway_inline_delivery", inline));
    }

    private static BenchResult connections(BenchSettings s, NetNs ns, String kernelAt) throws Exception {
        double threeway;
        String threewayName;
        try (NioSide t = NioSide.threeway(MTU)) {
            threewayName = t.name();
            threeway = NioWorkloads.connectionRate(t, CONCURRENT, s);
        }
        double inline;
        try (NioSide t = NioSide.pair(MTU, true)) {
            inline = NioWorkloads.connectionRate(t, CONCURRENT, s);
        }
        NioSide k = NioSide.kernel(ns);
        double kernel = NioWorkloads.connectionRate(k, CONCURRENT, s);
        String work = "a client selector keeps " + CONCURRENT + " non-blocking connects going (finishConnect, read to"
                + " EOF, close, connect again); the server's selector accepts and closes each at once";
        return new BenchResult("nio", "conn-rate", threeway, kernel, k.name(), "conn/s", true, null,
                threewayName + ": " + work, kernelAt + ": " + work, null,
                Map.of("concurrent", CONCURRENT, "seconds", s.measureSeconds(), "threeway_inline_delivery", inline));
    }
}
