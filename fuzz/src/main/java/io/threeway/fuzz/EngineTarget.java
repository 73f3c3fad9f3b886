package io.threeway.fuzz;

import io.threeway.tcp.TcpInfo;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * The engine fed arbitrary segment sequences from a state: a live connection ({@link FuzzPair}) is first brought
 * to the state the first byte picks (established and idle; data in flight; SACK recovery under way; a zero window
 * with the persist timer running; TIME-WAIT; CLOSE-WAIT with FIN-WAIT-2 at the peer), then each next byte picks a
 * step: a segment forged from the peer's address and port into the server's stack (flags, sequence and
 * acknowledgment numbers near the connection's own or anywhere, window, timestamps, SACK blocks, payload), time
 * moving on (timers fire), the real packets waiting delivered, or the server's application reading, writing,
 * shutting down, closing or aborting. Invariants after every step and at the end: see {@link FuzzPair}.
 */
final class EngineTarget implements FuzzTarget {
    /** The states a run starts from. */
    enum Start { ESTABLISHED, DATA_IN_FLIGHT, SACK_RECOVERY, ZERO_WINDOW, TIME_WAIT, CLOSE_WAIT }

    @Override
    public String name() { return "engine"; }

    @Override
    public String description() { return "segment sequences into a connection in a chosen state (established, in flight, SACK, zero window, TIME-WAIT...)"; }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        Start start = Start.values()[in.nextByte() % Start.values().length];
        FuzzPair p = reach(start);
        p.checkInvariants();
        for (int steps = 0; in.remaining() > 0 && steps < 64; steps++) {
            step(p, in);
            p.checkInvariants();
        }
        p.teardown();
    }

    /** A pair whose server connection is in {@code start}. */
    static FuzzPair reach(Start start) {
        boolean sack = start == Start.SACK_RECOVERY;
        FuzzPair p = new FuzzPair(sack, true, start == Start.ZERO_WINDOW ? 4096 : -1);
        switch (start) {
            case ESTABLISHED -> { }
            case DATA_IN_FLIGHT -> p.write(p.cb, 30_000); // queued toward the client, not delivered
            case SACK_RECOVERY -> {
                p.write(p.cb, 30_000);
                p.toA.poll(); // the first segment is lost: the client SACKs the rest
                p.flush();
            }
            case ZERO_WINDOW -> {
                p.write(p.cb, 60_000);
                p.flush(); // the client never reads: its window closes, the server probes
            }
            case TIME_WAIT -> {
                p.close(p.cb, false);
                p.flush();
                p.close(p.ca, false);
                p.flush(); // the server closed first: TIME-WAIT, compacted (its application let go)
            }
            case CLOSE_WAIT -> {
                p.shutdown(p.ca);
                p.flush(); // the client is in FIN-WAIT-2, the server in CLOSE-WAIT
            }
        }
        return p;
    }

    private static void step(FuzzPair p, FuzzInput in) {
        switch (in.nextByte() % 10) {
            case 0, 1, 2, 3, 4 -> p.inject(p.b, forge(p, in));
            case 5 -> p.advance(time(in));
            case 6 -> {
                for (int n = in.nextByte() % 8; n > 0; n--) {
                    if (in.nextBoolean()) p.deliverOne(p.a);
                    else p.deliverOne(p.b);
                }
            }
            case 7 -> p.readAll(p.cb);
            case 8 -> p.write(p.cb, in.nextInt(0, 40_000));
            default -> {
                int what = in.nextByte() % 3;
                if (what == 0) p.shutdown(p.cb);
                else p.close(p.cb, what == 2);
            }
        }
        p.b.userCallDone();
    }

    /** A time step: a few ms to minutes, or exactly to the next deadline. */
    private static long time(FuzzInput in) {
        return switch (in.nextByte() % 4) {
            case 0 -> in.nextInt(0, 50) * 1_000_000L;
            case 1 -> in.nextInt(0, 5_000) * 1_000_000L;
            case 2 -> in.nextInt(0, 600) * 1_000_000_000L;
            default -> 200_000_000L;
        };
    }

    /** A segment from the client's address and port to the server's, its fields near the connection's or anywhere. */
    static byte[] forge(FuzzPair p, FuzzInput in) {
        TcpInfo b = p.cb.info(p.now); // the server's view (a compact TIME-WAIT keeps its numbers here too)
        TcpSegment s = new TcpSegment();
        s.srcPort = p.ca.tuple().localPort();
        s.dstPort = FuzzPair.PORT;
        s.flags = in.nextByte() & (TcpFlags.FIN | TcpFlags.SYN | TcpFlags.RST | TcpFlags.PSH | TcpFlags.ACK | TcpFlags.URG
                | TcpFlags.ECE | TcpFlags.CWR);
        s.seq = near(in, b.rcvNxt(), b.rcvWnd());
        s.ack = near(in, b.sndUna(), b.sndMax() - b.sndUna());
        s.window = in.nextInt(0, 0xFFFF);
        s.urgentPointer = in.nextBoolean() ? in.nextInt(0, 0xFFFF) : 0;
        if (in.nextBoolean()) {
            s.options.timestamps = true;
            s.options.tsVal = (int) (p.now / 1_000_000L) + 1000 + (in.nextByte() - 128) * (in.nextBoolean() ? 1 : 100_000);
            s.options.tsEcr = in.nextInt32();
        }
        int blocks = in.nextByte() % 5;
        for (int i = 0; i < blocks && i < 3; i++) {
            s.options.sackLeft[i] = near(in, b.sndUna(), b.sndMax() - b.sndUna());
            s.options.sackRight[i] = s.options.sackLeft[i] + in.nextInt(0, 20_000);
            s.options.sackBlocks = i + 1;
        }
        if ((s.flags & TcpFlags.SYN) != 0 && in.nextBoolean()) s.options.mss = in.nextInt(0, 0xFFFF);
        int len = in.nextByte() % 4 == 0 ? in.nextInt(0, 3000) : 0;
        s.payload = new byte[len];
        s.payloadOffset = 0;
        s.payloadLength = len;
        return PacketBuilder.buildTcp(FuzzPair.A, FuzzPair.B, s, 1);
    }

    /** A sequence number: {@code base} plus a small offset, inside or around {@code span} after it, or any. */
    private static int near(FuzzInput in, int base, int span) {
        return switch (in.nextByte() % 5) {
            case 0 -> base;
            case 1 -> base + in.nextInt(-3000, 3000);
            case 2 -> base + Math.max(span, 0) + in.nextInt(-2, 2);
            case 3 -> base + (int) ((long) Math.max(span, 1) * in.nextByte() / 255);
            default -> in.nextInt32();
        };
    }
}
