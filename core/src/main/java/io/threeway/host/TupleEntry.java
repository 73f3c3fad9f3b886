package io.threeway.host;

import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;

/**
 * An entry of the {@link ConnectionTable}: a four-tuple kept as numbers (and the local address, one of the
 * host's own), so a segment is matched to its entry from the packet's header fields without making an address
 * or tuple object; and the entry's place in the host's {@link TimerWheel}. Subclasses: {@link Pcb} (a live
 * connection) and {@link TimeWaitEntry} (a compact TIME-WAIT, Linux's inet_timewait_sock).
 */
abstract class TupleEntry extends TimerWheel.Entry {
    /** The local port in the high 16 bits, the remote port in the low 16. */
    final int ports;

    TupleEntry(int localPort, int remotePort) {
        this.ports = ports(localPort, remotePort);
    }

    /** The local address: one of the host's own objects where possible (shared, not one per entry). */
    abstract IpAddress local();

    /** The remote address's high 64 bits (0 for IPv4). */
    abstract long remoteHi();

    /** The remote address's low 64 bits (the IPv4 address in the low 32). */
    abstract long remoteLo();

    /** The two ports in one int, as entries keep them. */
    static int ports(int localPort, int remotePort) {
        return (localPort & 0xFFFF) << 16 | (remotePort & 0xFFFF);
    }

    int localPort() {
        return ports >>> 16;
    }

    int remotePort() {
        return ports & 0xFFFF;
    }

    boolean v6() {
        return local().v6();
    }

    /** Whether this entry is the one for these numbers. */
    final boolean matches(boolean v6, long localHi, long localLo, int ports, long remoteHi, long remoteLo) {
        if (this.ports != ports || remoteLo() != remoteLo || remoteHi() != remoteHi) return false;
        IpAddress l = local();
        return l.lo() == localLo && l.hi() == localHi && l.v6() == v6;
    }

    /** The remote address as an object (made on demand). */
    IpAddress remote() {
        return new IpAddress(remoteHi(), remoteLo(), v6());
    }

    /** The four-tuple as an object (made on demand: tools, traces, errors). */
    FourTuple tuple() {
        return new FourTuple(local(), localPort(), remote(), remotePort());
    }

    /** The entry's timer is due: fire what is due at {@code now}. */
    abstract void fire(long now);
}
