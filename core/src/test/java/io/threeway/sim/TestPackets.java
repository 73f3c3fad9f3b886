package io.threeway.sim;

import io.threeway.wire.Bytes;

/** Builds minimal IPv4/IPv6 TCP packets for simulator tests. */
final class TestPackets {
    private TestPackets() {}

    /** An IPv4 TCP packet with a valid TCP checksum: 20-byte IP header, TCP header with {@code options}, payload. */
    static byte[] tcp4(int srcPort, int dstPort, int seq, int flags, byte[] options, int payloadLength) {
        int optLen = options.length;
        int tcpHeader = 20 + optLen;
        int total = 20 + tcpHeader + payloadLength;
        byte[] b = new byte[total];
        b[0] = 0x45;
        Bytes.putU16(b, 2, total);
        b[8] = 64;
        b[9] = 6;
        Bytes.putInt(b, 12, 0xC6120001); // 198.18.0.1
        Bytes.putInt(b, 16, 0xC6120002); // 198.18.0.2
        int t = 20;
        Bytes.putU16(b, t, srcPort);
        Bytes.putU16(b, t + 2, dstPort);
        Bytes.putInt(b, t + 4, seq);
        b[t + 12] = (byte) ((tcpHeader / 4) << 4);
        b[t + 13] = (byte) flags;
        Bytes.putU16(b, t + 14, 65535);
        System.arraycopy(options, 0, b, t + 20, optLen);
        for (int i = 0; i < payloadLength; i++) b[t + tcpHeader + i] = (byte) (seq + i);
        Packet p = Packet.of(b, total);
        p.updateIpv4HeaderChecksum();
        p.updateTcpChecksum();
        return b;
    }

    static byte[] tcp4(int flags, int payloadLength) {
        return tcp4(40000, 80, 1, flags, new byte[0], payloadLength);
    }

    /** A non-TCP IPv4 packet (UDP-ish) of {@code total} bytes, tagged with {@code tag} in its first payload bytes. */
    static byte[] raw4(int total, int tag) {
        byte[] b = new byte[total];
        b[0] = 0x45;
        Bytes.putU16(b, 2, total);
        b[9] = 17;
        Bytes.putInt(b, 20, tag);
        return b;
    }

    static int tag(byte[] b) {
        return Bytes.getInt(b, 20);
    }
}
