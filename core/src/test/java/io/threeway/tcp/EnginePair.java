package io.threeway.tcp;

import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Two engines back to back with nothing between them but two queues: the fixture for engine-level tests.
 * Segments are copied when transmitted; the test decides when each is delivered, dropped or altered,
 * and moves a virtual clock.
 */
final class EnginePair {
    static final IpAddress CLIENT_ADDR = IpAddress.parse("198.18.0.1");
    static final IpAddress SERVER_ADDR = IpAddress.parse("198.18.0.2");

    /** One side: an Environment that records what the engine does. */
    static final class Side implements Environment {
        final String name;
        final Sysctls sysctls = new Sysctls();
        final Counters counters = new Counters();
        final Deque<TcpSegment> outbox = new ArrayDeque<>();
        final List<TcpSegment> sentLog = new ArrayList<>();
        final List<String> transitions = new ArrayList<>();
        int isn;
        int mtu = 1500;
        /** What this side's Fast Open cache holds for the peer (a cookie makes its SYN carry data), or null. */
        FastOpenMetrics fastOpen;
        TcpConnection conn;
        int wakes;

        Side(String name, int isn) {
            this.name = name;
            this.isn = isn;
        }

        @Override public Sysctls sysctls() { return sysctls; }
        /** The segment this side's connection builds in. */
        final TcpSegment scratch = new TcpSegment();
        @Override public TcpSegment scratchSegment() { return scratch; }
        /** The engine profile this side runs with (Linux unless a test changes it). */
        EngineProfile engineProfile = EngineProfile.LINUX;
        @Override public EngineProfile engineProfile() { return engineProfile; }
        @Override public Counters counters() { return counters; }

        @Override
        public void transmit(TcpConnection c, TcpSegment seg) {
            TcpSegment copy = new TcpSegment();
            copy.copyFrom(seg);
            if (seg.payloadLength > 0) {
                copy.payload = java.util.Arrays.copyOfRange(seg.payload, seg.payloadOffset, seg.payloadOffset + seg.payloadLength);
                copy.payloadOffset = 0;
            }
            outbox.add(copy);
            sentLog.add(copy);
        }

        @Override
        public void stateChanged(TcpConnection c, TcpState from, TcpState to, String cause, long now) {
            transitions.add(from + "->" + to);
        }

        @Override public void timersChanged(TcpConnection c) { }
        @Override public void wake(TcpConnection c) { wakes++; }
        @Override public int initialSequenceNumber(FourTuple t, long now) { return isn; }
        @Override public int timestampOffset(FourTuple t) { return 1000; }
        @Override public int pathMtu(FourTuple t) { return mtu; }
        @Override public FastOpenMetrics fastOpenMetrics(IpAddress server) { return fastOpen; }

        TcpState state() { return conn.state(); }

        TcpSegment lastSent() { return sentLog.get(sentLog.size() - 1); }

        /** Segments sent so far that match {@code p}. */
        List<TcpSegment> sent(Predicate<TcpSegment> p) {
            return sentLog.stream().filter(p).toList();
        }

        /** Forgets the log of what was sent so far (not the outbox), so a test can look at what follows. */
        void forget() {
            sentLog.clear();
        }

        /** Reads everything readable now. */
        byte[] readAll(long now) {
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = conn.read(buf, 0, buf.length, now)) > 0) got.write(buf, 0, n);
            return got.toByteArray();
        }

        /** Writes all of {@code data} (the send buffer must have room). */
        void write(byte[] data, long now) {
            int n = conn.write(data, 0, data.length, now);
            if (n != data.length) throw new IllegalStateException(name + " took " + n + " of " + data.length);
        }
    }

    final Side client = new Side("client", 1000);
    final Side server = new Side("server", 5000);
    long now;

    EnginePair() {
        client.conn = new TcpConnection(client, new FourTuple(CLIENT_ADDR, 40000, SERVER_ADDR, 80), new ConnectionOptions());
        server.conn = new TcpConnection(server, new FourTuple(SERVER_ADDR, 80, CLIENT_ADDR, 40000), new ConnectionOptions());
    }

    Side peer(Side s) { return s == client ? server : client; }

    /** Delivers the next queued segment from {@code from} to its peer; returns it, or null if none. */
    TcpSegment deliverOne(Side from) {
        TcpSegment seg = from.outbox.poll();
        if (seg != null) peer(from).conn.segmentArrives(seg, now);
        return seg;
    }

    /** Drops the next queued segment from {@code from}. */
    TcpSegment dropOne(Side from) {
        return from.outbox.poll();
    }

    /** Drops everything queued on {@code from}; returns how many segments. */
    int dropAll(Side from) {
        int n = from.outbox.size();
        from.outbox.clear();
        return n;
    }

    /** Hands {@code seg} to {@code to}'s engine as if it came from the wire. */
    void inject(Side to, TcpSegment seg) {
        to.conn.segmentArrives(seg, now);
    }

    /**
     * A segment {@code from} could have sent (ports, window and timestamps as {@code from} would fill them),
     * with the given flags, sequence and acknowledgment numbers: for forging RSTs, SYNs, FINs and ACKs.
     */
    TcpSegment forge(Side from, int flags, int seq, int ack) {
        TcpSegment s = new TcpSegment();
        s.srcPort = from.conn.tuple().localPort();
        s.dstPort = from.conn.tuple().remotePort();
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = from.conn.info(0).rcvWnd() >>> from.conn.info(0).rcvWscale();
        if (from.conn.info(0).timestamps()) {
            s.options.timestamps = true;
            s.options.tsVal = (int) (now / 1_000_000L) + 1000;
            s.options.tsEcr = 0;
        }
        return s;
    }

    /** {@link #forge} with a payload. */
    TcpSegment forge(Side from, int flags, int seq, int ack, byte[] payload) {
        TcpSegment s = forge(from, flags, seq, ack);
        s.payload = payload;
        s.payloadOffset = 0;
        s.payloadLength = payload.length;
        return s;
    }

    /** The segment {@code from} would send next as a pure ACK at its current position. */
    TcpSegment forgeAck(Side from) {
        return forge(from, TcpFlags.ACK, from.conn.info(0).sndNxt(), from.conn.info(0).rcvNxt());
    }

    /**
     * Delivers what {@code from} has queued over a bad path: each segment is lost with probability
     * {@code loss}, duplicated with probability {@code dup}, and the batch is shuffled when {@code reorder}.
     * Returns how many segments arrived.
     */
    int deliverUnreliably(Side from, java.util.Random rnd, double loss, double dup, boolean reorder) {
        List<TcpSegment> batch = new ArrayList<>();
        for (TcpSegment seg; (seg = from.outbox.poll()) != null; ) {
            if (rnd.nextDouble() < loss) continue;
            batch.add(seg);
            if (rnd.nextDouble() < dup) batch.add(seg);
        }
        if (reorder) java.util.Collections.shuffle(batch, rnd);
        for (TcpSegment seg : batch) peer(from).conn.segmentArrives(seg, now);
        return batch.size();
    }

    /** Delivers everything both ways until both outboxes are empty (bounded). */
    void deliverAll() {
        for (int i = 0; i < 100_000 && !(client.outbox.isEmpty() && server.outbox.isEmpty()); i++) {
            if (!client.outbox.isEmpty()) deliverOne(client);
            if (!server.outbox.isEmpty()) deliverOne(server);
        }
    }

    /** Delivers everything, except that segments matching {@code drop} vanish. */
    void deliverAllExcept(Predicate<TcpSegment> drop) {
        for (int i = 0; i < 100_000 && !(client.outbox.isEmpty() && server.outbox.isEmpty()); i++) {
            for (Side s : new Side[] {client, server}) {
                TcpSegment seg = s.outbox.poll();
                if (seg != null && !drop.test(seg)) peer(s).conn.segmentArrives(seg, now);
            }
        }
    }

    /** Moves the clock to {@code t}, firing both sides' timers in order as they come due. */
    void advanceTo(long t) {
        while (true) {
            long next = Math.min(client.conn.nextDeadline(), server.conn.nextDeadline());
            if (next > t) break;
            now = Math.max(now, next);
            if (client.conn.nextDeadline() <= now) client.conn.onTimer(now);
            if (server.conn.nextDeadline() <= now) server.conn.onTimer(now);
        }
        now = t;
    }

    void advanceBy(long nanos) { advanceTo(now + nanos); }

    /** connect() on the client, passive open on the server, and the three segments delivered. */
    EnginePair establish() {
        server.conn.listen(now);
        client.conn.connect(now);
        deliverAll();
        return this;
    }

    /**
     * A fixture per RFC 9293 state: drives the pair until one side is in {@code target}, with nothing left in
     * flight (the segment that would move it on is dropped), and returns that side. The application on that
     * side still holds its socket (shutdownOutput, not close), so errors stay visible to it.
     */
    Side reach(TcpState target) {
        switch (target) {
            case SYN_RECEIVED -> {
                server.conn.listen(now);
                client.conn.connect(now);
                deliverOne(client);
                dropAll(server);
                if (server.state() != target) throw new IllegalStateException("fixture reached " + server.state());
                return server;
            }
            case ESTABLISHED -> establish();
            case FIN_WAIT_1 -> {
                establish();
                client.conn.shutdownOutput(now);
                dropAll(client);
            }
            case FIN_WAIT_2 -> {
                establish();
                client.conn.shutdownOutput(now);
                deliverAll();
            }
            case CLOSE_WAIT -> {
                establish();
                server.conn.shutdownOutput(now);
                deliverAll();
            }
            case CLOSING -> {
                establish();
                client.conn.shutdownOutput(now);
                server.conn.shutdownOutput(now);
                deliverOne(client);   // the client's FIN meets the server in FIN-WAIT-1: CLOSING
                deliverOne(server);   // the server's FIN (not acknowledging the client's): CLOSING
                dropAll(client);      // both ACKs of the FINs are lost
                dropAll(server);
            }
            case LAST_ACK -> {
                reach(TcpState.CLOSE_WAIT);
                client.conn.shutdownOutput(now);
                dropAll(client);
            }
            case TIME_WAIT -> {
                establish();
                client.conn.shutdownOutput(now);
                deliverAll();
                server.conn.shutdownOutput(now);
                deliverAll();
            }
            default -> throw new IllegalArgumentException("no fixture for " + target);
        }
        if (client.state() != target) throw new IllegalStateException("fixture reached " + client.state() + ", not " + target);
        return client;
    }

    static boolean isSyn(TcpSegment s) { return (s.flags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN; }
    static boolean isSynAck(TcpSegment s) { return (s.flags & (TcpFlags.SYN | TcpFlags.ACK)) == (TcpFlags.SYN | TcpFlags.ACK); }

    static long ms(long v) { return v * 1_000_000L; }
    static long sec(double v) { return (long) (v * 1e9); }

    /** Writes all of {@code data} from one side, delivering as the windows allow, and reads it on the other. */
    byte[] transfer(Side from, byte[] data) {
        Side to = peer(from);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int off = 0;
        for (int round = 0; round < 1_000_000 && got.size() < data.length; round++) {
            if (off < data.length) off += from.conn.write(data, off, data.length - off, now);
            deliverAll();
            int n;
            while ((n = to.conn.read(buf, 0, buf.length, now)) > 0) got.write(buf, 0, n);
            deliverAll();
            if (got.size() < data.length && client.outbox.isEmpty() && server.outbox.isEmpty()) advanceBy(ms(50));
        }
        return got.toByteArray();
    }
}
