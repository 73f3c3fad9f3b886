package io.threeway.host;

import io.threeway.wire.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** A host's listening sockets by port (Linux's listening hash), and the lookup of the one a segment is for. */
final class Listeners {
    /** Listeners per local port. */
    private final HashMap<Integer, List<Listener>> byPort = new HashMap<>();

    /**
     * The listener for a segment to {@code local}:{@code port}: one bound to that address, else a wildcard of the
     * same family, else an IPv6 wildcard (which takes IPv4 too); null for none.
     */
    Listener find(IpAddress local, int port) {
        List<Listener> ls = byPort.get(port);
        if (ls == null) return null;
        Listener wildcard = null;
        for (Listener l : ls) {
            if (l.address().equals(local)) return l;
            if (l.address().isAny() && l.address().v6() == local.v6()) wildcard = l;
            else if (l.address().isAny() && l.address().v6() && wildcard == null) wildcard = l; // [::] takes IPv4 too
        }
        return wildcard;
    }

    /** The listeners on {@code port} (empty when none). */
    List<Listener> on(int port) {
        return byPort.getOrDefault(port, List.of());
    }

    boolean anyOn(int port) {
        return byPort.containsKey(port);
    }

    void add(Listener l) {
        byPort.computeIfAbsent(l.port(), k -> new ArrayList<>()).add(l);
    }

    void remove(Listener l) {
        List<Listener> ls = byPort.get(l.port());
        if (ls == null) return;
        ls.remove(l);
        if (ls.isEmpty()) byPort.remove(l.port());
    }

    /** Every listener. */
    List<Listener> all() {
        List<Listener> out = new ArrayList<>();
        for (List<Listener> ls : byPort.values()) out.addAll(ls);
        return out;
    }

    void clear() {
        byPort.clear();
    }
}
