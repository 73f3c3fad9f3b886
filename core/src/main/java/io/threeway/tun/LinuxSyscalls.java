package io.threeway.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.foreign.MemoryLayout;

/**
 * The handful of Linux system calls a TUN device needs, bound through the foreign function and memory API
 * (JEP 454): no JNI, no JNA. Each call captures {@code errno} in a per-thread segment, so a failure turns
 * into an {@link IOException} naming the call and {@code strerror}'s number, and a non-blocking call can tell
 * "nothing now" ({@code EAGAIN}) from a real error.
 *
 * <p>Constants are x86-64 and arm64 Linux's (the generic ioctl encoding; the {@code O_*} flags of
 * asm-generic/fcntl.h).
 */
final class LinuxSyscalls {
    private LinuxSyscalls() {}

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final short POLLIN = 0x1;

    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    /** {@code struct pollfd { int fd; short events; short revents; }} */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"),
            ValueLayout.JAVA_SHORT.withName("revents"));
    static final VarHandle POLLFD_FD = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("fd"));
    static final VarHandle POLLFD_EVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("events"));
    static final VarHandle POLLFD_REVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("revents"));

    /** {@code struct timespec { time_t tv_sec; long tv_nsec; }} on a 64-bit ABI. */
    static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = bind("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** ioctl(int fd, unsigned long request, void *arg): variadic in C, bound here for a pointer argument. */
    private static final MethodHandle IOCTL = LIBC.find("ioctl").map(addr -> LINKER.downcallHandle(addr,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(2))).orElseThrow();
    private static final MethodHandle READ = bind("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = bind("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle PPOLL = bind("ppoll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS));
    private static final MethodHandle EVENTFD = bind("eventfd",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        MemorySegment addr = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(addr, fd, ERRNO);
    }

    /**
     * Memory one thread uses for its calls: the errno capture segment. Confined to its thread, so any thread
     * that makes calls keeps its own.
     */
    static final class CallState {
        final MemorySegment capture;

        CallState(Arena arena) {
            capture = arena.allocate(CAPTURE);
        }

        int errno() {
            return (int) ERRNO_HANDLE.get(capture, 0L);
        }
    }

    static int open(Arena arena, CallState cs, String path, int flags) throws IOException {
        MemorySegment p = arena.allocateFrom(path);
        int fd;
        try {
            fd = (int) OPEN.invokeExact(cs.capture, p, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (fd < 0) throw failure("open " + path, cs.errno());
        return fd;
    }

    static void close(CallState cs, int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(cs.capture, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void ioctl(CallState cs, int fd, long request, MemorySegment arg, String what) throws IOException {
        int r;
        try {
            r = (int) IOCTL.invokeExact(cs.capture, fd, request, arg);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) throw failure("ioctl " + what, cs.errno());
    }

    /** read(2); returns the byte count, or -1 when a non-blocking fd has nothing (EAGAIN) or a signal interrupted. */
    static int read(CallState cs, int fd, MemorySegment buf, long len) throws IOException {
        long n;
        try {
            n = (long) READ.invokeExact(cs.capture, fd, buf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (n >= 0) return (int) n;
        int e = cs.errno();
        if (e == EAGAIN || e == EINTR) return -1;
        throw failure("read", e);
    }

    /** write(2); returns the byte count, or -1 when the call would block or was interrupted. */
    static int write(CallState cs, int fd, MemorySegment buf, long len) throws IOException {
        long n;
        try {
            n = (long) WRITE.invokeExact(cs.capture, fd, buf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (n >= 0) return (int) n;
        int e = cs.errno();
        if (e == EAGAIN || e == EINTR) return -1;
        throw failure("write", e);
    }

    /** ppoll(2) with a timeout (null for none); returns the number of ready fds, 0 on timeout or a signal. */
    static int ppoll(CallState cs, MemorySegment fds, int nfds, MemorySegment timeout) throws IOException {
        int r;
        try {
            r = (int) PPOLL.invokeExact(cs.capture, fds, (long) nfds, timeout, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r >= 0) return r;
        int e = cs.errno();
        if (e == EINTR) return 0;
        throw failure("ppoll", e);
    }

    static int eventfd(CallState cs, int flags) throws IOException {
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(cs.capture, 0, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (fd < 0) throw failure("eventfd", cs.errno());
        return fd;
    }

    /** A downcall cannot throw a checked exception; anything else is a bug in the binding. */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    static IOException failure(String call, int errno) {
        return new IOException(call + " failed: errno " + errno + " (" + describe(errno) + ")");
    }

    /** strerror's text for the errors these calls meet in practice. */
    static String describe(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 9 -> "Bad file descriptor";
            case 13 -> "Permission denied";
            case 16 -> "Device or resource busy";
            case 19 -> "No such device";
            case 22 -> "Invalid argument";
            case 77 -> "File descriptor in bad state";
            default -> "errno " + errno;
        };
    }
}
