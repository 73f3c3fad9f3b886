package io.threeway.api.impl;

import io.threeway.socket.SocketRuntime;
import io.threeway.socket.WaitQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.Objects;

/**
 * An executor whose threads are a network's application threads, with {@link java.util.concurrent.Executors
 * #newCachedThreadPool()}'s shape: a task goes to an idle thread, or to a new one when none is idle; a thread
 * idle for {@link #KEEP_ALIVE_NANOS} ends. Idle threads and waiting callers wait through the network's
 * runtime (in virtual time in the simulator), so nothing here blocks on a lock the simulator cannot see. Its
 * state is guarded by the runtime's exclusive access, so a thread the network does not manage gets the
 * runtime's clear error instead of racing it.
 */
public class ManagedExecutor extends AbstractExecutorService {
    /** How long an idle thread waits for work before it ends: 60 s, as a cached thread pool. */
    public static final long KEEP_ALIVE_NANOS = 60_000_000_000L;

    /** The network's engine. */
    protected final Engine engine;
    /** Its runtime. */
    protected final SocketRuntime runtime;
    /** Makes the worker threads. */
    private final ThreadFactory threads;
    /** Tasks not yet taken. */
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    /** Idle workers wait here for work. */
    private final WaitQueue idleWorkers = new WaitQueue();
    /** Callers of awaitTermination wait here. */
    private final WaitQueue termination = new WaitQueue();
    /** Workers alive. */
    private final Set<Thread> workers = new LinkedHashSet<>();
    /** Workers waiting for work. */
    private int idle;
    /** Whether shutdown was called. */
    private boolean shutdown;

    /** An executor of {@code engine}'s, its threads made by {@code threads}. */
    public ManagedExecutor(Engine engine, ThreadFactory threads) {
        this.engine = engine;
        this.runtime = engine.runtime();
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task);
        runtime.run(() -> {
            if (shutdown) throw new RejectedExecutionException("executor shut down");
            enqueue(task);
        });
    }

    /** Queues {@code task} for a worker, starting one if none is idle. Call with exclusive access. */
    protected final void enqueue(Runnable task) {
        work.add(task);
        if (work.size() > idle) {
            Thread t = threads.newThread(this::workerLoop);
            workers.add(t);
            t.start();
        } else {
            runtime.wake(idleWorkers);
        }
    }

    /** Whether the executor was shut down. Call with exclusive access. */
    protected final boolean shutDown() {
        return shutdown;
    }

    private void workerLoop() {
        try {
            while (true) {
                Runnable task = runtime.call(work::poll);
                if (task != null) {
                    task.run();
                    continue;
                }
                if (!waitForWork()) return;
            }
        } finally {
            runtime.run(() -> {
                workers.remove(Thread.currentThread());
                if (shutdown && workers.isEmpty()) runtime.wake(termination);
            });
        }
    }

    /** Waits idle for work; false when the thread should end (idle too long, or shut down with nothing left). */
    private boolean waitForWork() {
        runtime.run(() -> idle++);
        try {
            long deadline = runtime.now() + KEEP_ALIVE_NANOS;
            boolean woken = runtime.await(idleWorkers, () -> !work.isEmpty() || shutdown, deadline);
            return runtime.call(() -> !work.isEmpty() || woken && !shutdown);
        } catch (InterruptedException e) {
            return runtime.call(() -> !shutdown);
        } finally {
            runtime.run(() -> idle--);
        }
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new ManagedFuture<>(runtime, callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new ManagedFuture<>(runtime, () -> {
            runnable.run();
            return value;
        });
    }

    @Override
    public void shutdown() {
        runtime.run(() -> {
            shutdown = true;
            runtime.wake(idleWorkers);
            if (workers.isEmpty()) runtime.wake(termination);
        });
    }

    @Override
    public List<Runnable> shutdownNow() {
        return runtime.call(() -> {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(work);
            work.clear();
            for (Thread t : workers) t.interrupt();
            runtime.wake(idleWorkers);
            if (workers.isEmpty()) runtime.wake(termination);
            return left;
        });
    }

    @Override
    public boolean isShutdown() {
        return runtime.call(() -> shutdown);
    }

    @Override
    public boolean isTerminated() {
        return runtime.call(() -> shutdown && workers.isEmpty());
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long now = runtime.now();
        long nanos = unit.toNanos(timeout);
        long deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        return runtime.await(termination, () -> shutdown && workers.isEmpty(), deadline);
    }

    /** The network is closing: no more tasks; its threads are stopped with the network. */
    public void closing() {
        try {
            runtime.run(() -> {
                shutdown = true;
                work.clear();
            });
        } catch (RuntimeException e) {
            // a network already broken: its threads are stopped anyway
        }
    }
}
