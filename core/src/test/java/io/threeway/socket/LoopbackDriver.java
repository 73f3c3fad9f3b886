package io.threeway.socket;

import io.threeway.host.Stack;
import io.threeway.wire.IpAddress;
import java.util.ArrayDeque;

/**
 * Two stacks joined by an in-memory wire, driven in real time by one event-loop thread: each stack's
 * packets are queued for the other, and the loop delivers them and fires timers, all under the
 * {@link RealTimeRuntime}'s lock. Between rounds the loop sleeps on its own monitor (as a TUN event loop sleeps
 * in ppoll) until a packet is queued, a stack's next deadline moves earlier, or the earliest deadline comes, so
 * the runtime's wakeups count application threads only.
 */
final class LoopbackDriver implements AutoCloseable {
    private final RealTimeRuntime runtime;
    private final Stack a;
    private final Stack b;
    private final ArrayDeque<Delivery> wire = new ArrayDeque<>();
    private final Thread thread;
    /** Guards {@link #kicked}; the loop sleeps on it. Taken after the runtime's lock, never before. */
    private final Object monitor = new Object();
    private boolean kicked;
    private volatile boolean stopped;

    private record Delivery(Stack to, byte[] packet, int length) {}

    LoopbackDriver(RealTimeRuntime runtime, Stack a, String aAddress, Stack b, String bAddress, int prefix) {
        this.runtime = runtime;
        this.a = a;
        this.b = b;
        runtime.run(() -> {
            a.addInterface(IpAddress.parse(aAddress), prefix, (p, len, now) -> send(b, p, len));
            b.addInterface(IpAddress.parse(bAddress), prefix, (p, len, now) -> send(a, p, len));
            a.setWakeupListener(d -> kick());
            b.setWakeupListener(d -> kick());
        });
        this.thread = Thread.ofPlatform().daemon().name("loopback-driver").start(this::loop);
    }

    /** Called by a stack, under the lock, when it transmits. */
    private void send(Stack to, byte[] packet, int length) {
        wire.add(new Delivery(to, packet, length));
        kick();
    }

    private void kick() {
        synchronized (monitor) {
            kicked = true;
            monitor.notify();
        }
    }

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

    /** Delivers every queued packet and fires every due timer; returns the earliest deadline left. */
    private long drain() {
        while (true) {
            long now = runtime.now();
            Delivery d;
            while ((d = wire.poll()) != null) d.to.receive(d.packet, 0, d.length, now);
            if (a.nextDeadline() <= now) a.advance(now);
            if (b.nextDeadline() <= now) b.advance(now);
            if (wire.isEmpty() && earliestDeadline() > runtime.now()) return earliestDeadline();
        }
    }

    private long earliestDeadline() {
        return Math.min(a.nextDeadline(), b.nextDeadline());
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
