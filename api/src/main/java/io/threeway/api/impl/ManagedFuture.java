package io.threeway.api.impl;

import io.threeway.socket.SocketRuntime;
import io.threeway.socket.WaitQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future whose {@code get()} waits through the network's runtime: in virtual time from an application thread
 * (or, between runs, from the network's own thread, which then runs the simulation until it completes), never
 * with a real lock the simulator cannot see. Its state is guarded by the runtime's exclusive access.
 *
 * @param <T> the result's type
 */
public class ManagedFuture<T> implements RunnableFuture<T> {
    /** The runtime everything waits through. */
    protected final SocketRuntime runtime;
    /** The work. */
    private final Callable<T> work;
    /** Those waiting for the result. */
    private final WaitQueue waiters = new WaitQueue();
    /** Whether it completed (with a result, an exception, or cancelled). */
    private boolean done;
    /** Whether it was cancelled. */
    private boolean cancelled;
    /** The result. */
    private T result;
    /** What the work threw. */
    private Throwable failure;
    /** The thread running it, while it runs. */
    private Thread runner;

    /** A future of {@code work}, waiting through {@code runtime}. */
    public ManagedFuture(SocketRuntime runtime, Callable<T> work) {
        this.runtime = runtime;
        this.work = work;
    }

    @Override
    public void run() {
        if (!start()) return;
        try {
            T r = work.call();
            finish(r, null);
        } catch (Throwable x) {
            finish(null, x);
        }
    }

    /** Marks it running on this thread; false if it completed or was cancelled meanwhile. */
    protected final boolean start() {
        return runtime.call(() -> {
            if (done) return false;
            runner = Thread.currentThread();
            return true;
        });
    }

    /** Runs the work without completing (a periodic task's run); true if it ran without an exception. */
    protected final boolean runAgain() {
        if (!start()) return false;
        try {
            work.call();
            runtime.run(() -> runner = null);
            return true;
        } catch (Throwable x) {
            finish(null, x);
            return false;
        }
    }

    /** Completes with {@code r} or {@code x}, waking those waiting. */
    protected final void finish(T r, Throwable x) {
        runtime.run(() -> {
            runner = null;
            if (done) return;
            done = true;
            result = r;
            failure = x;
            runtime.wake(waiters);
        });
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return runtime.call(() -> {
            if (done) return false;
            done = true;
            cancelled = true;
            if (mayInterruptIfRunning && runner != null) runner.interrupt();
            runtime.wake(waiters);
            cancelled();
            return true;
        });
    }

    /** Called (with exclusive access) when the future is cancelled. */
    protected void cancelled() {}

    @Override
    public boolean isCancelled() {
        return runtime.call(() -> cancelled);
    }

    @Override
    public boolean isDone() {
        return runtime.call(() -> done);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        runtime.await(waiters, () -> done, Long.MAX_VALUE);
        return report();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long now = runtime.now();
        long nanos = unit.toNanos(timeout);
        long deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        if (!runtime.await(waiters, () -> done, deadline)) throw new TimeoutException();
        return report();
    }

    private T report() throws ExecutionException {
        Outcome<T> o = runtime.call(() -> new Outcome<>(cancelled, failure, result));
        if (o.cancelled()) throw new CancellationException();
        if (o.failure() != null) throw new ExecutionException(o.failure());
        return o.result();
    }

    /** The completed state, read in one runtime call. */
    private record Outcome<T>(boolean cancelled, Throwable failure, T result) {}
}
