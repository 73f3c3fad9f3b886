package io.threeway.wire;

/** Builders of segments and packets for tests. */
public final class TestPackets {
    private TestPackets() {}

    public static final IpAddress A4 = IpAddress.parse("10.0.1.5");
    public static final IpAddress B4 = IpAddress.parse("10.0.2.10");
    public static final IpAddress A6 = IpAddress.parse("2001:db8::1");
    public static final IpAddress B6 = IpAddress.parse("2001:db8::2");

    public static TcpSegment segment(int sport, int dport, int seq, int ack, int flags, int window) {
        TcpSegment s = new TcpSegment();
        s.srcPort = sport;
        s.dstPort = dport;
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.window = window;
        return s;
    }

    public static TcpSegment withPayload(TcpSegment s, int length) {
        byte[] data = new byte[length + 3];
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + i % 26);
        s.payload = data;
        s.payloadOffset = 3;
        s.payloadLength = length;
        return s;
    }

    /** The Linux SYN of formats.md: mss 1460, sackOK, TS val 1 ecr 0, wscale 7. */
    public static TcpSegment linuxSyn(int sport, int dport, int seq) {
        TcpSegment s = segment(sport, dport, seq, 0, TcpFlags.SYN, 65535);
        s.options.mss = 1460;
        s.options.sackPermitted = true;
        s.options.timestamps = true;
        s.options.tsVal = 1;
        s.options.tsEcr = 0;
        s.options.windowScale = 7;
        return s;
    }

    public static byte[] packet(IpAddress src, IpAddress dst, TcpSegment s) {
        return PacketBuilder.buildTcp(src, dst, s, OptionLayout.LINUX, 0);
    }
}
