package io.threeway.sim;

import io.threeway.socket.RuntimeClosedError;

/**
 * The thread group of a simulation's platform application threads, which the threads they start inherit (the
 * recruits, see {@link Recruits}). When the simulation closes, a library's thread it took in (the JDK HttpClient's
 * selector manager, {@code com.sun.net.httpserver}'s dispatcher and idle timer) ends by a {@link RuntimeClosedError}
 * thrown from its next call: that is how the close stops it, not a failure, so the group does not print it as
 * an uncaught exception. Anything else goes to the JDK's default handling.
 */
final class SimulationThreadGroup extends ThreadGroup {
    SimulationThreadGroup(String name) {
        super(name);
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (e instanceof RuntimeClosedError) return; // the simulation closed: the thread's expected end
        super.uncaughtException(t, e);
    }
}
