package io.threeway.socket;

import io.threeway.host.Stack;
import io.threeway.tcp.TcpException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One step of a socket's read or write loop as the runtime's action, made once per socket so that a loop
 * allocates nothing per call (issue 12): its arguments and its result or failure travel in fields, where a
 * capturing lambda and a boxed {@code Integer} would be made for every call. A second thread in the same loop
 * of the same socket (two concurrent readers) gets a Transfer of its own.
 */
final class Transfer implements Supplier<Object> {
    /** What the step does with exclusive access. */
    @FunctionalInterface
    interface Step {
        /** Runs the step on {@code b[off, off+len)}; returns its count. */
        int run(byte[] b, int off, int len) throws SocketException;
    }

    /** The step. */
    private final Step body;
    /** The stack, told after each step that a user call is done. */
    private final Stack stack;
    /** A thread is using this Transfer. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The array read into or written from (null for a check). */
    private byte[] b;
    /** Where in {@link #b} the step starts. */
    private int off;
    /** How many bytes at most. */
    private int len;
    /** The result. */
    private int result;
    /** The failure, or null. */
    private SocketException failure;

    Transfer(Step body, Stack stack) {
        this.body = body;
        this.stack = stack;
    }

    /** Runs the step through {@code runtime} with exclusive access, as {@code SocketCore.call} does. */
    int run(SocketRuntime runtime, byte[] b, int off, int len) throws SocketException {
        Transfer t = busy.compareAndSet(false, true) ? this : new Transfer(body, stack);
        try {
            t.b = b;
            t.off = off;
            t.len = len;
            runtime.call(t);
            if (t.failure != null) throw t.failure;
            return t.result;
        } finally {
            t.b = null;
            t.failure = null;
            if (t == this) busy.set(false);
        }
    }

    @Override
    public Object get() {
        try {
            result = body.run(b, off, len);
        } catch (SocketException e) {
            failure = e;
        } catch (TcpException e) {
            failure = SocketErrors.of(e.errno());
        } finally {
            stack.userCallDone();
        }
        return null;
    }
}
