package io.threeway.bench.sockets;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.Tools;
import io.threeway.bench.engine.EngineThroughput;
import io.threeway.bench.netns.NetNs;
import io.threeway.host.PacketSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code throughput}: one connection, 64 KiB writes, a reader discarding, at MTU 1500 and 65535. Threeway's
 * sockets (the library's real-time mode, hosts at that MTU with segmentation offload, as lo's TSO/GSO) against
 * the kernel's loopback set to the same MTU in a namespace the bench creates (root), or at its own MTU (65536)
 * otherwise. Beside them: Threeway without offload, the engine alone (no sockets, no threads; with and without
 * offload), the bench's inline pair and, where ethtool can, the kernel with GSO/TSO off on that loopback.
 */
public final class ThroughputRow implements BenchRow {
    /** The MTUs compared. */
    static final int[] MTUS = {1500, 65535};

    @Override public String name() { return "throughput"; }

    @Override
    public String description() {
        return "one connection's bytes per second at MTU 1500 and 65535, against the kernel's loopback at the same MTU "
                + "in a namespace";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        List<BenchResult> out = new ArrayList<>();
        for (int mtu : MTUS) out.add(compare(s, mtu));
        return out;
    }

    private static BenchResult compare(BenchSettings s, int mtu) throws Exception {
        double threeway;
        String threewayName;
        try (LibrarySide t = new LibrarySide(mtu, true)) {
            threewayName = t.name();
            threeway = Workloads.throughput(t, s);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("mtu", mtu);
        try (LibrarySide t = new LibrarySide(mtu, false)) {
            extra.put("threeway_without_offload", Workloads.throughput(t, s));
        }
        extra.put("threeway_engine_only", EngineThroughput.bytesPerSecond(s, mtu, PacketSink.GSO_MAX_SIZE));
        extra.put("threeway_engine_only_without_offload", EngineThroughput.bytesPerSecond(s, mtu, 0));
        try (ThreewaySide inline = new ThreewaySide(mtu, true, true)) {
            extra.put("threeway_inline_delivery", Workloads.throughput(inline, s));
        }
        String why = NetNs.unavailableReason();
        double kernel;
        String kernelName;
        String kernelDid;
        if (why != null) {
            KernelSide k = new KernelSide();
            kernel = Workloads.throughput(k, s);
            kernelName = k.name();
            kernelDid = "the kernel at its own loopback MTU (65536), not " + mtu + ": " + why;
        } else {
            try (NetNs ns = NetNs.create()) {
                ns.setLoopbackMtu(mtu);
                KernelSide k = new KernelSide(ns);
                kernel = Workloads.throughput(k, s);
                kernelName = k.name();
                kernelDid = "lo at MTU " + mtu + " with its default offloads: TSO/GSO on, so the kernel moves up to "
                        + "64 KiB super-packets through the stack once per 64 KiB even at MTU 1500";
                if (Tools.has("ethtool")) {
                    ns.exec("ethtool", "-K", "lo", "tso", "off", "gso", "off");
                    extra.put("kernel_without_gso_tso", Workloads.throughput(new KernelSide(ns), s));
                }
            }
        }
        String work = "one connection: a writer thread writes 64 KiB at a time, a reader thread reads 64 KiB at a time and discards";
        return new BenchResult("throughput", "mtu-" + mtu, threeway, kernel, kernelName, "bytes/s", true, 1.0,
                threewayName + ": " + work + "; segmentation offload on both hosts, as lo's TSO/GSO (the same without it: "
                        + "threeway_without_offload)",
                "java.net: " + work + "; " + kernelDid, null, extra);
    }
}
