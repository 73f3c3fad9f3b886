package io.threeway.conformance.run;

import java.util.ArrayDeque;

/**
 * The runner's end of its device: the packets the stack sent, in order, as packetdrill's sniffer sees them. Only
 * packets of the socket under test are kept; others (an earlier connection's late FIN, say) are counted and
 * dropped, as packetdrill ignores packets that match neither the socket under test nor a connect under way.
 */
final class Sniffer {
    private final ArrayDeque<SentPacket> queue = new ArrayDeque<>();
    private final Peer peer;
    /** Packets of other four-tuples, ignored. */
    int ignored;

    Sniffer(Peer peer) {
        this.peer = peer;
    }

    /** The device's receive path: every packet the stack transmits. */
    void sent(SentPacket p) {
        queue.add(p);
    }

    /** Whether a packet of the socket under test is waiting (dropping other sockets' packets first). */
    boolean has() {
        while (!queue.isEmpty() && !peer.ours(queue.peek())) {
            queue.poll();
            ignored++;
        }
        return !queue.isEmpty();
    }

    /** The oldest waiting packet of the socket under test, or null. */
    SentPacket take() {
        return has() ? queue.poll() : null;
    }

    /** The oldest waiting packet of the socket under test without taking it, or null. */
    SentPacket peek() {
        return has() ? queue.peek() : null;
    }
}
