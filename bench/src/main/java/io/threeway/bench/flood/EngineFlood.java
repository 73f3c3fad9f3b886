package io.threeway.bench.flood;

import io.threeway.bench.engine.Fabric;
import io.threeway.host.Listener;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.SplittableRandom;

/**
 * A SYN flood against one server stack on one thread, as fast as it absorbs them: spoofed SYNs (random
 * sources in 198.18.128.0/17, as {@code sim.SynFlood} makes them, built once into a ring) handed to the server's
 * {@code receive} back to back, and after every {@value #SYNS_PER_CLIENT} of them one legitimate client
 * (198.18.0.1) connects and must be accepted. The server runs Linux's defaults ({@code tcp_syncookies=1}: cookies
 * once the SYN queue is full); its SYN-ACKs to spoofed sources are dropped by the link.
 */
public final class EngineFlood {
    private EngineFlood() {}

    /** Spoofed SYNs between two legitimate connection attempts. */
    static final int SYNS_PER_CLIENT = 1000;
    /** Distinct spoofed SYNs built before the run. */
    private static final int RING = 1 << 16;
    private static final int SPOOF_BASE = 0xC6128000;
    private static final int SPOOF_SIZE = 0x8000;
    private static final int PORT = 80;
    private static final long CLIENT_LIMIT_NANOS = 10_000_000_000L;

    /** What a run did. */
    public record Result(long spoofed, long nanos, int clients, int accepted, long cookiesSent) {
        /** Spoofed SYNs absorbed per second. */
        public double rate() { return spoofed * 1e9 / nanos; }
        /** Legitimate connections accepted, as a fraction of those attempted. */
        public double success() { return clients == 0 ? 0 : accepted / (double) clients; }
    }

    /** Floods for {@code warmupNanos}, then measures for {@code measureNanos}. */
    public static Result run(long warmupNanos, long measureNanos) {
        Fabric f = new Fabric(1, 1500);
        Listener l = f.server().listen(IpAddress.ANY4, PORT, 4096, new ConnectionOptions(), false);
        byte[][] ring = spoofedSyns(new SplittableRandom(15));
        long origin = System.nanoTime();
        long measureFrom = origin + warmupNanos;
        long end = measureFrom + measureNanos;
        long spoofed = 0;
        int clients = 0;
        int accepted = 0;
        long t0 = -1;
        long cookies0 = 0;
        ConnectionOptions opts = new ConnectionOptions();
        int next = 0;
        while (true) {
            long wall = System.nanoTime();
            if (t0 < 0 && wall >= measureFrom) {
                t0 = wall;
                cookies0 = cookiesSent(f);
                spoofed = clients = accepted = 0;
            }
            if (wall >= end && t0 >= 0 && clients > 0) break;
            long now = wall - origin;
            f.setNow(now);
            for (int i = 0; i < SYNS_PER_CLIENT; i++) {
                byte[] p = ring[next];
                next = (next + 1) & (RING - 1);
                f.server().receive(p, 0, p.length, now);
            }
            spoofed += SYNS_PER_CLIENT;
            f.drain();
            clients++;
            if (legitimate(f, l, opts)) accepted++;
            f.runTo(System.nanoTime() - origin);
        }
        return new Result(spoofed, System.nanoTime() - t0, clients, accepted, cookiesSent(f) - cookies0);
    }

    private static long cookiesSent(Fabric f) {
        return f.server().counters().get(Counter.SYNCOOKIES_SENT);
    }

    /** One legitimate client: connects; true if the server accepted it. Both ends are then aborted. */
    private static boolean legitimate(Fabric f, Listener l, ConnectionOptions opts) {
        TcpConnection c = f.client().connect(Fabric.SERVER, PORT, 0, opts, f.now());
        f.client().userCallDone();
        TcpConnection[] s = new TcpConnection[1];
        f.runUntil(() -> (s[0] = l.accept()) != null || c.state() == TcpState.CLOSED, f.now() + CLIENT_LIMIT_NANOS);
        boolean ok = s[0] != null && c.state() == TcpState.ESTABLISHED;
        c.abort(f.now());
        f.client().userCallDone();
        if (s[0] != null) {
            s[0].abort(f.now());
            f.server().userCallDone();
        }
        f.drain();
        return ok;
    }

    /** The flood's SYNs: random spoofed sources and ports, MSS 1460, checksummed. */
    static byte[][] spoofedSyns(SplittableRandom random) {
        byte[][] ring = new byte[RING][];
        TcpSegment syn = new TcpSegment();
        for (int i = 0; i < RING; i++) {
            syn.clear();
            syn.srcPort = 1024 + random.nextInt(60000);
            syn.dstPort = PORT;
            syn.seq = random.nextInt();
            syn.flags = TcpFlags.SYN;
            syn.window = 65535;
            syn.options.mss = 1460;
            ring[i] = PacketBuilder.buildTcp(IpAddress.v4(SPOOF_BASE | random.nextInt(SPOOF_SIZE)), Fabric.SERVER, syn, 0);
        }
        return ring;
    }
}
