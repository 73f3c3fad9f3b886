package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.EngineInvariants;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Two stacks joined by two queues, with one live connection between them, for the targets that fuzz the engine in
 * a state ({@link EngineTarget}) and the traffic between two stacks ({@link StackPairTarget}): client {@link #a}
 * (198.18.0.1) connected to server {@link #b} (198.18.0.2, a listener on port 80). Nothing is delivered until a
 * target says so, and time moves only when it says so, so a target decides every interleaving. {@link #checkInvariants}
 * runs after every step: no internal error in either stack, {@link EngineInvariants} on both connections, the
 * memory account and orphan count never negative; {@link #teardown} then ends everything and checks that nothing
 * is left (no connection, no buffer byte charged, no orphan, CurrEstab 0).
 */
final class FuzzPair {
    static final IpAddress A = IpAddress.parse("198.18.0.1");
    static final IpAddress B = IpAddress.parse("198.18.0.2");
    static final int PORT = 80;
    /** Packets waiting for {@link #a} and for {@link #b}, bounded (a flood is cut, not grown). */
    final ArrayDeque<byte[]> toA = new ArrayDeque<>();
    final ArrayDeque<byte[]> toB = new ArrayDeque<>();
    final Stack a = new Stack("a", 1);
    final Stack b = new Stack("b", 2);
    final Listener listener;
    /** The client's connection and the server's. */
    TcpConnection ca;
    TcpConnection cb;
    long now = 1_000_000_000L;
    /** The application of {@link #ca} (of {@link #cb}) let go of it: it is not the application's to touch any more. */
    boolean aDone;
    boolean bDone;
    private static final int QUEUE_LIMIT = 256;

    /** A pair with the given settings on both stacks; {@code rcvBufA} is the client's SO_RCVBUF (-1: default). */
    FuzzPair(boolean sack, boolean timestamps, int rcvBufA) {
        for (Stack s : new Stack[] {a, b}) {
            s.sysctls().set(Sysctl.TCP_SACK, sack ? 1 : 0);
            s.sysctls().set(Sysctl.TCP_TIMESTAMPS, timestamps ? 1 : 0);
        }
        a.addInterface(A, 24, (p, len, t) -> enqueue(toB, p, len));
        b.addInterface(B, 24, (p, len, t) -> enqueue(toA, p, len));
        listener = b.listen(IpAddress.ANY4, PORT, 16, new ConnectionOptions(), false);
        ConnectionOptions o = new ConnectionOptions();
        o.rcvBuf = rcvBufA;
        ca = a.connect(B, PORT, 0, o, now);
        a.userCallDone();
        flush();
        cb = listener.accept();
        check(cb != null && ca.state() == TcpState.ESTABLISHED, "the pair did not connect");
    }

    private static void enqueue(ArrayDeque<byte[]> q, byte[] p, int len) {
        if (q.size() < QUEUE_LIMIT) q.add(Arrays.copyOf(p, len));
    }

    /** The IPv4 address at {@code off} of {@code packet}. */
    static IpAddress addressAt(byte[] packet, int off) {
        return IpAddress.read(packet, off, false);
    }

    /** Hands the next packet for {@code to} to it; false when none waits. */
    boolean deliverOne(Stack to) {
        byte[] p = (to == a ? toA : toB).poll();
        if (p == null) return false;
        to.receive(p, 0, p.length, now);
        return true;
    }

    /** Hands {@code packet} to {@code to} as if it came from the wire. */
    void inject(Stack to, byte[] packet) {
        to.receive(packet, 0, packet.length, now);
    }

    /** Delivers everything both ways until both queues are empty (bounded). */
    void flush() {
        for (int i = 0; i < 10_000 && (deliverOne(a) | deliverOne(b)); i++) { }
    }

    /** Moves the clock by {@code dt}, firing every timer that falls due on the way. */
    void advance(long dt) {
        long until = now + dt;
        for (int i = 0; i < 10_000; i++) {
            long next = Math.min(a.nextDeadline(), b.nextDeadline());
            if (next > until) break;
            now = Math.max(now, next);
            a.advance(now);
            b.advance(now);
        }
        now = until;
    }

    /** Writes {@code n} bytes on {@code c} (as many as its buffer takes). */
    void write(TcpConnection c, int n) {
        if (c == ca ? aDone : bDone) return;
        byte[] data = new byte[Math.min(n, 1 << 16)];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        if (c.state().canSend()) c.write(data, 0, data.length, now);
        userCallsDone();
    }

    /** Reads everything readable on {@code c}. */
    void readAll(TcpConnection c) {
        if (c == ca ? aDone : bDone) return;
        byte[] buf = new byte[1 << 16];
        while (c.read(buf, 0, buf.length, now) > 0) { }
        userCallsDone();
    }

    /** The application of {@code c} closes it ({@code abort}: with a reset); it never touches it again. */
    void close(TcpConnection c, boolean abort) {
        if (c == ca ? aDone : bDone) return;
        if (abort) c.abort(now);
        else c.close(now);
        if (c == ca) aDone = true;
        else bDone = true;
        userCallsDone();
    }

    /** shutdown(SHUT_WR) by the application of {@code c}, while it holds it. */
    void shutdown(TcpConnection c) {
        if (!(c == ca ? aDone : bDone)) c.shutdownOutput(now);
        userCallsDone();
    }

    void userCallsDone() {
        a.userCallDone();
        b.userCallDone();
    }

    /** What must hold after every step. */
    void checkInvariants() {
        for (Stack s : new Stack[] {a, b}) {
            FuzzFinding.check(s.internalErrors() == 0, () -> s.name() + ": internal error " + s.firstInternalError());
            check(s.tcpMemory().allocatedBytes() >= 0 && s.tcpMemory().orphans() >= 0, () -> s.name() + ": negative account");
        }
        for (TcpConnection c : new TcpConnection[] {ca, cb}) {
            String v = EngineInvariants.violation(c);
            check(v == null, () -> c.tuple() + ": " + v + "; " + c.debugState());
        }
    }

    /** Both applications abort, whatever else came in is accepted and aborted, time runs out: nothing may be left. */
    void teardown() {
        for (int round = 0; round < 3; round++) {
            for (TcpConnection c; (c = listener.accept()) != null; ) c.abort(now);
            if (!aDone) ca.abort(now);
            if (!bDone) cb.abort(now);
            aDone = bDone = true;
            userCallsDone();
            flush();
            advance(200_000_000_000L); // past TIME-WAIT, FIN-WAIT-2's timeout and the SYN-ACK retries
            flush();
        }
        checkInvariants();
        for (Stack s : new Stack[] {a, b}) {
            check(s.connectionCount() == 0, () -> s.name() + ": " + s.connectionCount() + " connections left: " + s.connections());
            check(s.tcpMemory().allocatedBytes() == 0, () -> s.name() + ": " + s.tcpMemory().allocatedBytes() + " bytes still charged");
            check(s.tcpMemory().orphans() == 0, () -> s.name() + ": " + s.tcpMemory().orphans() + " orphans left");
            check(s.counters().get(Counter.CURR_ESTAB) == 0, () -> s.name() + ": CurrEstab " + s.counters().get(Counter.CURR_ESTAB));
        }
    }
}
