package io.threeway.conformance.run;

import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.SourcePos;
import io.threeway.conformance.script.TcpSpec;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;

/**
 * The remote end the script plays, and the arithmetic that relates its numbers to the wire's, as packetdrill
 * does it: the script's sequence numbers for its own packets are written as they go on the wire (the SYN's
 * absolute, later ones relative to a remote ISN the script chose itself); the stack's sequence numbers are
 * relative to the ISN it chose, learned from its first SYN; a TSecr the script writes is the TSval it
 * expected the stack to send, translated by the offset learned from the stack's first timestamp.
 *
 * <p>Addresses: scripts are written for 192.168.0.1 (the stack) and 192.0.2.1 (the peer); packets never
 * leave the JVM, but by the project's rule only benchmark addresses appear, so the stack is 198.18.0.1 and
 * the peer 198.18.0.2 (IPv6: 2001:db8::1 and 2001:db8::2).
 */
final class Peer {
    /** packetdrill's port for bind() and for the peer a connect() reaches. */
    static final int SCRIPT_PORT = 8080;
    /** The peer's port when it opens connections to a listener (any ephemeral port would do). */
    static final int PEER_EPHEMERAL_PORT = 48879;

    final IpAddress local;
    final IpAddress remote;
    int localPort = SCRIPT_PORT;
    int remotePort = PEER_EPHEMERAL_PORT;
    /** The stack's ISN, once its first SYN has been seen (0 before: numbers are then taken as written). */
    long localIsn;
    boolean localIsnKnown;
    /** Wire TSval minus script TSval for the stack's timestamps, once known. */
    long tsOffset;
    boolean tsOffsetKnown;
    private int ipId = 1;

    Peer(boolean v6) {
        this.local = IpAddress.parse(v6 ? "2001:db8::1" : "198.18.0.1");
        this.remote = IpAddress.parse(v6 ? "2001:db8::2" : "198.18.0.2");
    }

    int prefix() {
        return local.v6() ? 64 : 15;
    }

    /** A stack sequence number as the script writes it. */
    long localRelative(long wire) {
        return (wire - localIsn) & 0xFFFFFFFFL;
    }

    /** A stack sequence number the script wrote, on the wire. */
    long localWire(long script) {
        return (script + localIsn) & 0xFFFFFFFFL;
    }

    /** Builds the IP packet for an inbound line. */
    byte[] build(TcpSpec t, SourcePos pos) {
        TcpSegment s = new TcpSegment();
        s.srcPort = remotePort;
        s.dstPort = localPort;
        s.seq = (int) t.seqStart();
        s.flags = Flags.bits(t.flags());
        s.ack = t.ack() == null ? 0 : (int) localWire(t.ack());
        // packetdrill leaves an omitted window at its "unset" value, which goes on the wire as 65535.
        s.window = t.window() == null ? 0xFFFF : t.window();
        s.urgentPointer = t.urgent() == null ? 0 : t.urgent();
        s.payload = new byte[t.payload()];
        s.payloadLength = t.payload();
        byte[] options = t.options() == null ? new byte[0]
                : OptionBytes.encode(t.options(), this::localWire, ecr -> tsOffsetKnown ? (ecr + tsOffset) & 0xFFFFFFFFL : ecr).bytes();
        if (options.length % 4 != 0) throw new ScriptException(pos, "TCP options must fill whole 32-bit words (" + options.length + " bytes)");
        if (options.length > 40) throw new ScriptException(pos, "TCP options exceed 40 bytes");
        // The header and payload from PacketBuilder, then the script's option bytes spliced in as written.
        byte[] plain = PacketBuilder.buildTcp(remote, local, s, ipId++ & 0xFFFF);
        int ipLen = local.v6() ? 40 : 20;
        byte[] p = new byte[plain.length + options.length];
        System.arraycopy(plain, 0, p, 0, ipLen + TcpCodec.HEADER_LENGTH);
        System.arraycopy(options, 0, p, ipLen + TcpCodec.HEADER_LENGTH, options.length);
        System.arraycopy(plain, ipLen + TcpCodec.HEADER_LENGTH, p, ipLen + TcpCodec.HEADER_LENGTH + options.length, t.payload());
        int tcpLen = p.length - ipLen;
        p[ipLen + 12] = (byte) (((TcpCodec.HEADER_LENGTH + options.length) / 4) << 4);
        if (local.v6()) {
            Ipv6Header.write(p, 0, remote, local, 6, tcpLen);
        } else {
            Ipv4Header.write(p, 0, remote, local, 6, tcpLen, ipId & 0xFFFF);
        }
        p[ipLen + 16] = 0;
        p[ipLen + 17] = 0;
        TcpCodec.fillChecksum(p, ipLen, tcpLen, remote, local);
        return p;
    }
}
