package io.threeway.bench.flood;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.netns.NetNs;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flood}: spoofed SYNs absorbed per second on one core with SYN cookies, and the legitimate clients'
 * success rate ({@link EngineFlood}), against the kernel taking the same SYNs through a TUN device
 * ({@link KernelFlood}).
 */
public final class FloodRow implements BenchRow {
    @Override public String name() { return "flood"; }

    @Override
    public String description() {
        return "spoofed SYNs absorbed per second on one core with SYN cookies, and legitimate clients' success rate";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        EngineFlood.Result t = EngineFlood.run(s.warmup().toNanos(), s.measure().toNanos());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("legitimate_success", t.success());
        extra.put("legitimate_attempts", t.clients());
        extra.put("threeway_syncookies_sent", t.cookiesSent());
        String tDid = "one thread hands a server stack (Linux defaults, tcp_syncookies=1, backlog 4096) spoofed SYNs "
                + "back to back (65,536 distinct ones from 198.18.128.0/17, built before the run) and, after every "
                + EngineFlood.SYNS_PER_CLIENT + ", one legitimate client's handshake over an in-memory link; counts SYNs "
                + "taken in per second and clients accepted";
        String why = NetNs.unavailableReason();
        KernelFlood.Result k = null;
        if (why == null) {
            try {
                k = KernelFlood.run(s.warmup().toNanos(), s.measure().toNanos());
            } catch (IOException | RuntimeException e) {
                why = "kernel flood not run: " + e.getMessage();
            }
        }
        if (k != null) {
            extra.put("kernel_syns_written", k.written());
            extra.put("kernel_syncookies_sent", k.cookiesSent());
        }
        String bDid = "one thread writes the same SYNs back to back into a TUN device whose kernel end is in a namespace "
                + "with a java.net listener (backlog 4096, tcp_syncookies=1); the kernel's stack takes each inside the "
                + "write(2); counts Tcp: InSegs per second in the namespace (no legitimate clients on this side)";
        BenchResult r = new BenchResult("flood", "syn-cookies", t.rate(), k == null ? null : k.rate(),
                "kernel " + System.getProperty("os.version") + " via TUN, one core", "SYN/s", true, null, tDid, bDid,
                k == null ? why : null, extra);
        return List.of(r);
    }
}
