package io.threeway.web;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large capture written for the tests: one connection's handshake, then data segments of 1,000 bytes from
 * 10.0.0.1 to 10.0.0.2 with an ACK every second one, headers only (a 40-byte snap length, as tcpdump -s 40
 * writes), one segment every 10 µs.
 */
final class SyntheticCapture {
    private static final int A = 0x0a000001;
    private static final int B = 0x0a000002;

    private SyntheticCapture() {}

    static Path write(Path file, int packets) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(40).putInt(101);
            out.write(h.array());
            long isnA = 1000;
            long isnB = 5000;
            record(out, 0, A, B, 40000, 80, isnA, 0, 0x02, 0);
            record(out, 1, B, A, 80, 40000, isnB, isnA + 1, 0x12, 0);
            record(out, 2, A, B, 40000, 80, isnA + 1, isnB + 1, 0x10, 0);
            long sent = 0;
            for (int i = 3; i < packets; i++) {
                if (i % 3 == 2) {
                    record(out, i, B, A, 80, 40000, isnB + 1, isnA + 1 + sent, 0x10, 0);
                } else {
                    record(out, i, A, B, 40000, 80, isnA + 1 + sent, isnB + 1, 0x18, 1000);
                    sent += 1000;
                }
            }
        }
        return file;
    }

    private static void record(DataOutputStream out, int i, int src, int dst, int sport, int dport, long seq, long ack,
                               int flags, int payload) throws IOException {
        long micros = 10L * i;
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(40).putInt(40 + payload);
        out.write(r.array());
        ByteBuffer p = ByteBuffer.allocate(40);
        p.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload)).putShort((short) i).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
        p.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack).put((byte) 0x50)
                .put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        out.write(p.array());
    }
}
