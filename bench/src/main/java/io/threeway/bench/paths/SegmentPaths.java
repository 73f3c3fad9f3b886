package io.threeway.bench.paths;

import io.threeway.host.Listener;
import io.threeway.host.PacketPool;
import io.threeway.host.PacketSink;
import io.threeway.host.Stack;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.OptionLayout;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * The three per-segment paths of one established connection, one at a time, driven the way a link drives a
 * stack: a data segment in (the application reads it), a pure ACK in (it frees the window, and the next MSS the
 * application wrote goes out), a data segment out (the application writes one MSS, sent at once; a cumulative ACK
 * every {@value #ACK_EVERY} segments keeps the window open). The stack under test talks to a scripted peer: this
 * class builds the peer's segments in one reused array ({@link PacketBuilder} into a buffer) and the stack's
 * interface takes and gives back its packet buffers through a {@link PacketPool}, as a link that delivers them
 * would. In steady state nothing here allocates, and neither should the stack: what {@code bench jmh} (JMH's GC
 * profiler) and the allocation test measure.
 */
public final class SegmentPaths {
    /** A full-sized segment's payload: MSS 1460 less 12 bytes of timestamps. */
    public static final int PAYLOAD = 1448;
    /** Data segments out per cumulative ACK in, on the data-out path. */
    static final int ACK_EVERY = 8;
    /** Virtual time between segments. */
    private static final long STEP_NANOS = 10_000;
    /** The stack's address (the server), and the peer's. */
    private static final IpAddress STACK = IpAddress.parse("198.18.0.2");
    private static final IpAddress PEER = IpAddress.parse("198.18.0.1");
    /** The stack's and the peer's ports. */
    private static final int STACK_PORT = 80;
    private static final int PEER_PORT = 40_000;
    /** The peer's window field: 65535 shifted by the scale it offered, far more than the stack ever fills. */
    private static final int PEER_WINDOW = 0xFFFF;

    /** The stack under test. */
    private final Stack stack;
    /** Its end of the connection. */
    private final TcpConnection conn;
    /** The stack's packet buffers, taken and given back. */
    private final PacketPool pool = new PacketPool(2048, 64);
    /** The peer's segment, refilled for each packet. */
    private final TcpSegment peer = new TcpSegment();
    /** The peer's packet, rebuilt in place. */
    private final byte[] packet = new byte[2048];
    /** The application's data, and where it reads to. */
    private final byte[] data = new byte[PAYLOAD];
    private final byte[] readBuffer = new byte[64 * 1024];
    /** The peer's next sequence number, and the next one it expects from the stack. */
    private int peerSeq;
    private int peerAck;
    /** The peer's TSval. */
    private int peerTs = 1;
    /** The time. */
    private long now;
    /** Data segments sent since the last cumulative ACK (data-out path). */
    private int unacked;

    /** A connection established with the scripted peer: SYN, SYN-ACK, ACK. */
    public SegmentPaths() {
        stack = new Stack("stack", 1);
        PacketSink sink = new PacketSink() {
            @Override
            public void transmit(byte[] p, int length, long t) {
                pool.give(p); // delivered at once: the peer reads nothing, it knows what the stack sends
            }

            @Override
            public byte[] buffer(int length) {
                return pool.take(length);
            }
        };
        stack.addInterface(STACK, 15, sink);
        Listener l = stack.listen(IpAddress.ANY4, STACK_PORT, 16, new ConnectionOptions(), false);
        peerSeq = 1_000_000;
        peerSend(TcpFlags.SYN, 0, true);
        peerSeq++;
        TcpConnection half = stack.connections().getFirst();
        peerAck = half.info(now).sndNxt();
        peerSend(TcpFlags.ACK, 0, false);
        conn = l.accept();
        if (conn == null || conn.state() != TcpState.ESTABLISHED) throw new IllegalStateException("no connection: " + half);
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    }

    /** One data segment from the peer, in order; the application reads it. Returns the bytes read. */
    public int dataSegmentIn() {
        peerSend(TcpFlags.ACK | TcpFlags.PSH, PAYLOAD, false);
        peerSeq += PAYLOAD;
        int n = conn.read(readBuffer, 0, readBuffer.length, now);
        stack.userCallDone();
        tick();
        return n;
    }

    /**
     * A pure ACK from the peer for the MSS sent in the previous call; then the application writes the next MSS,
     * which goes out at once. Returns the bytes written.
     */
    public int pureAckIn() {
        peerAck = peerAck + (unacked > 0 ? PAYLOAD : 0);
        unacked = 0;
        peerSend(TcpFlags.ACK, 0, false);
        int n = conn.write(data, 0, data.length, now);
        stack.userCallDone();
        if (n > 0) unacked = 1;
        tick();
        return n;
    }

    /** The application writes one MSS, sent at once; every {@value #ACK_EVERY}th, the peer's cumulative ACK. */
    public int dataSegmentOut() {
        int n = conn.write(data, 0, data.length, now);
        stack.userCallDone();
        if (n > 0 && ++unacked == ACK_EVERY) {
            peerAck += ACK_EVERY * PAYLOAD;
            unacked = 0;
            peerSend(TcpFlags.ACK, 0, false);
        }
        tick();
        return n;
    }

    /** The stack's end of the connection (for checks: call its {@code info} outside a measured loop). */
    public TcpConnection connection() {
        return conn;
    }

    /** The current time. */
    public long now() {
        return now;
    }

    /** The clock moves on, and any timer that fell due fires. */
    private void tick() {
        now += STEP_NANOS;
        if (stack.nextDeadline() <= now) stack.advance(now);
    }

    /** Builds the peer's segment in {@link #packet} and hands it to the stack. */
    private void peerSend(int flags, int payload, boolean synOptions) {
        TcpSegment s = peer;
        s.clear();
        s.srcPort = PEER_PORT;
        s.dstPort = STACK_PORT;
        s.seq = peerSeq;
        s.ack = (flags & TcpFlags.ACK) != 0 ? peerAck : 0;
        s.flags = flags;
        s.window = PEER_WINDOW;
        s.options.timestamps = true;
        s.options.tsVal = peerTs++;
        s.options.tsEcr = 0;
        if (synOptions) {
            s.options.mss = 1460;
            s.options.sackPermitted = true;
            s.options.windowScale = 7;
        }
        if (payload > 0) {
            s.payload = data;
            s.payloadOffset = 0;
            s.payloadLength = payload;
        }
        int len = PacketBuilder.buildTcp(PEER, STACK, s, OptionLayout.LINUX, 1, packet);
        stack.receive(packet, 0, len, now);
    }

    /** The connection's figures now (allocates: for checks outside a measured loop). */
    public TcpInfo info() {
        return conn.info(now);
    }
}
