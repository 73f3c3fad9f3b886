package io.threeway.socket;

import io.threeway.host.Stack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a shared NIO test body runs: the kernel's own provider over loopback, or Threeway's (two stacks in the
 * simulator, in virtual time, or joined in memory in real time). The same body, with the same assertions, runs
 * in each, so Threeway's channels are checked against the JDK's on Linux.
 */
abstract class NioWorld implements AutoCloseable {
    /** A body's code. */
    interface Body {
        void run() throws Exception;
    }

    /** The kinds, as the parameterized tests name them. */
    static final List<String> KINDS = List.of("kernel", "threeway-sim", "threeway-realtime");

    /** A world of the given kind. */
    static NioWorld of(String kind) {
        return switch (kind) {
            case "kernel" -> new Kernel();
            case "threeway-sim" -> new Sim();
            case "threeway-realtime" -> new RealTime();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The client's provider. */
    abstract SelectorProvider client();

    /** The server's provider. */
    abstract SelectorProvider server();

    /** The server's address. */
    abstract InetAddress serverIp();

    /** Whether the channels are Threeway's. */
    abstract boolean threeway();

    /** Starts {@code body} on a thread of this world (an application thread in the simulator). */
    abstract void spawn(String name, Body body);

    /** Runs until every spawned body has finished; a body's failure is rethrown. */
    abstract void runAll() throws Exception;

    /** The server's socket address for {@code port}. */
    InetSocketAddress server(int port) {
        return new InetSocketAddress(serverIp(), port);
    }

    /** Sleeps {@code millis} of the world's time (virtual in the simulator), on one of its threads. */
    abstract void sleep(long millis) throws InterruptedException;

    @Override
    public abstract void close();

    /** Real threads, real time: failures are collected and the first rethrown. */
    abstract static class Threads extends NioWorld {
        private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        void spawn(String name, Body body) {
            threads.add(Thread.ofPlatform().daemon().name(name).start(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }

        @Override
        void runAll() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < threads.size(); i++) { // bodies may spawn more
                Thread t = threads.get(i);
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) throw new AssertionError("thread " + t.getName() + " still running after 60 s");
            }
            threads.clear();
            Throwable t = failure.getAndSet(null);
            if (t instanceof Exception e) throw e;
            if (t instanceof Error e) throw e;
        }

        @Override
        void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    }

    /** The JDK's provider over 127.0.0.1. */
    static final class Kernel extends Threads {
        @Override SelectorProvider client() { return SelectorProvider.provider(); }
        @Override SelectorProvider server() { return SelectorProvider.provider(); }
        @Override InetAddress serverIp() { return InetAddress.getLoopbackAddress(); }
        @Override boolean threeway() { return false; }
        @Override public void close() { }
    }

    /** Two Threeway stacks joined in memory, in real time. */
    static final class RealTime extends Threads {
        private final RealTimeRuntime runtime = new RealTimeRuntime();
        private final Stack clientStack = new Stack("client", 1);
        private final Stack serverStack = new Stack("server", 2);
        private final LoopbackDriver driver = new LoopbackDriver(runtime, clientStack, "198.18.0.1", serverStack, "198.18.0.2", 24);
        private final ThreewaySockets clientSockets = ThreewaySockets.on(clientStack, runtime);
        private final ThreewaySockets serverSockets = ThreewaySockets.on(serverStack, runtime);

        @Override SelectorProvider client() { return clientSockets.selectorProvider(); }
        @Override SelectorProvider server() { return serverSockets.selectorProvider(); }
        @Override InetAddress serverIp() { return io.threeway.wire.IpAddress.parse("198.18.0.2").toInetAddress(); }
        @Override boolean threeway() { return true; }
        @Override public void close() { driver.close(); }
    }

    /** Two Threeway stacks in the simulator (50 ms each way), in virtual time. */
    static final class Sim extends NioWorld {
        final SimPair pair = new SimPair(14);

        @Override SelectorProvider client() { return pair.client.selectorProvider(); }
        @Override SelectorProvider server() { return pair.server.selectorProvider(); }
        @Override InetAddress serverIp() { return SimPair.server(0).getAddress(); }
        @Override boolean threeway() { return true; }

        @Override
        void spawn(String name, Body body) {
            pair.sim.spawn(name, SocketOverSimulatorTest.io(body::run));
        }

        @Override
        void runAll() {
            try {
                pair.runToCompletion();
            } catch (io.threeway.sim.SimulationException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r && r.getCause() != null && r.getClass() == RuntimeException.class) {
                    c = r.getCause();
                }
                if (c instanceof Error err) throw err;
                throw e;
            }
        }

        @Override
        void sleep(long millis) throws InterruptedException {
            pair.sim.scheduler().sleep(millis * 1_000_000L);
        }

        @Override
        public void close() {
            pair.close();
        }
    }
}
