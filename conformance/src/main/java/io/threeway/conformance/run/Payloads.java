package io.threeway.conformance.run;

import io.threeway.tcp.TcpConnection;

/**
 * The bytes system calls move: the runner never looks at data, so writes hand the stack zeros from one shared
 * buffer and reads land in one scratch buffer, a chunk at a time, whatever length a script names (a call for two
 * gigabytes costs no memory).
 */
final class Payloads {
    /** The chunk size: the zeros written and the scratch read into. */
    static final int CHUNK = 64 * 1024;
    private static final byte[] ZEROS = new byte[CHUNK];
    private static final byte[] SCRATCH = new byte[CHUNK];
    /** The most a connect takes for its SYN's data (the stack queues at most its send buffer anyway). */
    static final int MAX_SYN_DATA = 1 << 20;

    private Payloads() {}

    /** Writes up to {@code len} bytes as the stack takes them; returns how many it took. */
    static int write(TcpConnection c, long len, long now) {
        return write(c, len, false, false, now);
    }

    /**
     * As {@link #write(TcpConnection, long, long)}; {@code endOfRecord}: the last chunk ends a record (MSG_EOR);
     * {@code more}: MSG_MORE (not pushed, corked for the call).
     */
    static int write(TcpConnection c, long len, boolean endOfRecord, boolean more, long now) {
        long done = 0;
        while (done < len) {
            int chunk = (int) Math.min(CHUNK, len - done);
            int n = c.write(ZEROS, 0, chunk, endOfRecord && done + chunk == len, more || done + chunk < len, now);
            if (n <= 0) break;
            done += n;
        }
        return (int) done;
    }

    /** Reads up to {@code len} bytes; returns how many, or -1 at the end of the stream when none were read. */
    static int read(TcpConnection c, long len, long now) {
        long done = 0;
        while (done < len) {
            int n = c.read(SCRATCH, 0, (int) Math.min(CHUNK, len - done), now);
            if (n < 0) return done > 0 ? (int) done : -1;
            if (n == 0) break;
            done += n;
        }
        return (int) done;
    }

    /** Zeros for a SYN's data: {@code len} bytes, at most {@link #MAX_SYN_DATA}. */
    static byte[] synData(long len) {
        return new byte[(int) Math.max(0, Math.min(len, MAX_SYN_DATA))];
    }
}
