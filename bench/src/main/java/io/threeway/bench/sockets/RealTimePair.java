package io.threeway.bench.sockets;

import io.threeway.host.Stack;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.socket.ThreewaySockets;
import io.threeway.wire.IpAddress;

/**
 * Two stacks in this JVM (198.18.0.1 and 198.18.0.2) joined by an in-memory wire and driven in real time by
 * one event-loop thread, with the blocking socket API on both: what core's {@code LoopbackDriver} does for its
 * tests, as the in-process real-time mode until the library's public one lands. Packets are queued for the
 * other stack under the {@link RealTimeRuntime}'s lock; the loop delivers them and fires timers, and sleeps in
 * {@link RealTimeRuntime#await} until a packet is queued, a deadline moves earlier or the earliest one comes.
 * Application threads are ordinary platform threads blocking in the socket calls.
 */
public final class RealTimePair implements AutoCloseable {
    /** The client stack's address. */
    public static final String CLIENT = "198.18.0.1";
    /** The server stack's address. */
    public static final String SERVER = "198.18.0.2";

    private final RealTimeRuntime runtime = new RealTimeRuntime();
    private final Stack client = new Stack("client", 1);
    private final Stack server = new Stack("server", 2);
    private final ThreewaySockets clientSockets;
    private final ThreewaySockets serverSockets;
    /** The wire: a ring of packets with their lengths and destinations, guarded by the runtime's lock. */
    private byte[][] packets = new byte[256][];
    private int[] lengths = new int[256];
    private Stack[] targets = new Stack[256];
    private int head;
    private int tail;
    private final Thread thread;
    private volatile boolean stopped;

    /** Both stacks at {@code mtu}, the loop started. */
    public RealTimePair(int mtu) {
        runtime.run(() -> {
            client.addInterface(IpAddress.parse(CLIENT), 15, (p, len, now) -> send(server, p, len), mtu);
            server.addInterface(IpAddress.parse(SERVER), 15, (p, len, now) -> send(client, p, len), mtu);
            client.setWakeupListener(d -> runtime.signal());
            server.setWakeupListener(d -> runtime.signal());
        });
        clientSockets = ThreewaySockets.on(client, runtime);
        serverSockets = ThreewaySockets.on(server, runtime);
        thread = Thread.ofPlatform().daemon().name("bench-loopback-driver").start(this::loop);
    }

    public ThreewaySockets clientSockets() { return clientSockets; }

    public ThreewaySockets serverSockets() { return serverSockets; }

    /** Called by a stack, under the lock, when it transmits. */
    private void send(Stack to, byte[] packet, int length) {
        if (tail - head == packets.length) grow();
        int i = tail++ & (packets.length - 1);
        packets[i] = packet;
        lengths[i] = length;
        targets[i] = to;
        if (tail - head == 1) runtime.signal(); // the loop sleeps only on an empty wire
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

    private void loop() {
        try {
            while (!stopped) {
                long next = runtime.call(this::drain);
                runtime.await(() -> stopped || head != tail || earliestDeadline() < next, next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers every queued packet and fires every due timer; returns the earliest deadline left. */
    private long drain() {
        while (true) {
            long now = runtime.now();
            while (head != tail) {
                int i = head++ & (packets.length - 1);
                byte[] p = packets[i];
                packets[i] = null;
                targets[i].receive(p, 0, lengths[i], now);
            }
            if (client.nextDeadline() <= now) client.advance(now);
            if (server.nextDeadline() <= now) server.advance(now);
            if (head == tail && earliestDeadline() > runtime.now()) return earliestDeadline();
        }
    }

    private long earliestDeadline() {
        return Math.min(client.nextDeadline(), server.nextDeadline());
    }

    @Override
    public void close() {
        stopped = true;
        runtime.signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
