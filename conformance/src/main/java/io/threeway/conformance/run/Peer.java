package io.threeway.conformance.run;

import io.threeway.conformance.script.IpInfo;
import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.SourcePos;
import io.threeway.conformance.script.TcpSpec;
import io.threeway.wire.IpAddress;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The remote end the script plays, and the arithmetic that relates the script's numbers to the wire's for the
 * socket under test, as packetdrill's socket.h does it: a SYN's sequence number is written as on the wire, other
 * inbound segments' are relative to the remote ISN (the script's SYN); an inbound ACK number is relative to the
 * stack's ISN (on a SYN-ACK, to the ISN the script gave the stack's SYN); the stack's outbound numbers are
 * translated back the same ways; an inbound TSecr the script writes is the TSval it expected the stack to send,
 * translated to the TSval the stack did send.
 *
 * <p>The socket under test is packetdrill's: the socket the last {@code socket()} made, or the child a SYN to the
 * listening socket under test creates (with a new remote port). Packets the stack sends from any other four-tuple
 * are not the script's business, as packetdrill's sniffer ignores them.
 *
 * <p>Addresses: scripts are written for 192.168.0.1 (the stack) and 192.0.2.1 (the peer); packets never
 * leave the JVM, but by the project's rule only benchmark addresses appear, so the stack is 198.18.0.1 and
 * the peer 198.18.0.2 (IPv6: 2001:db8::1 and 2001:db8::2).
 */
final class Peer {
    /** packetdrill's port for bind() and for the peer a connect() reaches. */
    static final int SCRIPT_PORT = 8080;
    /** The peer's port for the first connection it opens to a listener; later ones count up. */
    static final int PEER_EPHEMERAL_PORT = 48879;

    /** packetdrill's socket states that decide how ISNs are learned. */
    enum State {
        /** No socket() yet: an inbound packet makes a child, as at a listener. */
        NONE,
        /** A socket made by socket() and not yet listening or connecting. */
        NEW,
        /** listen() was called: an inbound SYN makes a new child. */
        LISTENING,
        /** A passive child: its SYN arrived. */
        PASSIVE,
        /** connect() (or an implied one) was called; until the SYN-ACK arrives. */
        ACTIVE_SYN_SENT,
        /** The SYN-ACK arrived. */
        ACTIVE_ESTABLISHED
    }

    final IpAddress local;
    final IpAddress remote;
    int localPort = SCRIPT_PORT;
    int remotePort = PEER_EPHEMERAL_PORT;
    State state = State.NONE;
    private int nextEphemeral = PEER_EPHEMERAL_PORT;
    private boolean firstChild = true;

    /** The ISN the script gave the stack's SYN, and the one the stack chose, once its first SYN has been seen. */
    long scriptLocalIsn;
    long liveLocalIsn;
    boolean localIsnKnown;
    /** The script's own ISN (from its SYN), the same on the wire. */
    long remoteIsn;
    /** TSval the script expected → TSval the stack sent, for translating the script's TSecr. */
    private final Map<Long, Long> tsValues = new HashMap<>();
    private long firstScriptTsVal;
    private long firstLiveTsVal;
    boolean tsKnown;
    private int ipId = 1;

    Peer(boolean v6) {
        this.local = IpAddress.parse(v6 ? "2001:db8::1" : "198.18.0.1");
        this.remote = IpAddress.parse(v6 ? "2001:db8::2" : "198.18.0.2");
    }

    int prefix() {
        return local.v6() ? 64 : 15;
    }

    /** A new socket under test (socket(), or a connect): its numbers are learned afresh, as packetdrill does per socket. */
    void newSocket(State s) {
        state = s;
        localIsnKnown = false;
        tsKnown = false;
        tsValues.clear();
    }

    /** An inbound segment reaches the listening socket under test: a new child with its own remote port. */
    void newChild(long isn) {
        newSocket(State.PASSIVE);
        remotePort = firstChild ? PEER_EPHEMERAL_PORT : ++nextEphemeral;
        firstChild = false;
        remoteIsn = isn;
    }

    /** Whether a packet the stack sent belongs to the socket under test. */
    boolean ours(SentPacket p) {
        return p.tcp() && p.srcPort() == localPort && p.dstPort() == remotePort;
    }

    // ------------------------------------------------------------------------------------------------
    // packetdrill's socket.h offsets

    /** The stack's sequence number as the script writes it (local_seq_live_to_script_offset). */
    long localToScript(long wire, boolean syn) {
        long offset = syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
        return (wire - offset) & 0xFFFFFFFFL;
    }

    /** A stack sequence number the script wrote (an ACK, a SACK edge), on the wire (local_seq_script_to_live_offset). */
    long localToWire(long script, boolean syn) {
        long offset = syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
        return (script + offset) & 0xFFFFFFFFL;
    }

    /** The script's own sequence number on the wire (remote_seq_script_to_live_offset). */
    long remoteToWire(long script, boolean syn) {
        return (script + (syn ? 0 : remoteIsn)) & 0xFFFFFFFFL;
    }

    /** An ACK or SACK edge the stack sent, as the script writes it. */
    long remoteToScript(long wire, boolean syn) {
        return (wire - (syn ? 0 : remoteIsn)) & 0xFFFFFFFFL;
    }

    /** Learns the stack's ISN from its first SYN (or SYN-ACK) for this socket. */
    void learnLocalIsn(long scriptSeq, long wireSeq) {
        scriptLocalIsn = scriptSeq;
        liveLocalIsn = wireSeq;
        localIsnKnown = true;
    }

    /** Records the stack's TSval against the one the script expected (set_outbound_ts_val_mapping). */
    void learnTsVal(long scriptVal, long liveVal) {
        tsValues.put(scriptVal, liveVal);
        if (!tsKnown) {
            tsKnown = true;
            firstScriptTsVal = scriptVal;
            firstLiveTsVal = liveVal;
        }
    }

    /** A TSval the stack sent, in the script's clock (the first one it expected, plus the stack's ticks since). */
    long tsLiveToScript(long liveVal) {
        return (firstScriptTsVal + (liveVal - firstLiveTsVal)) & 0xFFFFFFFFL;
    }

    /** The TSval the stack sent for a TSecr the script wrote: the exact one recorded, else by offset from the first. */
    long tsEcrToWire(long scriptEcr) {
        Long exact = tsValues.get(scriptEcr);
        if (exact != null) return exact;
        return tsKnown ? (scriptEcr - firstScriptTsVal + firstLiveTsVal) & 0xFFFFFFFFL : scriptEcr;
    }

    // ------------------------------------------------------------------------------------------------
    // Inbound packets

    /** Builds the IP packet for an inbound line; an inbound SYN updates the socket under test first. */
    byte[] build(TcpSpec t, IpInfo ip, SourcePos pos) {
        boolean syn = t.has('S');
        // handle_listen_for_script_packet: any inbound segment to a listening socket under test (or when there is
        // none) makes a child, whose remote ISN is that segment's sequence number.
        if (state == State.LISTENING || state == State.NONE) newChild(t.seqStart());
        else if (syn && t.has('.') && state == State.ACTIVE_SYN_SENT) {
            remoteIsn = t.seqStart();
            state = State.ACTIVE_ESTABLISHED;
        }
        TcpSegment s = new TcpSegment();
        s.srcPort = t.srcPort() != null ? t.srcPort() : remotePort;
        s.dstPort = t.dstPort() != null ? t.dstPort() : localPort;
        s.seq = (int) remoteToWire(t.seqStart(), syn);
        int flags = Flags.bits(t.flags());
        s.flags = flags & 0xFF;
        s.ack = t.ack() == null ? 0 : (int) localToWire(t.ack(), syn);
        // packetdrill leaves an omitted window at its "unset" value, which goes on the wire as 65535.
        s.window = t.window() == null ? 0xFFFF : t.window();
        s.urgentPointer = t.urgent() == null ? 0 : t.urgent();
        s.payload = new byte[t.payload()];
        s.payloadLength = t.payload();
        byte[] options;
        try {
            options = t.options() == null ? new byte[0]
                    : OptionBytes.encode(t.options(), x -> localToWire(x, syn), this::tsEcrToWire).bytes();
        } catch (IllegalArgumentException e) {
            throw new ScriptException(pos, e.getMessage());
        }
        if (options.length % 4 != 0) throw new ScriptException(pos, "TCP options must fill whole 32-bit words (" + options.length + " bytes)");
        if (options.length > 40) throw new ScriptException(pos, "TCP options exceed 40 bytes");
        return assemble(s, options, (flags & Flags.AE) != 0, ip);
    }

    /** PacketBuilder's header and payload, then the script's option bytes spliced in as written, AE and IP fields. */
    private byte[] assemble(TcpSegment s, byte[] options, boolean ae, IpInfo ip) {
        byte[] plain = PacketBuilder.buildTcp(remote, local, s, ipId++ & 0xFFFF);
        int ipLen = local.v6() ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        int payload = s.payloadLength;
        byte[] p = new byte[plain.length + options.length];
        System.arraycopy(plain, 0, p, 0, ipLen + TcpCodec.HEADER_LENGTH);
        System.arraycopy(options, 0, p, ipLen + TcpCodec.HEADER_LENGTH, options.length);
        System.arraycopy(plain, ipLen + TcpCodec.HEADER_LENGTH, p, ipLen + TcpCodec.HEADER_LENGTH + options.length, payload);
        int tcpLen = p.length - ipLen;
        p[ipLen + 12] = (byte) ((((TcpCodec.HEADER_LENGTH + options.length) / 4) << 4) | (ae ? 1 : 0));
        int tos = ip.tos() != null ? (int) (long) ip.tos() : 0;
        if (ip.ecnBits() >= 0) tos = (tos & ~3) | ip.ecnBits();
        int ttl = ip.ttl() != null ? (int) (long) ip.ttl() : Ipv4Header.DEFAULT_TTL;
        if (local.v6()) {
            int flow = ip.flowLabel() != null ? (int) (long) ip.flowLabel() : 0;
            Ipv6Header.write(p, 0, remote, local, 6, tcpLen, ttl, tos, flow);
        } else {
            Ipv4Header.write(p, 0, remote, local, 6, tcpLen, ipId & 0xFFFF, ttl, tos);
        }
        p[ipLen + 16] = 0;
        p[ipLen + 17] = 0;
        TcpCodec.fillChecksum(p, ipLen, tcpLen, remote, local);
        return p;
    }
}
