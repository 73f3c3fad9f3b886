package io.threeway.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How {@code serve} ends: on Ctrl-C or SIGTERM (the JVM's shutdown hook), or when the stack's driver fails. Either
 * way everything is closed within a grace period, and never more: a close that hangs (the runtime's lock held by a
 * thread that will not let go, the heap exhausted) does not keep the process alive; after the grace period the
 * JVM is halted. The hook's threads are made when {@code serve} starts, so stopping needs no allocation of threads
 * when memory has run out.
 */
final class ServeShutdown {
    private final Terminal terminal;
    private final Runnable closeAll;
    private final Duration grace;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread hook;
    private final Thread closer;
    private volatile Throwable failure;
    private volatile String failedWhat;

    ServeShutdown(Terminal terminal, Runnable closeAll, Duration grace) {
        this.terminal = terminal;
        this.closeAll = closeAll;
        this.grace = grace;
        this.closer = Thread.ofPlatform().daemon().name("threeway-serve-close").unstarted(closeAll);
        this.hook = Thread.ofPlatform().name("threeway-serve-shutdown").unstarted(this::onSignal);
    }

    /** The shutdown hook to register (Ctrl-C, SIGTERM, System.exit). */
    Thread hook() { return hook; }

    /** The stack cannot go on: {@code what} failed with {@code cause}. Any thread; the first call counts. */
    void failed(String what, Throwable cause) {
        if (failure != null) return;
        failedWhat = what;
        failure = cause;
        stop.countDown();
    }

    /**
     * Blocks until a failure (then prints it, closes everything within the grace period and returns {@link
     * Main#EXIT_FAILURE}) or until the JVM shuts down (the hook does the closing; this returns 0).
     */
    int await() throws InterruptedException {
        stop.await();
        if (failure == null) return 0;
        terminal.err().println("threeway: " + failedWhat + " failed: " + failure + "; stopping");
        if (System.getenv("THREEWAY_DEBUG") != null) failure.printStackTrace(terminal.err());
        terminal.err().flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return Main.EXIT_FAILURE; // a signal came too; the hook closes
        }
        if (!closeWithin()) terminal.err().println("threeway: closing took longer than " + grace.toSeconds() + " s; exiting anyway");
        return Main.EXIT_FAILURE;
    }

    private void onSignal() {
        stop.countDown();
        if (!closeWithin()) {
            terminal.err().println("threeway: closing took longer than " + grace.toSeconds() + " s; exiting anyway");
            terminal.err().flush();
            Runtime.getRuntime().halt(Main.EXIT_FAILURE);
        }
    }

    /** Runs closeAll on its own thread; true if it finished within the grace period. */
    private boolean closeWithin() {
        try {
            synchronized (closer) {
                if (closer.getState() == Thread.State.NEW) closer.start();
            }
            closer.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !closer.isAlive();
    }

    /** Waits at most {@code timeout} for the stop (for tests). */
    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stop.await(timeout, unit);
    }
}
