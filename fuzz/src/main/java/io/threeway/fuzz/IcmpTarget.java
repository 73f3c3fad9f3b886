package io.threeway.fuzz;

import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * ICMP and ICMPv6 messages into a stack with a connection on them (the host's IcmpHandler: echo, unreachables,
 * "fragmentation needed" and "packet too big", time exceeded, parameter problems, and the quoted packet that names
 * the connection). The target first opens a connection to the stack's listener as the peer (a SYN, and with mode
 * bit 3 clear its ACK), then sends one ICMP message with a right checksum. Mode (first byte): bit 0 IPv6; bit 1
 * starts the message's body with the start of the stack's own SYN-ACK, so the quote names the live connection,
 * as long as the next byte says (20 to 83 bytes); bit 2 keeps the quoted sequence number in the window. Then: type,
 * code, the four bytes after the checksum (the MTU of "fragmentation needed"), and the rest of the body.
 *
 * <p>Invariant: the stack takes every message without an internal error.
 */
final class IcmpTarget implements FuzzTarget {
    private static final int CLIENT_PORT = 40000;

    @Override
    public String name() { return "icmp"; }

    @Override
    public String description() { return "ICMP and ICMPv6 into a stack with a live connection (IcmpHandler)"; }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int mode = in.nextByte();
        boolean v6 = (mode & 1) != 0;
        IpAddress peer = v6 ? FuzzStack.PEER6 : FuzzStack.PEER4;
        IpAddress local = v6 ? FuzzStack.V6 : FuzzStack.V4;
        FuzzStack s = new FuzzStack();
        s.deliver(segment(peer, local, TcpFlags.SYN, 1000, 0));
        byte[] synAck = s.sent.isEmpty() ? new byte[0] : s.sent.getLast();
        int ipLen = v6 ? 40 : 20;
        int serverIsn = synAck.length >= ipLen + 8 ? Bytes.getInt(synAck, ipLen + 4) : 0;
        if ((mode & 8) == 0) s.deliver(segment(peer, local, TcpFlags.ACK, 1001, serverIsn + 1));
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(v6 ? in.nextByte() % 5 + (in.nextBoolean() ? 127 : 0) : in.nextByte() % 19);
        message.write(in.nextByte());
        message.writeBytes(new byte[2]); // the checksum, filled in by PacketBuilder
        message.writeBytes(in.nextBytes(4));
        if ((mode & 2) != 0 && synAck.length > 0) {
            byte[] quote = Arrays.copyOf(synAck, Math.min(synAck.length, 20 + in.nextByte() % 64));
            if ((mode & 4) != 0 && quote.length >= ipLen + 8) Bytes.putInt(quote, ipLen + 4, serverIsn + 1);
            message.writeBytes(quote);
        }
        message.writeBytes(in.rest());
        byte[] m = message.toByteArray();
        s.deliver(PacketBuilder.buildIcmp(peer, local, m, 0, Math.min(m.length, 0xFFFF - ipLen - 8), 7));
    }

    private static byte[] segment(IpAddress src, IpAddress dst, int flags, int seq, int ack) {
        TcpSegment seg = new TcpSegment();
        seg.srcPort = CLIENT_PORT;
        seg.dstPort = FuzzStack.PORT;
        seg.seq = seq;
        seg.ack = ack;
        seg.flags = flags;
        seg.window = 65535;
        if ((flags & TcpFlags.SYN) != 0) seg.options.mss = 1460;
        return PacketBuilder.buildTcp(src, dst, seg, 1);
    }
}
