package io.threeway.host;

import io.threeway.wire.FourTuple;
import io.threeway.wire.IpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's connections by four-tuple (Linux's established hash, inet_ehash): open addressing with linear
 * probing over one array of {@link TupleEntry}, keys kept in the entries as numbers. Finding the entry of an
 * arriving segment costs a hash and a few comparisons and allocates nothing; the array doubles when half full
 * and removals shift the probe chain back (no tombstones). The hash is keyed by a secret from the stack's
 * seed (as inet_ehashfn keys jhash with a random secret), so chosen four-tuples cannot crowd one chain, and the
 * iteration order stays deterministic for a seed.
 */
final class ConnectionTable {
    /** The smallest array: 64 slots. */
    private static final int INITIAL_SLOTS = 64;

    /** The key for the hash (Linux's inet_ehash_secret). */
    private final long secret;
    /** The slots; null is empty. The length is a power of two. */
    private TupleEntry[] slots = new TupleEntry[INITIAL_SLOTS];
    /** Entries held. */
    private int size;

    ConnectionTable(long secret) {
        this.secret = secret;
    }

    int size() {
        return size;
    }

    /** The entry for a segment that arrived in {@code ip} from {@code srcPort} to {@code dstPort}, or null. */
    TupleEntry find(IpPacket ip, int srcPort, int dstPort) {
        return find(ip.v6(), ip.dstHi, ip.dstLo, dstPort, ip.srcHi, ip.srcLo, srcPort);
    }

    /** The entry for {@code t}, or null. */
    TupleEntry find(FourTuple t) {
        return find(t.v6(), t.localAddress().hi(), t.localAddress().lo(), t.localPort(), t.remoteAddress().hi(),
                t.remoteAddress().lo(), t.remotePort());
    }

    /** The entry for these numbers, or null. */
    TupleEntry find(boolean v6, long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort) {
        int ports = TupleEntry.ports(localPort, remotePort);
        TupleEntry[] s = slots;
        int mask = s.length - 1;
        for (int i = hash(localHi, localLo, ports, remoteHi, remoteLo) & mask; ; i = (i + 1) & mask) {
            TupleEntry e = s[i];
            if (e == null) return null;
            if (e.matches(v6, localHi, localLo, ports, remoteHi, remoteLo)) return e;
        }
    }

    /** Adds {@code e}, replacing the entry with the same four-tuple if there is one; returns the replaced entry. */
    TupleEntry put(TupleEntry e) {
        if (2 * (size + 1) > slots.length) grow();
        int mask = slots.length - 1;
        for (int i = slot(e) & mask; ; i = (i + 1) & mask) {
            TupleEntry old = slots[i];
            if (old == null) {
                slots[i] = e;
                size++;
                return null;
            }
            if (old.matches(e.v6(), e.local().hi(), e.local().lo(), e.ports, e.remoteHi(), e.remoteLo())) {
                slots[i] = e;
                return old;
            }
        }
    }

    /** Removes exactly {@code e} (not another entry with its four-tuple); returns whether it was there. */
    boolean remove(TupleEntry e) {
        int mask = slots.length - 1;
        for (int i = slot(e) & mask; ; i = (i + 1) & mask) {
            TupleEntry x = slots[i];
            if (x == null) return false;
            if (x == e) {
                deleteAt(i);
                return true;
            }
        }
    }

    /** Every entry, in the table's (deterministic) order. */
    List<TupleEntry> entries() {
        List<TupleEntry> out = new ArrayList<>(size);
        for (TupleEntry e : slots) if (e != null) out.add(e);
        return out;
    }

    void clear() {
        slots = new TupleEntry[INITIAL_SLOTS];
        size = 0;
    }

    /** Linear probing's deletion: shift later entries of the chain back into the hole (Knuth's Algorithm R). */
    private void deleteAt(int hole) {
        TupleEntry[] s = slots;
        int mask = s.length - 1;
        s[hole] = null;
        size--;
        for (int i = (hole + 1) & mask; s[i] != null; i = (i + 1) & mask) {
            TupleEntry e = s[i];
            int home = slot(e) & mask;
            // Move e into the hole when the hole lies cyclically between its home slot and where it sits.
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                s[hole] = e;
                s[i] = null;
                hole = i;
            }
        }
    }

    private void grow() {
        TupleEntry[] old = slots;
        slots = new TupleEntry[old.length * 2];
        size = 0;
        for (TupleEntry e : old) if (e != null) put(e);
    }

    private int slot(TupleEntry e) {
        return hash(e.local().hi(), e.local().lo(), e.ports, e.remoteHi(), e.remoteLo());
    }

    /** A keyed mix of the four-tuple's numbers (a multiply-xorshift finaliser over the fields and the secret). */
    private int hash(long localHi, long localLo, int ports, long remoteHi, long remoteLo) {
        long h = secret ^ ports;
        h = mix(h ^ remoteLo);
        h = mix(h ^ localLo);
        h = mix(h ^ remoteHi ^ Long.rotateLeft(localHi, 32));
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 32);
    }
}
