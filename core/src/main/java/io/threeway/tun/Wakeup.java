package io.threeway.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd(2) the event loop polls beside the TUN descriptor, so another thread can cut its wait short:
 * when an application's socket call arms a timer earlier than the loop's current timeout, or queues a
 * delayed packet.
 */
final class Wakeup implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final Object lock = new Object();
    private final LinuxSyscalls.CallState signalState = new LinuxSyscalls.CallState(arena);
    private final LinuxSyscalls.CallState drainState = new LinuxSyscalls.CallState(arena);
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    private final MemorySegment sink = arena.allocate(ValueLayout.JAVA_LONG);
    private boolean closed;

    Wakeup() throws IOException {
        fd = LinuxSyscalls.eventfd(signalState, LinuxSyscalls.EFD_NONBLOCK | LinuxSyscalls.EFD_CLOEXEC);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    int fd() { return fd; }

    /** Makes the descriptor readable (adds 1 to the eventfd counter). Any thread. */
    void signal() {
        synchronized (lock) {
            if (closed) return;
            try {
                LinuxSyscalls.write(signalState, fd, one, 8);
            } catch (IOException e) {
                // The counter cannot overflow in practice; a failed signal only delays the loop to its timeout.
            }
        }
    }

    /** Resets the counter. The event loop only. */
    void drain() throws IOException {
        LinuxSyscalls.read(drainState, fd, sink, 8);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            LinuxSyscalls.close(signalState, fd);
        }
        arena.close();
    }
}
