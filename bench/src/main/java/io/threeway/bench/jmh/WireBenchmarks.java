package io.threeway.bench.jmh;

import io.threeway.wire.Checksum;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-segment path's pieces, one full-sized data segment (1448 bytes of payload with timestamps, as
 * Linux sends at MTU 1500): the Internet checksum over it, parsing its IPv4 and TCP headers into reused
 * views, and building it (headers, options, payload, both checksums).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireBenchmarks {
    /** Payload bytes of the segment: MSS 1460 less 12 bytes of timestamps. */
    static final int PAYLOAD = 1448;

    private final IpAddress src = IpAddress.parse("198.18.0.1");
    private final IpAddress dst = IpAddress.parse("198.18.0.2");
    private final TcpSegment out = new TcpSegment();
    private final TcpSegment in = new TcpSegment();
    private final IpPacket ip = new IpPacket();
    private byte[] packet;

    @Setup
    public void setUp() {
        out.srcPort = 40000;
        out.dstPort = 80;
        out.seq = 1_000_000;
        out.ack = 2_000_000;
        out.flags = TcpFlags.ACK | TcpFlags.PSH;
        out.window = 502;
        out.options.timestamps = true;
        out.options.tsVal = 123456;
        out.options.tsEcr = 654321;
        out.payload = new byte[PAYLOAD];
        for (int i = 0; i < PAYLOAD; i++) out.payload[i] = (byte) i;
        out.payloadLength = PAYLOAD;
        packet = PacketBuilder.buildTcp(src, dst, out, 1);
    }

    /** The Internet checksum (RFC 1071) over the whole packet. */
    @Benchmark
    public int checksum() {
        return Checksum.compute(packet, 0, packet.length);
    }

    /** IPv4 header, TCP checksum over the pseudo-header, TCP header and options, into reused views. */
    @Benchmark
    public int parse() {
        Ipv4Header.parse(packet, 0, packet.length, ip);
        if (!Checksum.verifyTransport(packet, ip)) throw new IllegalStateException("bad checksum");
        TcpCodec.parse(packet, ip.payloadOffset, ip.payloadLength, in);
        return in.payloadLength;
    }

    /** Headers, options, payload and both checksums into a new array (as the stack sends today). */
    @Benchmark
    public byte[] build() {
        return PacketBuilder.buildTcp(src, dst, out, 1);
    }
}
