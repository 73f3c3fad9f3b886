package io.threeway.tun;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.sim.Impairment;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkStats;
import io.threeway.socket.RealTimeRuntime;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drives one {@link Stack} on a {@link TunDevice} with the real clock: the thread that reads packets from the
 * device into the stack, fires the stack's timers when they fall due, and writes what the stack sends to the
 * device, with the same impairments the simulator's links offer applied in each direction.
 *
 * <p><b>Locking.</b> The stack is touched only under the {@link RealTimeRuntime}'s lock, the same lock the
 * blocking socket API takes, so application threads (virtual or platform) use {@code ThreewaySockets} on this
 * stack as in the simulator. A socket call may make the stack transmit: that happens on the application's
 * thread, under the lock, through {@link #sink()}.
 *
 * <p><b>Waiting.</b> The loop sleeps in {@code ppoll(2)} on the device and an eventfd until the earliest of the
 * stack's next deadline and the next held packet's due time. When a socket call moves the stack's deadline
 * earlier than that (the stack tells its wakeup listener), or holds back a packet that is due sooner, the
 * eventfd cuts the wait short.
 *
 * <p><b>Impairments.</b> Each direction has an {@link Impairment} built from a {@link LinkConfig} (delay,
 * jitter, loss, duplication, reordering, bandwidth with a drop-tail queue, MTU), decided when the packet
 * enters the link exactly as on a simulated link; a packet not due at once waits in a {@link DelayLine}. The
 * kernel's TCP then sees the loss and delay a real path would give it: this machine has no netem.
 *
 * <p><b>Offloads.</b> On a device opened with {@link TunDevice.Features#OFFLOAD} the kernel hands over TCP
 * super-packets (up to 64 KiB, checksum partial): the loop completes the checksum and gives the stack the
 * super-packet whole, the GRO result Linux's receiver would make, or, where an impairment must decide each
 * segment's fate, cuts it into its segments first ({@link GsoSegments}). What the stack sends in one call is
 * merged by a {@link GsoCoalescer} into super-packets for the kernel, written when the stack's call ends
 * ({@link PacketSink#flush}); impaired traffic from the stack goes packet by packet.
 *
 * <p><b>Failing loudly.</b> An exception the stack counts at its boundary (an engine bug, {@code
 * TcpExtThreewayInternalErrors}) is handed once, the first, to {@link #onInternalError}'s listener for the log;
 * the stack goes on. Anything that escapes into the loop (an {@link Error} such as {@link OutOfMemoryError}, or a
 * failing device) stops the loop, is kept in {@link #failure()} and is handed to {@link #onFailure}'s listener, so
 * the owner stops everything instead of living on half-alive with nobody feeding the stack.
 *
 * <p>Start with {@link #start()}; {@link #close()} stops the thread. Close the loop before the device.
 */
public final class TunEventLoop implements AutoCloseable {
    /** How many packets one wakeup reads before the loop looks at timers again. */
    private static final int READ_BATCH = 256;

    private final Stack stack;
    private final TunDevice device;
    private final RealTimeRuntime runtime;
    private final Impairment toStack;
    private final Impairment fromStack;
    private final DelayLine held = new DelayLine();
    private final Wakeup wakeup;
    private final byte[] readBuffer = new byte[TunDevice.MAX_FRAME];
    /** What the stack sends, merged into super-packets (null without offloads). */
    private final GsoCoalescer coalescer;
    /** Super-packets from the kernel cut into segments for an impaired path (they count as received here). */
    private long splitSuperPackets;
    /** Super-packets from the kernel handed to the stack whole. */
    private long superPacketsReceived;
    /** Packets from the kernel dropped because their virtio header did not fit them. */
    private long badOffloads;
    private final Thread thread;
    /** The time the loop plans to wake at; others signal only to make it earlier. */
    private volatile long plannedWake = Long.MIN_VALUE;
    private volatile boolean running;
    private volatile Throwable failure;
    private volatile Consumer<Throwable> failureListener = t -> { };
    private volatile Consumer<Throwable> internalErrorListener = t -> { };
    /** Whether the first internal error was handed to its listener (loop thread only). */
    private boolean internalErrorReported;
    private long writeErrors;
    private long writeDrops;

    /** A loop with no impairment in either direction. */
    public TunEventLoop(Stack stack, TunDevice device, RealTimeRuntime runtime) throws IOException {
        this(stack, device, runtime, LinkConfig.PERFECT, LinkConfig.PERFECT, 1);
    }

    /**
     * A loop for {@code stack} on {@code device}; {@code toStack} impairs what the kernel sends the stack,
     * {@code fromStack} what the stack sends the kernel; {@code seed} seeds both directions' draws.
     */
    public TunEventLoop(Stack stack, TunDevice device, RealTimeRuntime runtime, LinkConfig toStack, LinkConfig fromStack,
                        long seed) throws IOException {
        this.stack = stack;
        this.device = device;
        this.runtime = runtime;
        SplittableRandom random = new SplittableRandom(seed);
        this.toStack = new Impairment(toStack, random.split(), new LinkStats());
        this.fromStack = new Impairment(fromStack, random.split(), new LinkStats());
        this.wakeup = new Wakeup();
        this.coalescer = device.offloads() ? GsoCoalescer.on(device) : null;
        this.thread = Thread.ofPlatform().name("threeway-tun-" + device.name()).daemon().unstarted(this::run);
        runtime.run(() -> stack.setWakeupListener(this::deadlineMoved));
    }

    /** Where the stack's interfaces on this device transmit: give it to {@code Stack.addInterface}. */
    public PacketSink sink() {
        return new PacketSink() {
            @Override
            public void transmit(byte[] packet, int length, long now) {
                TunEventLoop.this.transmit(packet, length, now);
            }

            /** With the device's offloads and no impairment, the stack may send super-segments (TSO). */
            @Override
            public int gsoMaxSize() {
                return coalescer != null && fromStack.isTransparent() ? GSO_MAX_SIZE : 0;
            }

            @Override
            public void transmit(byte[] packet, int length, int gsoSize, long now) {
                transmitSuperSegment(packet, length, gsoSize, now);
            }

            @Override
            public void flush() {
                flushCoalesced();
            }
        };
    }

    /** Of {@link #superPacketsSent}, those the stack's sender built whole (TSO), not merged at the device. */
    public long superSegmentsBuiltByStack() {
        return coalescer == null ? 0 : runtime.call(coalescer::builtBySender);
    }

    /** Super-packets written to the kernel so far (two or more of the stack's segments each). */
    public long superPacketsSent() {
        return coalescer == null ? 0 : runtime.call(coalescer::superPackets);
    }

    /** The stack's segments carried in those super-packets. */
    public long segmentsCoalesced() {
        return coalescer == null ? 0 : runtime.call(coalescer::mergedSegments);
    }

    /** Super-packets from the kernel handed to the stack whole (GRO's result). */
    public long superPacketsReceived() {
        return runtime.call(() -> superPacketsReceived);
    }

    /** Super-packets from the kernel that were cut into segments because the path toward the stack is impaired. */
    public long superPacketsSplit() {
        return runtime.call(() -> splitSuperPackets);
    }

    /** Packets from the kernel dropped because their virtio header did not fit the packet. */
    public long badOffloads() {
        return runtime.call(() -> badOffloads);
    }

    /** Starts the loop's thread. */
    public TunEventLoop start() {
        running = true;
        thread.start();
        return this;
    }

    public Stack stack() { return stack; }

    public TunDevice device() { return device; }

    public RealTimeRuntime runtime() { return runtime; }

    /** Counts for the direction kernel → stack. */
    public LinkStats toStackStats() { return toStack.stats(); }

    /** Counts for the direction stack → kernel. */
    public LinkStats fromStackStats() { return fromStack.stats(); }

    /** Packets the device refused (the interface down, or gone), dropped. */
    public long writeErrors() { return runtime.call(() -> writeErrors); }

    /** What stopped the loop other than {@link #close()}, or null. */
    public Throwable failure() { return failure; }

    public boolean isRunning() { return running && thread.isAlive(); }

    /**
     * Called once, on the loop's thread, with what stopped the loop when it died of something other than
     * {@link #close()}; set it before {@link #start()}.
     */
    public TunEventLoop onFailure(Consumer<Throwable> listener) {
        this.failureListener = Objects.requireNonNull(listener);
        return this;
    }

    /** Called once, on the loop's thread, with the first exception the stack caught at its boundary. */
    public TunEventLoop onInternalError(Consumer<Throwable> listener) {
        this.internalErrorListener = Objects.requireNonNull(listener);
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // Stack → kernel (under the runtime's lock, on whichever thread made the stack transmit)

    private void transmit(byte[] packet, int length, long now) {
        fromStack.countSent(length);
        if (fromStack.isTransparent() && length <= fromStack.config().mtu()) {
            if (coalescer != null) coalesce(packet, length);
            else writeToDevice(packet, length);
            return;
        }
        long arrival = fromStack.arrival(length, now, 0);
        if (arrival == Impairment.DROPPED) return;
        boolean twice = fromStack.duplicated();
        if (arrival <= now) {
            writeToDevice(packet, length);
            if (twice) writeToDevice(packet, length);
            return;
        }
        held.add(arrival, packet, length, false);
        if (twice) held.add(arrival, packet, length, false);
        if (arrival < plannedWake) wakeup.signal();
    }

    /**
     * A super-segment from the stack: written whole with a GSO virtio header when the device offloads and nothing
     * impairs the path, otherwise cut into its segments here (Linux's software GSO, skb_gso_segment), each then
     * taking the path a segment takes.
     */
    private void transmitSuperSegment(byte[] packet, int length, int gsoSize, long now) {
        if (coalescer != null && fromStack.isTransparent()) {
            try {
                int written = coalescer.addSuperSegment(packet, length, gsoSize);
                if (written >= 0) {
                    fromStack.countSent(length);
                    if (written == 1) fromStack.countDelivered(length);
                    else writeDrops++;
                    return;
                }
            } catch (IOException e) {
                fromStack.countSent(length);
                writeErrors++;
                return;
            }
        }
        GsoSegments.split(packet, length, gsoSize, (s, n) -> transmit(s, n, now));
    }

    private void coalesce(byte[] packet, int length) {
        try {
            if (coalescer.add(packet, length)) fromStack.countDelivered(length);
            else writeDrops++;
        } catch (IOException e) {
            writeErrors++;
        }
    }

    /** The stack's call ended: what the coalescer holds goes out now. */
    private void flushCoalesced() {
        if (coalescer == null) return;
        try {
            if (!coalescer.flush()) writeDrops++;
        } catch (IOException e) {
            writeErrors++;
        }
    }

    private void writeToDevice(byte[] packet, int length) {
        try {
            if (device.write(packet, length)) {
                fromStack.countDelivered(length);
            } else {
                writeDrops++;
            }
        } catch (IOException e) {
            // The interface is down or gone: the packet is lost, as on a link that is not up.
            writeErrors++;
        }
    }

    /** The stack's earliest deadline moved earlier (under the lock); wake the loop if it would sleep past it. */
    private void deadlineMoved(long deadline) {
        if (deadline < plannedWake && Thread.currentThread() != thread) wakeup.signal();
    }

    // ------------------------------------------------------------------------------------------------
    // The loop

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            LinuxSyscalls.CallState cs = new LinuxSyscalls.CallState(arena);
            MemorySegment fds = arena.allocate(LinuxSyscalls.POLLFD, 2);
            setPollFd(fds, 0, device.fd());
            setPollFd(fds, 1, wakeup.fd());
            MemorySegment timeout = arena.allocate(LinuxSyscalls.TIMESPEC);
            while (running) {
                long wake = runtime.call(this::serviceTimers);
                long wait = wake == Long.MAX_VALUE ? Long.MAX_VALUE : wake - runtime.now();
                if (wait > 0) {
                    MemorySegment t = MemorySegment.NULL;
                    if (wait != Long.MAX_VALUE) {
                        timeout.set(ValueLayout.JAVA_LONG, 0, wait / 1_000_000_000L);
                        timeout.set(ValueLayout.JAVA_LONG, 8, wait % 1_000_000_000L);
                        t = timeout;
                    }
                    fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                    fds.set(ValueLayout.JAVA_SHORT, LinuxSyscalls.POLLFD.byteSize() + 6, (short) 0);
                    LinuxSyscalls.ppoll(cs, fds, 2, t);
                    if (!running) break;
                    if (revents(fds, 1) != 0) wakeup.drain();
                }
                readPackets();
                reportInternalError();
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            boolean failed = running;
            running = false;
            plannedWake = Long.MIN_VALUE;
            if (failed) die();
        }
    }

    /** Hands the stack's first internal error to its listener, once. */
    private void reportInternalError() {
        if (internalErrorReported || stack.internalErrors() == 0) return;
        internalErrorReported = true;
        internalErrorListener.accept(stack.firstInternalError());
    }

    /**
     * The loop stopped without close(): tell the owner first (the runtime's lock may be held by a thread that
     * never lets go), then wake socket threads so they re-check.
     */
    private void die() {
        if (failure == null) failure = new IllegalStateException("the event loop stopped");
        failureListener.accept(failure);
        runtime.signal();
    }

    /**
     * Under the lock: delivers held packets that are due, fires the stack's due timers, and returns the time
     * the loop must next wake.
     */
    private long serviceTimers() {
        long now = runtime.now();
        DelayLine.Held h;
        while ((h = held.pollDue(now)) != null) {
            if (h.toStack()) {
                toStack.countDelivered(h.length());
                stack.receive(h.packet(), 0, h.length(), now);
            } else {
                writeToDevice(h.packet(), h.length());
            }
        }
        if (stack.nextDeadline() <= now) stack.advance(now);
        long wake = Math.min(stack.nextDeadline(), held.nextDue());
        plannedWake = wake;
        return wake;
    }

    /** Reads what the device holds (up to a batch) and hands each packet to the stack, or to the delay line. */
    private void readPackets() throws IOException {
        for (int i = 0; i < READ_BATCH; i++) {
            int n = device.read(readBuffer);
            if (n <= 0) return;
            runtime.run(() -> arrive(n));
        }
    }

    private void arrive(int length) {
        long now = runtime.now();
        VirtioNetHdr h = device.lastHeader();
        boolean gso = device.offloads() && h.isGso();
        if (gso && !toStack.isTransparent()) {
            // Each segment meets the impairments on its own, as it would on the wire (skb_gso_segment).
            if (GsoSegments.split(readBuffer, length, h.gsoSize, (p, n) -> impair(p, n, now)) < 0) badOffloads++;
            else splitSuperPackets++;
            return;
        }
        if (device.offloads() && h.needsChecksum() && !GsoSegments.completeChecksum(readBuffer, length, h.csumStart, h.csumOffset)) {
            badOffloads++;
            return;
        }
        if (toStack.isTransparent() && (gso || length <= toStack.config().mtu())) {
            toStack.countSent(length);
            toStack.countDelivered(length);
            if (gso) superPacketsReceived++;
            stack.receive(readBuffer, 0, length, now); // the stack copies what it keeps
            return;
        }
        impair(Arrays.copyOf(readBuffer, length), length, now);
    }

    /** A packet from the kernel meets the impairments toward the stack: dropped, or held until it is due. */
    private void impair(byte[] packet, int length, long now) {
        toStack.countSent(length);
        long arrival = toStack.arrival(length, now, 0);
        if (arrival == Impairment.DROPPED) return;
        held.add(arrival, packet, length, true);
        if (toStack.duplicated()) held.add(arrival, packet, length, true);
        // The loop services the delay line on its next pass, before sleeping again.
    }

    private static void setPollFd(MemorySegment fds, int i, int fd) {
        long base = i * LinuxSyscalls.POLLFD.byteSize();
        fds.set(ValueLayout.JAVA_INT, base, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + 4, LinuxSyscalls.POLLIN);
    }

    private static short revents(MemorySegment fds, int i) {
        return fds.get(ValueLayout.JAVA_SHORT, i * LinuxSyscalls.POLLFD.byteSize() + 6);
    }


    /** Stops the loop and waits for its thread; the device stays open (its owner closes it). */
    @Override
    public void close() {
        running = false;
        wakeup.signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.run(() -> stack.setWakeupListener(d -> { }));
        if (!thread.isAlive()) wakeup.close();
    }

    @Override
    public String toString() {
        return "TunEventLoop[" + stack.name() + " on " + device.name() + "]";
    }
}
