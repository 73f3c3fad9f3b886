package io.threeway.host;

import java.util.HashMap;

/** Local ports in use by connections or listeners, with how many use each (bind() and connect() conflicts). */
final class LocalPorts {
    /** Users per port; a port with none is absent. */
    private final HashMap<Integer, Integer> use = new HashMap<>();

    boolean inUse(int port) {
        return use.containsKey(port);
    }

    void acquire(int port) {
        use.merge(port, 1, Integer::sum);
    }

    void release(int port) {
        use.computeIfPresent(port, (k, v) -> v <= 1 ? null : v - 1);
    }

    void clear() {
        use.clear();
    }
}
