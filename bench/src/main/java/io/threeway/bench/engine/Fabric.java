package io.threeway.bench.engine;

import io.threeway.host.PacketPool;
import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.wire.IpAddress;
import java.util.function.BooleanSupplier;

/**
 * Two stacks, a client (198.18.0.1) and a server (198.18.0.2), joined by a perfect zero-delay in-memory link
 * and driven from the calling thread: each packet goes into one FIFO and is handed to the other stack at the
 * current time; when no packet is queued the clock jumps to the earlier stack deadline. Every packet goes
 * through both stacks' full paths (build, checksum, parse, demultiplex, state machine). No system call, no
 * thread hand-off: this is the engine's callback path, as lwIP's raw API is lwIP's.
 */
public final class Fabric {
    /** The client stack's address. */
    public static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    /** The server stack's address. */
    public static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    private final Stack client;
    private final Stack server;
    /** The FIFO, a ring of packets with their lengths and destination stacks (a power-of-two size). */
    private byte[][] packets = new byte[64][];
    private int[] lengths = new int[64];
    private Stack[] targets = new Stack[64];
    private int head;
    private int tail;
    /** Packets handed over so far. */
    private long delivered;
    /** Packets addressed to neither stack, dropped. */
    private long discarded;
    /** The current time, nanoseconds. */
    private long now;
    /** The packets' arrays, reused: in steady state the fabric allocates nothing per packet. */
    private final PacketPool pool;

    /** Two stacks with Linux's defaults, seeded from {@code seed}, at {@code mtu}, one packet per segment. */
    public Fabric(long seed, int mtu) {
        this(seed, mtu, 0);
    }

    /**
     * Two stacks with Linux's defaults, seeded from {@code seed}, at {@code mtu}; with {@code gsoMaxSize} above 0
     * the link offloads segmentation (the stacks send super-segments of several MSS up to that size, carried and
     * taken whole, as the kernel's loopback with TSO/GSO on).
     */
    public Fabric(long seed, int mtu, int gsoMaxSize) {
        client = new Stack("client", seed * 31 + "client".hashCode());
        server = new Stack("server", seed * 31 + "server".hashCode());
        pool = new PacketPool(Math.max(Math.max(mtu, 1500), gsoMaxSize), 1024);
        client.addInterface(CLIENT, 15, sinkTo(server, gsoMaxSize), mtu);
        server.addInterface(SERVER, 15, sinkTo(client, gsoMaxSize), mtu);
    }

    /** The link into {@code to}: packets are built in the pool's arrays, which come back once delivered. */
    private PacketSink sinkTo(Stack to, int gsoMaxSize) {
        return new PacketSink() {
            @Override
            public void transmit(byte[] packet, int length, long t) {
                enqueue(to, packet, length);
            }

            @Override
            public int gsoMaxSize() {
                return gsoMaxSize;
            }

            @Override
            public byte[] buffer(int length) {
                return pool.take(length);
            }
        };
    }

    private void enqueue(Stack to, byte[] p, int len) {
        if (!addressedTo(to == server ? SERVER : CLIENT, p, len)) {
            discarded++; // e.g. a SYN-ACK to a spoofed flood source: nobody is there
            pool.give(p);
            return;
        }
        if (tail - head == packets.length) grow();
        int i = tail++ & (packets.length - 1);
        packets[i] = p;
        lengths[i] = len;
        targets[i] = to;
    }

    /** Whether the IPv4 packet's destination address is {@code a}. */
    private static boolean addressedTo(IpAddress a, byte[] p, int len) {
        if (len < 20) return false;
        int dst = (p[16] & 0xff) << 24 | (p[17] & 0xff) << 16 | (p[18] & 0xff) << 8 | (p[19] & 0xff);
        return dst == a.v4Bits();
    }

    private void grow() {
        int n = packets.length;
        byte[][] p = new byte[n * 2][];
        int[] l = new int[n * 2];
        Stack[] t = new Stack[n * 2];
        for (int k = 0; k < n; k++) {
            int i = (head + k) & (n - 1);
            p[k] = packets[i];
            l[k] = lengths[i];
            t[k] = targets[i];
        }
        packets = p;
        lengths = l;
        targets = t;
        tail = n;
        head = 0;
    }

    public Stack client() { return client; }

    public Stack server() { return server; }

    public long now() { return now; }

    /** Packets sent to an address that neither stack holds, dropped. */
    public long discarded() { return discarded; }

    /** Packets handed from one stack to the other so far. */
    public long delivered() { return delivered; }

    /** Hands over every queued packet (and those they cause) without moving the clock. */
    public void drain() {
        while (head != tail) deliverOne();
    }

    private void deliverOne() {
        int i = head++ & (packets.length - 1);
        byte[] p = packets[i];
        packets[i] = null;
        delivered++;
        targets[i].receive(p, 0, lengths[i], now);
        pool.give(p); // the stack keeps nothing of a packet it received
    }

    /** Runs until {@code condition} holds (checked after every packet and timer) or time {@code limit}. */
    public boolean runUntil(BooleanSupplier condition, long limit) {
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (head != tail) {
                deliverOne();
                continue;
            }
            long d = Math.min(client.nextDeadline(), server.nextDeadline());
            if (d > limit) {
                if (limit != Long.MAX_VALUE && now < limit) now = limit;
                return condition.getAsBoolean();
            }
            if (d > now) now = d;
            if (client.nextDeadline() <= now) client.advance(now);
            if (server.nextDeadline() <= now) server.advance(now);
        }
    }

    /** Moves the clock to {@code t} (never back) without running anything. */
    public void setNow(long t) {
        if (t > now) now = t;
    }

    /** Runs every packet and timer up to time {@code t}. */
    public void runTo(long t) {
        runUntil(() -> false, t);
    }
}
