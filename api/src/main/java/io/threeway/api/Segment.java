package io.threeway.api;

import io.threeway.sim.Packet;
import io.threeway.wire.IpAddress;
import java.net.InetAddress;

/**
 * A packet on a link, as a {@link SegmentRule} sees it: the IP and TCP header fields a rule decides on, and
 * the changes a rule may make (corrupt it, cut its payload, turn it into a reset). A rule sees each packet once,
 * as the sender transmits it; the view is reused from packet to packet, so keep nothing from it.
 */
public final class Segment {
    /** The packet under the view. */
    private Packet packet;

    Segment() {}

    Segment reset(Packet p) {
        this.packet = p;
        return this;
    }

    /** {@return whether the packet is TCP (not ICMP)} */
    public boolean isTcp() {
        return packet.isTcp();
    }

    /** {@return a SYN without ACK: the first segment of an active open} */
    public boolean isSyn() {
        return packet.isTcp() && packet.isSyn() && !packet.isSynAck();
    }

    /** {@return a SYN-ACK: the server's answer to a SYN} */
    public boolean isSynAck() {
        return packet.isTcp() && packet.isSynAck();
    }

    /** {@return whether the FIN flag is set} */
    public boolean isFin() {
        return packet.isTcp() && packet.isFin();
    }

    /** {@return whether the RST flag is set} */
    public boolean isRst() {
        return packet.isTcp() && packet.isRst();
    }

    /** {@return whether the segment carries data} */
    public boolean hasPayload() {
        return packet.isTcp() && packet.hasPayload();
    }

    /** {@return a segment with only the ACK flag and no data (a pure acknowledgment or window update)} */
    public boolean isPureAck() {
        return packet.isTcp() && !packet.hasPayload() && packet.tcpFlags() == 0x10;
    }

    /** {@return the bytes of TCP payload (0 for a non-TCP packet)} */
    public int payloadLength() {
        return packet.isTcp() ? Math.max(0, packet.tcpPayloadLength()) : 0;
    }

    /** {@return the whole IP packet's length in bytes} */
    public int length() {
        return packet.length();
    }

    /** {@return the TCP source port} */
    public int sourcePort() {
        return packet.srcPort();
    }

    /** {@return the TCP destination port} */
    public int destinationPort() {
        return packet.dstPort();
    }

    /** {@return the sequence number (unsigned 32 bits, as a long)} */
    public long sequenceNumber() {
        return Integer.toUnsignedLong(packet.tcpSeq());
    }

    /** {@return the acknowledgment number (unsigned 32 bits, as a long)} */
    public long acknowledgmentNumber() {
        return Integer.toUnsignedLong(packet.tcpAck());
    }

    /** {@return the source address} */
    public InetAddress source() {
        return IpAddress.read(packet.bytes(), packet.ipVersion() == 4 ? 12 : 8, packet.ipVersion() == 6).toInetAddress();
    }

    /** {@return the destination address} */
    public InetAddress destination() {
        return IpAddress.read(packet.bytes(), packet.ipVersion() == 4 ? 16 : 24, packet.ipVersion() == 6).toInetAddress();
    }

    /**
     * Flips one bit of the last byte (of the payload, or of the TCP header when there is none) without fixing
     * the checksum: the receiver finds a bad checksum and drops the segment (its {@code TcpInCsumErrors} counts
     * it), as after corruption on a real wire.
     */
    public void corrupt() {
        packet.bytes()[packet.length() - 1] ^= 0x01;
    }

    /**
     * Turns the segment into a bare reset (RST with its ACK, no data, the same sequence number): the receiver
     * takes it as its peer resetting the connection, as a middlebox's forged reset. Checksums are fixed.
     */
    public void turnIntoReset() {
        if (!packet.isTcp()) throw new IllegalStateException("not a TCP segment");
        packet.dropTcpPayload();
        packet.setTcpFlags(0x14); // RST|ACK
        packet.updateTcpChecksum();
    }

    @Override
    public String toString() {
        return packet == null ? "Segment[]" : packet.toString();
    }
}
