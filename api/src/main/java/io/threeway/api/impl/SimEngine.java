package io.threeway.api.impl;

import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkDirection;
import io.threeway.sim.LinkStats;
import io.threeway.sim.Rule;
import io.threeway.sim.SimScheduler;
import io.threeway.sim.SimulationException;
import io.threeway.sim.Simulator;
import io.threeway.socket.SocketRuntime;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Virtual time: Threeway's {@link Simulator} and its cooperative scheduler. Application threads hold one
 * baton, so a seed gives the same run; a failure in an application thread comes out of the run method that
 * was executing, as itself (an assertion in a server thread fails the test).
 */
public final class SimEngine implements Engine {
    /** What a thread the simulator does not manage is told to do instead. */
    static final String FOREIGN_HINT = "run that code on a thread the simulator manages: Network.spawn, "
            + "Network.threadFactory(), Network.executor() or Network.scheduledExecutor(), and hand those to the "
            + "library (e.g. OkHttp's new Dispatcher(network.executor(\"okhttp\")))";

    /** The simulator. */
    private final Simulator sim;

    /** A simulator seeded with {@code seed}. */
    public SimEngine(long seed) {
        this.sim = new Simulator(seed);
        sim.scheduler().setForeignThreadHint(FOREIGN_HINT);
    }

    /** The simulator (for the API's own classes). */
    public Simulator simulator() {
        return sim;
    }

    @Override public SocketRuntime runtime() { return sim.scheduler(); }
    @Override public boolean simulated() { return true; }
    @Override public long now() { return sim.now(); }
    @Override public void attach(Stack stack) { sim.attach(stack); }

    @Override
    public Wire[] connect(Stack a, Stack b, LinkConfig aToB, LinkConfig bToA) {
        Link link = sim.link(a, b, aToB, bToA);
        return new Wire[] {new SimWire(link.aToB()), new SimWire(link.bToA())};
    }

    @Override
    public Thread newThread(String name, Runnable body) {
        return sim.scheduler().newThread(name, body);
    }

    @Override public boolean isApplicationThread() { return sim.scheduler().isApplicationThread(); }
    @Override public int liveThreads() { return sim.scheduler().liveThreads(); }
    @Override public String describeThreads() { return sim.scheduler().describeThreads(); }
    @Override public void kill(Collection<Thread> threads) { sim.scheduler().kill(threads); }

    @Override
    public Cancellable schedule(long at, Runnable action) {
        return sim.alarm(at, action)::cancel;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        SimScheduler s = sim.scheduler();
        if (s.isApplicationThread()) s.sleep(nanos);
        else runUntil(sim.now() + nanos);
    }

    @Override
    public boolean runUntil(BooleanSupplier done, long deadline) {
        try {
            return sim.runUntil(done, deadline);
        } catch (SimulationException e) {
            throw unwrap(e);
        }
    }

    @Override
    public void runUntil(long deadline) {
        try {
            sim.runUntil(deadline);
        } catch (SimulationException e) {
            throw unwrap(e);
        }
    }

    /** An application thread's own failure, as it was thrown; the simulator's own problems as they are. */
    private static RuntimeException unwrap(SimulationException e) {
        Throwable c = e.getCause();
        if (c instanceof Error err) throw err;
        if (c instanceof RuntimeException r) return r;
        return e;
    }

    @Override
    public void close() {
        sim.close();
    }

    /** A simulated link direction. */
    private record SimWire(LinkDirection d) implements Wire {
        @Override public PacketSink sink() { return d; }
        @Override public LinkConfig config() { return d.config(); }
        @Override public void reconfigure(LinkConfig config) { d.reconfigure(config); }
        @Override public void addRule(Rule rule) { d.addRule(rule); }
        @Override public void removeRule(Rule rule) { d.removeRule(rule); }
        @Override public LinkStats stats() { return d.stats(); }
    }
}
