package io.threeway.trace;

import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records what happens on the stacks it observes, in the order it happens: every state transition of every
 * connection, and the packets crossing one chosen stack's interface in both directions (the vantage point,
 * like running tcpdump on that host), each with its tcpdump line. Optionally it also writes those packets to
 * a pcap file. Packets are captured at one place only, so that each appears once even though it leaves one
 * stack and enters another.
 *
 * <p>One {@link TcpdumpFormatter} serves the whole recording, so sequence numbers print relative to each
 * connection's ISNs as tcpdump prints them. Register the recorder with {@link Stack#addObserver} on every
 * stack whose transitions matter (the vantage stack included). Not thread-safe, as stacks are driven by one
 * thread.
 */
public final class TraceRecorder implements StackObserver {
    private final String vantage;
    private final PcapWriter pcap;
    private final LongSupplier clock;
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(TimestampFormat.SECONDS, false);
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<CapturedPacket> packets = new ArrayList<>();
    private final List<Transition> transitions = new ArrayList<>();
    private IOException pcapError;

    /**
     * @param vantage the name of the stack whose packets are captured; null captures at every observed stack
     *                (then a packet between two observed stacks appears twice)
     * @param pcap    where to write the captured packets too, or null
     * @param clock   the time to stamp events with (e.g. the simulator's clock), or null for the time the
     *                stack reports
     */
    public TraceRecorder(String vantage, PcapWriter pcap, LongSupplier clock) {
        this.vantage = vantage;
        this.pcap = pcap;
        this.clock = clock;
    }

    /** Captures packets at {@code vantage}, no pcap, times as the stacks report them. */
    public TraceRecorder(String vantage) {
        this(vantage, null, null);
    }

    @Override
    public void packet(Stack stack, boolean outbound, byte[] packet, int offset, int length, long now) {
        if (vantage != null && !vantage.equals(stack.name())) return;
        long t = clock == null ? now : clock.getAsLong();
        byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
        CapturedPacket p = new CapturedPacket(t, stack.name(), outbound, copy, formatter.format(copy, 0, length, t));
        events.add(p);
        packets.add(p);
        if (pcap != null && pcapError == null) {
            try {
                pcap.write(copy, 0, length, t);
            } catch (IOException e) {
                pcapError = e; // an observer must not throw into the stack; reported by pcapError()
            }
        }
    }

    @Override
    public void transition(Stack stack, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                           long now) {
        long t = clock == null ? now : clock.getAsLong();
        Transition tr = new Transition(t, stack.name(), tuple, from, to, cause);
        events.add(tr);
        transitions.add(tr);
    }

    /** Packets and transitions, in the order they happened. */
    public List<TraceEvent> events() { return List.copyOf(events); }

    /** The captured packets, in order. */
    public List<CapturedPacket> packets() { return List.copyOf(packets); }

    /** The first error writing the pcap, or null; after one, no more packets are written. */
    public IOException pcapError() { return pcapError; }

    /** The transitions of every observed stack, in order. */
    public List<Transition> transitions() { return List.copyOf(transitions); }
}
