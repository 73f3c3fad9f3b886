package io.threeway.api.impl;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} in the network's time: each task waits on the network's clock (an alarm
 * in the simulator, so an hour's delay costs nothing), then runs on one of the executor's managed threads.
 * Periodic tasks follow {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s rules: fixed rate counts from
 * the planned start, fixed delay from the end of the last run, and an exception ends the repetition.
 */
public final class ManagedScheduledExecutor extends ManagedExecutor implements ScheduledExecutorService {

    /** A scheduled executor of {@code engine}'s, its threads made by {@code threads}. */
    public ManagedScheduledExecutor(Engine engine, ThreadFactory threads) {
        super(engine, threads);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return plan(new Task<>(() -> {
            command.run();
            return null;
        }, at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return plan(new Task<>(callable, at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period must be positive");
        return plan(new Task<>(() -> {
            command.run();
            return null;
        }, at(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) throw new IllegalArgumentException("delay must be positive");
        return plan(new Task<>(() -> {
            command.run();
            return null;
        }, at(initialDelay, unit), -unit.toNanos(delay)));
    }

    private long at(long delay, TimeUnit unit) {
        long now = runtime.now();
        long d = Math.max(0, unit.toNanos(delay));
        return now + d < now ? Long.MAX_VALUE : now + d;
    }

    /** Sets {@code t}'s alarm. */
    private <V> Task<V> plan(Task<V> t) {
        runtime.run(() -> {
            if (shutDown()) throw new RejectedExecutionException("executor shut down");
            t.arm();
        });
        return t;
    }

    /**
     * One scheduled task: its time, and its period (positive: fixed rate; negative: fixed delay; 0: once).
     *
     * @param <V> the result's type
     */
    private final class Task<V> extends ManagedFuture<V> implements RunnableScheduledFuture<V> {
        /** When it runs next (ns). */
        private long time;
        /** The period, signed as above. */
        private final long period;
        /** The pending alarm, or null. */
        private Engine.Cancellable alarm;

        Task(Callable<V> work, long time, long period) {
            super(ManagedScheduledExecutor.this.runtime, work);
            this.time = time;
            this.period = period;
        }

        /** Sets the alarm for {@link #time}. Call with exclusive access. */
        void arm() {
            alarm = engine.schedule(time, () -> {
                alarm = null;
                if (!shutDown()) enqueue(this);
            });
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
                return;
            }
            if (!runAgain()) return;
            runtime.run(() -> {
                if (shutDown()) return;
                time = period > 0 ? time + period : runtime.now() - period;
                arm();
            });
        }

        @Override
        protected void cancelled() {
            if (alarm != null) alarm.cancel();
            alarm = null;
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(runtime.call(() -> time) - runtime.now(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
