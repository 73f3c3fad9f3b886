package io.threeway.fuzz;

import io.threeway.host.Stack;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.wire.Bytes;
import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;

/**
 * A fresh stack for one fuzz input: addresses {@link #V4} and {@link #V6}, a listener on port {@link #PORT}, every
 * packet it sends kept in {@link #sent}. {@link #deliver} hands it a packet and checks that nothing went wrong
 * inside: the stack counts an exception that reached its boundary as an internal error (a bug), which this turns
 * into a finding.
 */
public final class FuzzStack {
    /** The stack's IPv4 address. */
    public static final IpAddress V4 = IpAddress.parse("198.18.0.2");
    /** The stack's IPv6 address. */
    public static final IpAddress V6 = IpAddress.parse("2001:db8::2");
    /** The peer the targets write packets from. */
    public static final IpAddress PEER4 = IpAddress.parse("198.18.0.1");
    /** The IPv6 peer. */
    public static final IpAddress PEER6 = IpAddress.parse("2001:db8::1");
    /** The listening port. */
    public static final int PORT = 80;

    /** The stack under test. */
    public final Stack stack;
    /** What it sent, in order. */
    public final List<byte[]> sent = new ArrayList<>();
    private long now = 1_000_000_000L;

    public FuzzStack() {
        stack = new Stack("fuzz", 1);
        stack.addInterface(V4, 15, (p, len, t) -> sent.add(Arrays.copyOf(p, len)));
        stack.addInterface(V6, 64, (p, len, t) -> sent.add(Arrays.copyOf(p, len)));
        stack.listen(IpAddress.ANY6, PORT, 16, new ConnectionOptions(), false);
    }

    /** Hands {@code packet} to the stack 1 ms after the previous one, fires due timers, and checks it held. */
    public void deliver(byte[] packet) {
        now += 1_000_000L;
        long errorsBefore = stack.internalErrors();
        stack.receive(packet, 0, packet.length, now);
        if (stack.nextDeadline() <= now) stack.advance(now);
        FuzzFinding.check(stack.internalErrors() == errorsBefore,
                () -> "the stack caught an internal error: " + stack.lastInternalError());
    }

    /** Sets the IPv4 header checksum of the header at {@code p[0]} (IHL from its first byte, clipped to the array). */
    public static void fixIpv4Checksum(byte[] p) {
        int ihl = Math.min((p[0] & 0x0F) * 4, p.length & ~1);
        if (ihl < 12) return;
        p[10] = 0;
        p[11] = 0;
        Bytes.putU16(p, 10, Checksum.compute(p, 0, ihl));
    }

    /**
     * Sets the TCP or ICMPv6 checksum of a packet built by the targets (the transport header right after a
     * fixed IP header, through the array's end).
     */
    public static void fixTransportChecksum(byte[] p, IpAddress src, IpAddress dst, int protocol) {
        int ipLen = src.v6() ? 40 : (p[0] & 0x0F) * 4;
        int at = protocol == IpProtocol.TCP ? 16 : 2;
        if (ipLen + at + 2 > p.length) return;
        if (protocol == IpProtocol.ICMP) {
            p[ipLen + 2] = 0;
            p[ipLen + 3] = 0;
            Bytes.putU16(p, ipLen + 2, Checksum.compute(p, ipLen, p.length - ipLen));
        } else {
            Checksum.fillTransport(p, ipLen, p.length - ipLen, at, src, dst, protocol);
        }
    }
}
