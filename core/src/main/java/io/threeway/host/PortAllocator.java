package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.wire.IpAddress;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * Ephemeral port selection over net.ipv4.ip_local_port_range, RFC 6056 §3.3.4 (Algorithm 4, "Double-Hash
 * Port Selection"), which Linux's __inet_hash_connect follows: a keyed hash of the endpoints picks where
 * to start, a small table of per-bucket counters moves the start on each use, and the range is searched
 * from there for a port whose four-tuple is free.
 */
final class PortAllocator {
    private static final int TABLE_SIZE = 256;
    private final SipHash offsetKey;
    private final SipHash indexKey;
    private final int[] table = new int[TABLE_SIZE];

    PortAllocator(RandomGenerator random) {
        offsetKey = new SipHash(random.nextLong(), random.nextLong());
        indexKey = new SipHash(random.nextLong(), random.nextLong());
    }

    /** A port for connect() to {@code remote}:{@code remotePort}, or -1 when none in the range is suitable. */
    int connectPort(Sysctls s, IpAddress local, IpAddress remote, int remotePort, IntPredicate suitable) {
        int min = s.get(Sysctl.IP_LOCAL_PORT_RANGE, 0);
        int max = s.get(Sysctl.IP_LOCAL_PORT_RANGE, 1);
        int num = max - min + 1;
        long offset = offsetKey.hash(local.hi(), local.lo(), remote.hi(), remote.lo(), remotePort) & 0x7FFFFFFFL;
        int index = (int) (indexKey.hash(local.hi(), local.lo(), remote.hi(), remote.lo(), remotePort) & (TABLE_SIZE - 1));
        for (int count = num; count > 0; count--) {
            int port = min + (int) ((offset + (table[index] & 0x7FFFFFFFL)) % num);
            table[index]++;
            if (suitable.test(port)) return port;
        }
        return -1;
    }

    /** Any port in the range for which {@code free} holds (bind to port 0), or -1. */
    int anyFreePort(Sysctls s, IntPredicate free) {
        int min = s.get(Sysctl.IP_LOCAL_PORT_RANGE, 0);
        int max = s.get(Sysctl.IP_LOCAL_PORT_RANGE, 1);
        int num = max - min + 1;
        int start = table[0]++ & 0x7FFFFFFF;
        for (int i = 0; i < num; i++) {
            int port = min + (start + i) % num;
            if (free.test(port)) return port;
        }
        return -1;
    }
}
