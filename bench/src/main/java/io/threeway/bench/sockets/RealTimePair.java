package io.threeway.bench.sockets;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.socket.SocketRuntime;
import io.threeway.socket.ThreewaySockets;
import io.threeway.socket.WaitQueue;
import io.threeway.wire.IpAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Two stacks in this JVM (198.18.0.1 and 198.18.0.2) joined by an in-memory wire and driven in real time by
 * one event-loop thread, with the blocking socket API on both: what core's {@code LoopbackDriver} does for its
 * tests, as the in-process real-time mode until the library's public one lands. Packets are queued for the
 * other stack under the {@link RealTimeRuntime}'s lock; the loop delivers them and fires timers, and sleeps on
 * its own monitor until a packet is queued, a deadline moves earlier or the earliest one comes.
 * Application threads are ordinary platform threads blocking in the socket calls.
 */
public final class RealTimePair implements AutoCloseable {
    /** The client stack's address. */
    public static final String CLIENT = "198.18.0.1";
    /** The server stack's address. */
    public static final String SERVER = "198.18.0.2";

    private final RealTimeRuntime runtime = new RealTimeRuntime();
    /** What the sockets call: the runtime itself, or one that delivers on the calling thread (see {@link #RealTimePair(int, boolean)}). */
    private final SocketRuntime socketRuntime;
    /** Whether packets are delivered by the thread whose call sent them, after its call. */
    private final boolean inline;
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
    /** Guards {@link #kicked}; the loop sleeps on it. Taken after the runtime's lock, never before. */
    private final Object monitor = new Object();
    /** Whether the loop has work since it last looked. Guarded by {@link #monitor}. */
    private boolean kicked;
    private volatile boolean stopped;

    /** Both stacks at {@code mtu}, the loop started; packets delivered by the event-loop thread. */
    public RealTimePair(int mtu) {
        this(mtu, false);
    }

    /**
     * Both stacks at {@code mtu}, the loop started. With {@code inline}, a socket call's packets (and those
     * they cause) are delivered by the calling thread right after its call, still under the lock, as the
     * kernel's loopback runs the receiver's path in the sender's context; the event-loop thread then only
     * fires timers and delivers what they send. Without it, every packet waits for the event-loop thread.
     */
    public RealTimePair(int mtu, boolean inline) {
        this(mtu, inline, 0);
    }

    /**
     * {@link #RealTimePair(int, boolean)} over a wire that offloads segmentation up to {@code gsoMaxSize} bytes
     * (0: one packet per segment): the stacks send super-segments of several MSS, as over the kernel's loopback.
     */
    public RealTimePair(int mtu, boolean inline, int gsoMaxSize) {
        this.inline = inline;
        this.socketRuntime = inline ? new InlineDelivery() : runtime;
        runtime.run(() -> {
            client.addInterface(IpAddress.parse(CLIENT), 15, new Wire(server, gsoMaxSize), mtu);
            server.addInterface(IpAddress.parse(SERVER), 15, new Wire(client, gsoMaxSize), mtu);
            client.setWakeupListener(d -> kick());
            server.setWakeupListener(d -> kick());
        });
        clientSockets = ThreewaySockets.on(client, socketRuntime);
        serverSockets = ThreewaySockets.on(server, socketRuntime);
        thread = Thread.ofPlatform().daemon().name("bench-loopback-driver").start(this::loop);
    }

    public ThreewaySockets clientSockets() { return clientSockets; }

    public ThreewaySockets serverSockets() { return serverSockets; }

    /** One direction of the wire: into {@code to}'s queue, super-segments whole when it offloads. */
    private final class Wire implements PacketSink {
        /** The receiving stack. */
        private final Stack to;
        /** The largest super-segment it carries (0: none). */
        private final int gsoMaxSize;

        Wire(Stack to, int gsoMaxSize) {
            this.to = to;
            this.gsoMaxSize = gsoMaxSize;
        }

        @Override
        public void transmit(byte[] packet, int length, long now) {
            send(to, packet, length);
        }

        @Override
        public int gsoMaxSize() {
            return gsoMaxSize;
        }
    }

    /** Called by a stack, under the lock, when it transmits. */
    private void send(Stack to, byte[] packet, int length) {
        if (tail - head == packets.length) grow();
        int i = tail++ & (packets.length - 1);
        packets[i] = packet;
        lengths[i] = length;
        targets[i] = to;
        if (!inline && tail - head == 1) kick(); // the loop sleeps only on an empty wire
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

    /** Wakes the loop: a packet is queued or a deadline moved earlier. Under the runtime's lock or not. */
    private void kick() {
        synchronized (monitor) {
            kicked = true;
            monitor.notify();
        }
    }

    /**
     * Delivers and fires timers under the lock, then sleeps on its own monitor (as a TUN event loop sleeps in
     * ppoll) until kicked or the earliest deadline, so socket events wake only the threads waiting on them.
     */
    private void loop() {
        try {
            while (!stopped) {
                long next = runtime.call(this::drain);
                synchronized (monitor) {
                    while (!kicked && !stopped) {
                        long left = next == Long.MAX_VALUE ? 0 : next - runtime.now();
                        if (next != Long.MAX_VALUE && left <= 0) break;
                        monitor.wait(left / 1_000_000, (int) (left % 1_000_000));
                        if (next != Long.MAX_VALUE && next - runtime.now() <= 0) break;
                    }
                    kicked = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers every queued packet (and those they cause) at {@code now}. Under the lock. */
    private void deliver(long now) {
        while (head != tail) {
            int i = head++ & (packets.length - 1);
            byte[] p = packets[i];
            packets[i] = null;
            targets[i].receive(p, 0, lengths[i], now);
        }
    }

    /** Delivers every queued packet and fires every due timer; returns the earliest deadline left. */
    private long drain() {
        while (true) {
            long now = runtime.now();
            deliver(now);
            if (client.nextDeadline() <= now) client.advance(now);
            if (server.nextDeadline() <= now) server.advance(now);
            if (head == tail && earliestDeadline() > runtime.now()) return earliestDeadline();
        }
    }

    private long earliestDeadline() {
        return Math.min(client.nextDeadline(), server.nextDeadline());
    }

    /**
     * The runtime the sockets use in inline mode: the {@link RealTimeRuntime}'s lock, clock and waiting, with
     * the wire drained by the calling thread at the end of each call, before the lock is released.
     */
    private final class InlineDelivery implements SocketRuntime {
        @Override
        public long now() {
            return runtime.now();
        }

        @Override
        public <T> T call(Supplier<T> action) {
            return runtime.call(() -> {
                T result = action.get();
                // Readers of what is delivered are woken by the stacks (wake); the loop by a moved deadline.
                if (head != tail) deliver(runtime.now());
                return result;
            });
        }

        @Override
        public boolean await(WaitQueue queue, BooleanSupplier ready, long deadline) throws InterruptedException {
            return runtime.await(queue, ready, deadline);
        }

        @Override
        public boolean await(WaitQueue[] queues, BooleanSupplier ready, long deadline) throws InterruptedException {
            return runtime.await(queues, ready, deadline);
        }

        @Override
        public boolean await(BooleanSupplier ready, long deadline) throws InterruptedException {
            return runtime.await(ready, deadline);
        }

        @Override
        public void wake(WaitQueue queue) {
            runtime.wake(queue);
        }

        @Override
        public void signal() {
            runtime.signal();
        }
    }

    @Override
    public void close() {
        stopped = true;
        kick();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
