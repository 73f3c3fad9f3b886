package io.threeway.bench.memory;

import io.threeway.bench.engine.Fabric;
import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code threeway bench memory}: the heap one connection costs the stack that holds it, in three states: idle
 * and established, in (compact) TIME-WAIT, and half-open in SYN-RECEIVED. Each figure is the fall in used heap
 * (after full collections) when one stack forgets {@code n} such entries at once ({@link Stack#reboot}), divided
 * by {@code n}: everything the stack holds for them counts (the connection and its parts, the host's entry, the
 * table's slots, the four-tuple), nothing of the other end or of the benchmark does.
 */
public final class MemoryBench {
    private MemoryBench() {}

    /** Local ports a client uses per server port. */
    private static final int PORTS_PER_SERVER_PORT = 50_000;
    /** The first client port. */
    private static final int FIRST_CLIENT_PORT = 10_000;
    /** The first server port. */
    private static final int FIRST_SERVER_PORT = 1_000;
    /** Virtual time to run for each batch of connections. */
    private static final long STEP_NANOS = 1_000_000L;
    /** How many connections are opened before the fabric runs. */
    private static final int BATCH = 1_000;

    /**
     * Bytes of heap per entry.
     *
     * @param connections    entries of each kind measured
     * @param establishedBytes per idle established connection (the server's end)
     * @param timeWaitBytes  per TIME-WAIT entry (the server closed first and let go of the socket)
     * @param synRecvBytes   per half-open connection in SYN-RECEIVED
     */
    public record Result(int connections, double establishedBytes, double timeWaitBytes, double synRecvBytes) {}

    /** Measures with {@code n} entries of each kind. */
    public static Result run(int n) {
        double established = establishedAndTimeWait(n, false);
        double timeWait = establishedAndTimeWait(n, true);
        double synRecv = synReceived(n);
        return new Result(n, established, timeWait, synRecv);
    }

    /**
     * Opens {@code n} connections over a zero-delay fabric; with {@code timeWait}, the server then closes each
     * first and the client answers, leaving the server's ends in TIME-WAIT. Returns the server's bytes per entry.
     */
    private static double establishedAndTimeWait(int n, boolean timeWait) {
        Fabric f = new Fabric(1, 1500);
        Stack server = f.server();
        server.sysctls().set(Sysctl.TCP_MAX_TW_BUCKETS, Math.max(n, 1));
        Listener[] listeners = new Listener[(n + PORTS_PER_SERVER_PORT - 1) / PORTS_PER_SERVER_PORT];
        for (int p = 0; p < listeners.length; p++) {
            listeners[p] = server.listen(IpAddress.ANY4, FIRST_SERVER_PORT + p, BATCH * 2, new ConnectionOptions(), false);
        }
        ConnectionOptions options = new ConnectionOptions();
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            TcpConnection[] clients = new TcpConnection[end - start];
            for (int i = start; i < end; i++) {
                clients[i - start] = f.client().connect(Fabric.SERVER, FIRST_SERVER_PORT + i / PORTS_PER_SERVER_PORT,
                        FIRST_CLIENT_PORT + i % PORTS_PER_SERVER_PORT, options, f.now());
            }
            f.runTo(f.now() + STEP_NANOS);
            for (Listener l : listeners) {
                for (TcpConnection s; (s = l.accept()) != null; ) if (timeWait) s.close(f.now());
            }
            if (timeWait) {
                f.runTo(f.now() + STEP_NANOS);
                for (TcpConnection c : clients) c.close(f.now());
                f.runTo(f.now() + STEP_NANOS);
            }
            for (TcpConnection c : clients) {
                TcpState want = timeWait ? TcpState.CLOSED : TcpState.ESTABLISHED;
                if (c.state() != want) throw new IllegalStateException("a client connection is " + c.state() + ", not " + want);
            }
        }
        if (server.connectionCount() != n || (timeWait && server.timeWaitCount() != n)) {
            throw new IllegalStateException("the server holds " + server.connectionCount() + " entries ("
                    + server.timeWaitCount() + " in TIME-WAIT), not " + n);
        }
        long before = usedHeap();
        server.reboot(f.now());
        long after = usedHeap();
        reachabilityFence(f);
        return (before - after) / (double) n;
    }

    /** {@code n} SYNs from different ports to a listener whose SYN-ACKs go nowhere: the listener's half-open entries. */
    private static double synReceived(int n) {
        Stack server = new Stack("server", 2);
        IpAddress serverAddress = Fabric.SERVER;
        server.addInterface(serverAddress, 15, (p, len, t) -> { });
        server.sysctls().set(Sysctl.SOMAXCONN, n + 1);
        server.sysctls().set(Sysctl.TCP_MAX_SYN_BACKLOG, n + 1);
        server.sysctls().set(Sysctl.TCP_SYNCOOKIES, 0);
        int ports = (n + PORTS_PER_SERVER_PORT - 1) / PORTS_PER_SERVER_PORT;
        for (int p = 0; p < ports; p++) server.listen(IpAddress.ANY4, FIRST_SERVER_PORT + p, n + 1, new ConnectionOptions(), false);
        TcpSegment syn = new TcpSegment();
        for (int i = 0; i < n; i++) {
            syn.clear();
            syn.srcPort = FIRST_CLIENT_PORT + i % PORTS_PER_SERVER_PORT;
            syn.dstPort = FIRST_SERVER_PORT + i / PORTS_PER_SERVER_PORT;
            syn.seq = i * 7919;
            syn.flags = TcpFlags.SYN;
            syn.window = 64240;
            syn.options.mss = 1460;
            syn.options.sackPermitted = true;
            syn.options.windowScale = 7;
            byte[] packet = PacketBuilder.buildTcp(Fabric.CLIENT, serverAddress, syn, i & 0xFFFF);
            server.receive(packet, 0, packet.length, 1_000_000L);
        }
        if (server.connectionCount() != n) throw new IllegalStateException("the listener holds " + server.connectionCount() + " half-open entries, not " + n);
        long before = usedHeap();
        server.reboot(2_000_000L);
        long after = usedHeap();
        reachabilityFence(server);
        return (before - after) / (double) n;
    }

    /** Keeps {@code o} reachable up to here (its heap must not be collected before the second measurement). */
    private static void reachabilityFence(Object o) {
        Reference.reachabilityFence(o);
    }

    /** Used heap after collections settle (full collections until the figure stops falling). */
    static long usedHeap() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= last) return Math.min(used, last);
            last = used;
        }
        return last;
    }

    /**
     * The kernel's object sizes for the same three things, from /proc/slabinfo where readable (root): {@code TCP}
     * (a full socket), {@code tw_sock_TCP} and {@code request_sock_TCP}. Empty when not readable.
     */
    public static Map<String, Integer> kernelObjectSizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[0].equals("TCP") || f[0].equals("tw_sock_TCP") || f[0].equals("request_sock_TCP"))) {
                    out.put(f[0], Integer.parseInt(f[3]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }
}
