package io.threeway.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Host names inside a network: a host's name is its DNS name there (case-insensitive, a trailing dot ignored). */
final class Names {
    private Names() {}

    /**
     * The addresses of the host named {@code name} in {@code network}, IPv4 first, each carrying the name.
     *
     * @throws UnknownHostException if no host has that name
     */
    static InetAddress[] resolve(Network network, String name) throws UnknownHostException {
        Host h = find(network, name);
        if (h == null) {
            List<String> names = new ArrayList<>();
            for (Host each : network.hosts()) names.add(each.name());
            throw new UnknownHostException(name + ": no host of that name in the Threeway network (seed "
                    + network.seed() + "; its hosts: " + String.join(", ", names) + ")");
        }
        return h.addresses(name);
    }

    /** The host named {@code name}, or null. */
    static Host find(Network network, String name) {
        String n = normalize(name);
        Host h = network.find(name);
        if (h != null) return h;
        for (Host each : network.hosts()) if (normalize(each.name()).equals(n)) return each;
        return null;
    }

    /** The host at {@code address}, or null. */
    static Host at(Network network, InetAddress address) {
        for (Host each : network.hosts()) {
            if (each.address().equals(address) || each.address6().equals(address)) return each;
        }
        return null;
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
