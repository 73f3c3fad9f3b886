package io.threeway.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The networks open in this JVM, and the one each application thread belongs to: how code that has no
 * reference to a network (a name lookup through {@link java.net.InetAddress}, a JDBC driver's socket factory
 * made by class name) finds the right one.
 */
final class Networks {
    /** The open networks, oldest first. */
    private static final List<Network> OPEN = new ArrayList<>();
    /** The network whose application thread the calling thread is. */
    private static final ThreadLocal<Network> CURRENT = new ThreadLocal<>();
    /** The host the calling thread belongs to (started by Host.spawn, or one of its factory's or executors' threads). */
    private static final ThreadLocal<Host> HOST = new ThreadLocal<>();

    private Networks() {}

    static synchronized void opened(Network n) {
        OPEN.add(n);
    }

    static synchronized void closed(Network n) {
        OPEN.remove(n);
    }

    /** Marks the calling thread as an application thread of {@code n} (null: none). */
    static void enter(Network n) {
        if (n == null) CURRENT.remove();
        else CURRENT.set(n);
    }

    /** Marks the calling thread as one of {@code h}'s (null: of no host). */
    static void enterHost(Host h) {
        if (h == null) HOST.remove();
        else HOST.set(h);
    }

    /** The host the calling thread belongs to, or null. */
    static Host currentHost() {
        return HOST.get();
    }

    /** The network whose application thread the calling thread is, or null (no fallback to the only open one). */
    static Network ofApplicationThread() {
        return CURRENT.get();
    }

    /**
     * The network the calling thread works in: the one whose application thread it is, else the only open
     * network, else null (none open, or several and the thread belongs to none).
     */
    static synchronized Network current() {
        Network n = CURRENT.get();
        if (n != null) return n;
        return OPEN.size() == 1 ? OPEN.get(0) : null;
    }

    /** Whether the calling thread is an application thread of {@code n}. */
    static boolean isApplicationThread(Network n) {
        return CURRENT.get() == n;
    }

    /** The open networks. */
    static synchronized List<Network> open() {
        return List.copyOf(OPEN);
    }
}
