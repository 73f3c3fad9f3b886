package io.threeway.bench.flood;

import io.threeway.bench.engine.Fabric;
import io.threeway.bench.netns.NetNs;
import io.threeway.tun.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.SplittableRandom;

/**
 * The kernel under the same flood: the same spoofed SYNs written back to back by one thread into a TUN
 * device whose kernel end (198.18.0.2/15) is in a namespace the bench creates, with a {@code java.net}
 * listener there (backlog 4096, {@code tcp_syncookies=1}). TUN hands each packet to the kernel's stack inside
 * the write(2), so the figure is what one core absorbs, system call included. Counted: the TCP segments the
 * kernel took in ({@code Tcp: InSegs}) and the cookies it sent ({@code TcpExt: SyncookiesSent}) inside the
 * namespace. Its SYN-ACKs go back into the device, which nobody reads, and are dropped there.
 */
public final class KernelFlood {
    private KernelFlood() {}

    /** What a run did. */
    public record Result(long written, long inSegs, long cookiesSent, long nanos) {
        /** Segments the kernel's TCP took in per second. */
        public double rate() { return inSegs * 1e9 / nanos; }
    }

    /** Floods for {@code warmupNanos}, then measures for {@code measureNanos}. Needs root. */
    public static Result run(long warmupNanos, long measureNanos) throws IOException {
        byte[][] ring = EngineFlood.spoofedSyns(new SplittableRandom(15));
        try (NetNs ns = NetNs.create(); TunDevice tun = TunDevice.open(NetNs.uniqueName("twf"))) {
            ns.adoptDevice(tun.name(), Fabric.SERVER + "/15", 1500);
            ns.exec("sysctl", "-q", "-w", "net.ipv4.tcp_syncookies=1");
            try (ServerSocket listener = ns.call(() -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.ofLiteral(Fabric.SERVER.toString()), 80), 4096);
                return s;
            })) {
                long warmEnd = System.nanoTime() + warmupNanos;
                int next = blast(tun, ring, 0, warmEnd);
                long segs0 = ns.counter("Tcp", "InSegs");
                long cookies0 = ns.counter("TcpExt", "SyncookiesSent");
                long t0 = System.nanoTime();
                long written = 0;
                long end = t0 + measureNanos;
                while (System.nanoTime() < end) {
                    next = blast(tun, ring, next, 0);
                    written += BATCH;
                }
                long t1 = System.nanoTime();
                return new Result(written, ns.counter("Tcp", "InSegs") - segs0,
                        ns.counter("TcpExt", "SyncookiesSent") - cookies0, t1 - t0);
            }
        }
    }

    private static final int BATCH = 1000;

    /** Writes {@link #BATCH} SYNs (or, with {@code until} set, batches until that time); returns the next index. */
    private static int blast(TunDevice tun, byte[][] ring, int next, long until) throws IOException {
        do {
            for (int i = 0; i < BATCH; i++) {
                byte[] p = ring[next];
                next = (next + 1) & (ring.length - 1);
                tun.write(p, p.length);
            }
        } while (until != 0 && System.nanoTime() < until);
        return next;
    }
}
